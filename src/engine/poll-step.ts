/**
 * Reading a job's status and acting on it: the decisions are decide.ts's; here they are carried
 * out, every durable step journaled before the next is taken. A 404 for our own job marks the
 * render lost; a --timeout stops waiting but keeps the job for the next run.
 */
import type { RenderErrorInfo } from '../core/records.js';
import { PROVIDER_DEFAULTS } from '../providers/config.js';
import type { JobStatus } from '../providers/types.js';
import { errorInfo, onPollDue, onStatus, onStatusError, type Cadence } from './decide.js';
import type { Job } from './job.js';
import { learnedCadence, noteStatus, statusHintMs } from './read-learning.js';
import { metadataOf } from './record.js';
import type { StepContext } from './step-context.js';

export async function pollStep(ctx: StepContext, job: Job): Promise<void> {
  if (ctx.stopped || job.finalStatus !== undefined) return;
  const due = onPollDue(job, ctx.now(), ctx.d.gates.readyAt(job.provider));
  if (due.do === 'time_out') return timeOut(ctx, job);
  if (due.do === 'wait') return ctx.schedulePoll(job, due.until);
  let status: JobStatus;
  try {
    status = await readStatus(ctx, job);
  } catch (err) {
    if (ctx.stopped) return;
    job.statusFailures += 1;
    const next = onStatusError(job, err, job.statusFailures, ctx.now(), ctx.d.random());
    switch (next.do) {
      case 'lose':
        return lose(ctx, job, err);
      case 'time_out':
        return timeOut(ctx, job);
      case 'give_up':
        // The job exists and may still finish: the journal keeps its id, so a rerun resumes it.
        ctx.settle(job, 'failed', errorInfo(err, `cannot read the job's status: ${next.reason}; run render again to resume it`));
        return;
      case 'retry':
        if (next.blockUntil !== undefined) ctx.d.gates.blockUntil(job.provider, next.blockUntil);
        ctx.d.emit({ event: 'retry', id: job.id, operation: 'status', attempt: job.statusFailures, delay_ms: next.delayMs, reason: errorInfo(err).message });
        ctx.schedulePoll(job, next.at);
        return;
    }
  }
  job.statusFailures = 0;
  if (!ctx.stopped) await onAccepted(ctx, job, status);
}

/** One status read, bounded by the render's deadline too, and abandoned at once on Ctrl-C. */
export async function readStatus(ctx: StepContext, job: Job): Promise<JobStatus> {
  const jobId = job.state.job_id;
  if (jobId === null) throw new Error('internal: status read without a job id');
  const req = job.adapter.statusRequest(jobId, job.prepared.spec.model);
  const options = { signal: ctx.readSignal, deadlineMs: Math.max(0, job.deadlineAt - ctx.now()) };
  return job.adapter.parseStatus(await ctx.d.send(job.provider, 'status', req, undefined, options));
}

function baseOf(ctx: StepContext, job: Job): number {
  return ctx.d.pollIntervalMs ?? job.adapter.defaultPollIntervalMs;
}

function cadenceOf(ctx: StepContext, job: Job, status: JobStatus): Cadence {
  const baseMs = baseOf(ctx, job);
  return { baseMs, hintMs: statusHintMs(job, status, ctx.now()), learned: learnedCadence(ctx.d.readSchedule, job, ctx.now()) };
}

/** A status answer, from a read or from the submit's own answer. */
export async function onAccepted(ctx: StepContext, job: Job, status: JobStatus): Promise<void> {
  job.providerStatus = status.providerStatus;
  noteStatus(ctx.d.readSchedule, job, status, ctx.now(), baseOf(ctx, job));
  const facts = { deadlineAt: job.deadlineAt, statusFailures: job.statusFailures, seenRunning: job.state.started_at !== null };
  const next = onStatus(facts, status, ctx.now(), cadenceOf(ctx, job, status));
  const metadata = (): Job['state']['provider_metadata'] =>
    'metadata' in status ? { ...job.state.provider_metadata, ...metadataOf(status.metadata) } : job.state.provider_metadata;
  switch (next.do) {
    case 'download':
      // Done at the provider: its slot goes to the next render now, not once this line is on
      // disk. Its job id has been on disk since the submit; a crash before the line only means
      // the next run reads the job's status once more.
      ctx.handOverSlot(job);
      await ctx.recordOrWarn(job, 'succeeded', { completed_at: ctx.iso(), provider_metadata: metadata() });
      ctx.startDownload(job, next.url);
      return;
    case 'fail':
      await ctx.recordOrWarn(job, 'failed', { completed_at: ctx.iso(), error: { message: next.reason }, provider_metadata: metadata() });
      ctx.settle(job, 'failed', { message: next.reason, code: 'E_JOB_FAILED' });
      return;
    case 'poll':
      if (next.journalStarted) await ctx.recordOrWarn(job, 'started', { started_at: ctx.iso() });
      ctx.setStatus(job, next.show, status.providerStatus, status.state === 'running' ? status.progress : undefined);
      break;
    case 'poll_unknown':
      if (!job.warnedUnknown) {
        job.warnedUnknown = true;
        ctx.d.emit({ event: 'warning', id: job.id, message: `${job.provider} reported an unknown status "${status.providerStatus}"; still polling` });
      }
  }
  if (!ctx.stopped && job.finalStatus === undefined) ctx.schedulePoll(job, next.pollAt);
}

/**
 * --timeout stops waiting; it does not abandon the job, which is still rendering (and billed)
 * at the provider. Its id stays in the journal and the next run polls it again.
 */
export function timeOut(ctx: StepContext, job: Job): void {
  const seconds = Math.round(ctx.d.timeoutMs / 1000);
  const error = {
    message: `not finished within ${seconds} s (--timeout); last provider status "${job.providerStatus ?? 'none'}". The job is still at the provider: the next run polls it again instead of submitting`,
    code: 'E_TIMEOUT',
  };
  void ctx.recordOrWarn(job, 'timed_out', { error });
  ctx.settle(job, 'timed_out', error);
}

/**
 * A status read of our own job answered "not found": the provider forgot it (or it belongs to
 * another account's key). Nothing more can come of it; the next run submits a new job.
 */
function lose(ctx: StepContext, job: Job, err: unknown): void {
  const { label, keyVariable } = PROVIDER_DEFAULTS[job.provider];
  const error: RenderErrorInfo = {
    ...errorInfo(err),
    message:
      `${label} no longer knows job ${job.state.job_id ?? '?'} (${err instanceof Error ? err.message : String(err)}); ` +
      `if ${keyVariable} changed since it was submitted, the job may belong to the other key's account. ` +
      'The next run submits this render again (a new paid job)',
    code: 'E_JOB_LOST',
  };
  void ctx.recordOrWarn(job, 'lost', { error });
  ctx.settle(job, 'lost', error);
}
