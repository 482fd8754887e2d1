/**
 * Submitting a render: journal `submitting` (fsync) before the POST leaves, then the job id the
 * moment the answer arrives. A failed POST is retried only when it certainly created nothing
 * (decide.ts); one that may have created a job is left `indeterminate`.
 */
import { INDETERMINATE_HINT, type Job } from './job.js';
import { errorInfo, onSubmitError } from './decide.js';
import { metadataOf } from './record.js';
import { wireTextOf } from './prepare.js';
import { JournalUnwritable, type StepContext } from './step-context.js';
import { onAccepted } from './poll-step.js';

export async function submitStep(ctx: StepContext, job: Job): Promise<void> {
  const attempt = job.state.attempts + 1;
  const before = { ...job.state };
  ctx.setStatus(job, 'submitting');
  try {
    await ctx.record(job, 'submitting', { attempts: attempt, seed: job.prepared.spec.seed, submitted_at: ctx.iso(), job_id: null });
  } catch (err) {
    if (!(err instanceof JournalUnwritable)) throw err;
    // Without the journal line a crash could lose track of a paid job: send neither this
    // render nor any after it. It stays as it was, so a later run submits it once.
    job.state = before;
    job.touch();
    ctx.haltSubmits(err.message);
    ctx.leaveUnsent(job);
    return;
  }
  if (ctx.submitsHalted !== undefined) {
    // Halted while this line was being written (another line failed): do not send it either.
    await ctx.recordOrWarn(job, 'not_created', { error: { message: `not sent: ${ctx.submitsHalted}` } });
    ctx.leaveUnsent(job);
    return;
  }
  let accepted;
  try {
    const wire = await wireTextOf(job.prepared);
    accepted = job.adapter.parseSubmit(await ctx.d.send(job.provider, 'submit', job.prepared.request, wire, { signal: ctx.submitSignal }));
  } catch (err) {
    await submitFailed(ctx, job, err, attempt);
    return;
  }
  job.deadlineAt = ctx.now() + ctx.d.timeoutMs;
  job.acceptedAt = ctx.now();
  job.pendingSeenMs = 0;
  await ctx.recordOrWarn(job, 'submitted', { job_id: accepted.jobId, provider_metadata: metadataOf(accepted.metadata) });
  ctx.d.emit({ event: 'submitted', id: job.id, provider: job.provider, job_id: accepted.jobId, resumed: false });
  await onAccepted(ctx, job, accepted.status);
}

async function submitFailed(ctx: StepContext, job: Job, err: unknown, attempt: number): Promise<void> {
  const next = onSubmitError(err, attempt, ctx.now(), ctx.d.random());
  const info = errorInfo(err);
  switch (next.do) {
    case 'requeue':
      await ctx.recordOrWarn(job, 'not_created', { error: info });
      if (next.blockUntil !== undefined) ctx.d.gates.blockUntil(job.provider, next.blockUntil);
      ctx.d.gates.blockSubmitsUntil(job.provider, next.notBefore);
      ctx.d.emit({ event: 'retry', id: job.id, operation: 'submit', attempt, delay_ms: next.delayMs, reason: next.blockUntil === undefined ? info.message : `${info.message} (Retry-After)` });
      job.notBefore = next.notBefore;
      ctx.releaseSlot(job);
      ctx.setStatus(job, 'pending');
      if (ctx.submitsHalted !== undefined) return ctx.leaveUnsent(job);
      ctx.requeue(job);
      return;
    case 'indeterminate':
      await ctx.recordOrWarn(job, 'indeterminate', { error: info });
      ctx.settle(job, 'indeterminate', { ...info, message: `${next.reason}; ${INDETERMINATE_HINT}`, code: 'E_INDETERMINATE' });
      return;
    case 'fail':
      await ctx.recordOrWarn(job, 'not_created', { error: info });
      ctx.settle(job, 'failed', errorInfo(err, next.reason));
  }
}
