/**
 * What a run learns of its jobs' times to completion, and what it uses of it. A job submitted in
 * this run knows when its submit was answered and when a read last saw it not done; when a read
 * sees it succeeded, that interval (or the provider's own exact time, where it reports one) is a
 * sample for its timing key, so later jobs of the same key, in this run and the next, are read
 * near when they are likely done. A resumed job's start is not known: it is read as before.
 */
import type { JobStatus } from '../providers/types.js';
import type { Cadence } from './decide.js';
import type { Job } from './job.js';
import type { ReadSchedule } from './read-schedule.js';
import { timingKey } from './timing-key.js';

export function timingKeyOf(job: Job): string {
  const { provider, model, params } = job.prepared.spec;
  return timingKey(provider, model, params);
}

/**
 * Learns from a status answer of `job` at `now` (only successes are times to completion). A job
 * seen done at its first read says only "done by then"; that read comes one base interval after
 * the earliest finish the model had (read-schedule.ts), so it counts there: as the read itself it
 * would push the earliest finish a base interval later with every such job, and the first reads
 * with it, so that jobs of a steady time would be seen later and later.
 */
export function noteStatus(schedule: ReadSchedule | undefined, job: Job, status: JobStatus, now: number, baseMs: number): void {
  if (schedule === undefined || job.acceptedAt === undefined) return;
  const elapsed = now - job.acceptedAt;
  switch (status.state) {
    case 'succeeded':
      if (status.tookMs !== undefined) schedule.add(timingKeyOf(job), status.tookMs, status.tookMs);
      else if (job.pendingSeenMs > 0 || elapsed <= baseMs) schedule.add(timingKeyOf(job), job.pendingSeenMs, elapsed);
      else schedule.add(timingKeyOf(job), elapsed - baseMs, elapsed - baseMs);
      return;
    case 'failed':
      return;
    default:
      job.pendingSeenMs = elapsed;
  }
}

/** The learned part of a job's cadence, when its key has a model and its start is known. */
export function learnedCadence(schedule: ReadSchedule | undefined, job: Job, now: number): Cadence['learned'] {
  if (schedule === undefined || job.acceptedAt === undefined) return undefined;
  const estimate = schedule.estimate(timingKeyOf(job));
  return estimate === undefined ? undefined : { estimate, elapsedMs: now - job.acceptedAt };
}

/**
 * The provider's hint of the time a job has left: its own ETA where it gives one, else its
 * progress (Novita's `progress_percent` without an `eta`): a job a share p through after running
 * r ms has about r × (1 − p) / p left. Running time counts from the read that first saw the job
 * running (`started_at`), at most its true running time, so the hint errs short: reads come
 * early rather than late.
 */
export function statusHintMs(job: Pick<Job, 'adapter' | 'state'>, status: JobStatus, now: number): number | undefined {
  const eta = job.adapter.pollHintMs?.(status);
  if (eta !== undefined || status.state !== 'running' || status.progress === undefined) return eta;
  const p = status.progress;
  const startedAt = job.state.started_at === null ? NaN : Date.parse(job.state.started_at);
  const runningMs = now - startedAt;
  if (!(p > 0 && p < 1) || !(runningMs > 0)) return undefined;
  return (runningMs * (1 - p)) / p;
}
