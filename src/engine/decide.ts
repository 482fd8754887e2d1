/**
 * The engine's decisions, with no I/O and no clock of their own: given what is known of a job
 * and what just happened (a poll came due, a status answer, a failed read, a failed submit),
 * say what to do next. The driver (job-steps.ts) carries the answer out — HTTP, journal, timers
 * — so every rule here is tested as a table (test/engine/decide.test.ts), without sockets or
 * waiting.
 */
import type { RenderErrorInfo } from '../core/records.js';
import type { JobStatus } from '../providers/types.js';
import { ProviderError } from '../providers/types.js';
import { ENGINE_DEFAULTS } from './defaults.js';
import { learnedDelay, type TimingEstimate } from './read-schedule.js';
import { decideRead, decideSubmit, isJobNotFound } from './retry-policy.js';

/** What a decision needs to know of a job. */
export interface JobFacts {
  /** The render's deadline (--timeout), ms since the epoch. */
  deadlineAt: number;
  /** Status reads that failed in a row, before this one. */
  statusFailures: number;
  /** Whether the job has been seen running before. */
  seenRunning: boolean;
}

/** Where the poll interval comes from: the flag or the provider's, its ETA hint, and what was learned. */
export interface Cadence {
  baseMs: number;
  /** The provider's estimate of the time left, when it gives one. */
  hintMs: number | undefined;
  /** How long jobs like this one took (read-schedule.ts), and how long ago its submit was answered. */
  learned?: { estimate: TimingEstimate; elapsedMs: number } | undefined;
}

export type PollDue =
  | { do: 'time_out' }
  /** The provider asked to be left alone until then (Retry-After). */
  | { do: 'wait'; until: number }
  | { do: 'read' };

/** A job's status read came due at `now`. */
export function onPollDue(job: Pick<JobFacts, 'deadlineAt'>, now: number, providerReadyAt: number): PollDue {
  if (now >= job.deadlineAt) return { do: 'time_out' };
  if (providerReadyAt > now) return { do: 'wait', until: providerReadyAt };
  return { do: 'read' };
}

export type AfterStatus =
  /** Journal `succeeded`, free the slot, fetch the video. */
  | { do: 'download'; url: string }
  /** Journal `failed` with the provider's reason; the render failed. */
  | { do: 'fail'; reason: string }
  /** Still at it: show `show`, journal `started` when first seen running, read again at `pollAt`. */
  | { do: 'poll'; show: 'queued' | 'running'; journalStarted: boolean; pollAt: number }
  /** A status render does not know: say so once, keep polling. */
  | { do: 'poll_unknown'; pollAt: number };

/** What a status answer means. */
export function onStatus(job: JobFacts, status: JobStatus, now: number, cadence: Cadence): AfterStatus {
  switch (status.state) {
    case 'succeeded':
      return { do: 'download', url: status.videoUrl };
    case 'failed':
      return { do: 'fail', reason: status.reason };
    case 'running':
      return { do: 'poll', show: 'running', journalStarted: !job.seenRunning, pollAt: nextPollAt(job, now, cadence) };
    case 'queued':
      return { do: 'poll', show: 'queued', journalStarted: false, pollAt: nextPollAt(job, now, cadence) };
    default:
      return { do: 'poll_unknown', pollAt: nextPollAt(job, now, cadence) };
  }
}

/**
 * When to read a job again. With learned times for jobs like it: as read-schedule.ts says
 * (sparser far from its expected finish, the base interval near and past it). Otherwise, far
 * from done by the provider's own estimate: less often (estimates come in whole seconds and run
 * late or early, so aim at half of it less a second, and read at the normal pace once near the
 * end). Never past the deadline.
 */
export function nextPollAt(job: Pick<JobFacts, 'deadlineAt'>, now: number, cadence: Cadence): number {
  const { baseMs, hintMs, learned } = cadence;
  const delay = learned
    ? learnedDelay(learned.estimate, learned.elapsedMs, baseMs, hintMs)
    : hintMs === undefined
      ? baseMs
      : Math.max(baseMs, Math.min(hintMs / 2 - 1000, ENGINE_DEFAULTS.pollHintCapMs));
  return Math.min(now + delay, job.deadlineAt);
}

export type AfterReadError =
  /** 404 for our own job: the provider forgot it. Journal `lost`; the next run submits again. */
  | { do: 'lose' }
  /** The read was cut by the render's own deadline: that is the end of waiting, not a retry. */
  | { do: 'time_out' }
  /** Nothing more to try in this run; the job keeps its id, so a rerun resumes it. */
  | { do: 'give_up'; reason: string }
  /** Read again at `at`; hold every request to the provider until `blockUntil` (Retry-After). */
  | { do: 'retry'; at: number; delayMs: number; blockUntil: number | undefined };

/** A status read failed with `err` (the `failures`-th in a row, this one counted). */
export function onStatusError(job: Pick<JobFacts, 'deadlineAt'>, err: unknown, failures: number, now: number, random: number): AfterReadError {
  if (isJobNotFound(err)) return { do: 'lose' };
  const decision = decideRead(err, 'status', failures, random);
  if (now >= job.deadlineAt) return { do: 'time_out' };
  if (decision.action === 'fail') return { do: 'give_up', reason: decision.reason };
  return {
    do: 'retry',
    at: Math.min(now + decision.delayMs, Math.max(job.deadlineAt, now)),
    delayMs: decision.delayMs,
    blockUntil: decision.retryAfterMs === undefined ? undefined : now + decision.retryAfterMs,
  };
}

export type AfterSubmitError =
  /** Certainly not created: journal `not_created`, put it back in front of the queue. */
  | { do: 'requeue'; notBefore: number; delayMs: number; blockUntil: number | undefined }
  /** A job may exist: journal `indeterminate`, never resend without --force. */
  | { do: 'indeterminate'; reason: string }
  /** Refused (4xx) or retries ran out: journal `not_created`, the render failed. */
  | { do: 'fail'; reason: string };

/** Submit attempt `attempt` failed with `err`. */
export function onSubmitError(err: unknown, attempt: number, now: number, random: number): AfterSubmitError {
  const decision = decideSubmit(err, attempt, random);
  if (decision.action === 'retry') {
    return { do: 'requeue', notBefore: now + decision.delayMs, delayMs: decision.delayMs, blockUntil: decision.retryAfterMs === undefined ? undefined : now + decision.retryAfterMs };
  }
  if (decision.action === 'indeterminate') return { do: 'indeterminate', reason: decision.reason };
  return { do: 'fail', reason: decision.reason };
}

/** The error a render is recorded with, from what went wrong and, optionally, render's words. */
export function errorInfo(err: unknown, message?: string): RenderErrorInfo {
  const info: RenderErrorInfo = { message: message ?? (err instanceof Error ? err.message : String(err)) };
  if (err instanceof ProviderError) {
    info.code = err.code;
    if (err.httpStatus !== undefined) info.http_status = err.httpStatus;
    if (err.requestId !== undefined) info.request_id = err.requestId;
  }
  return info;
}
