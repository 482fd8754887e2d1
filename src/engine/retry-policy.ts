/**
 * The one place that decides whether a failed request is tried again, and when. Polling
 * (how often a healthy job is read) lives in the poller; this module only answers "this
 * request failed: again, after how long, or never?". Every decision is a pure function of the
 * error, the attempt number and a random draw, so the table in the tests covers them all.
 */
import { RETRY_POLICY } from '../core/defaults.js';
import { isConnectionFailure } from '../providers/transport-errors.js';
import { PROVIDER_ERROR_CODES } from '../providers/http-errors.js';
import { ProviderError, type Operation } from '../providers/types.js';
import { DiskError } from './disk-errors.js';

export { RETRY_POLICY };
export type RetryPolicy = typeof RETRY_POLICY;

export type SubmitDecision =
  /** The job was certainly not created: send the POST again after `delayMs`. */
  | { action: 'retry'; delayMs: number; retryAfterMs: number | undefined }
  /** The provider refused the request (4xx) or retries ran out; no job exists. */
  | { action: 'fail'; reason: string }
  /** A job may exist and be billed: never resend without the user's say-so (--force). */
  | { action: 'indeterminate'; reason: string };

export type ReadDecision =
  | { action: 'retry'; delayMs: number; retryAfterMs: number | undefined }
  | { action: 'fail'; reason: string };

/** True when `err` is a connection failure, not an answer (one classifier: providers/transport-errors.ts). */
export const isConnectionError = isConnectionFailure;

/** Capped exponential backoff with jitter; `attempt` is the number of failures so far (1-based). */
export function backoffDelayMs(attempt: number, random: number, policy: RetryPolicy = RETRY_POLICY): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (1 - policy.jitter + policy.jitter * random));
}

/** The wait before the next attempt: the provider's Retry-After (capped) when it sent one. */
export function retryDelayMs(err: unknown, attempt: number, random: number, policy: RetryPolicy = RETRY_POLICY): number {
  const asked = retryAfterOf(err);
  if (asked !== undefined) return Math.min(asked, policy.maxRetryAfterMs);
  return backoffDelayMs(attempt, random, policy);
}

function retryAfterOf(err: unknown): number | undefined {
  return err instanceof ProviderError ? err.retryAfterMs : undefined;
}

function cappedRetryAfter(err: unknown, policy: RetryPolicy): number | undefined {
  const asked = retryAfterOf(err);
  return asked === undefined ? undefined : Math.min(asked, policy.maxRetryAfterMs);
}

/** Worth another try for a status read or download: 429, 5xx, connection errors. */
export function isRetryableRead(err: unknown): boolean {
  if (err instanceof ProviderError) return err.retryable || (err.httpStatus === undefined && isConnectionError(err));
  return isConnectionError(err);
}

/** A status read answered 404: the provider does not know the job (forgotten, or another account's). */
export function isJobNotFound(err: unknown): boolean {
  return err instanceof ProviderError && err.operation === 'status' && err.httpStatus === 404;
}

/** What to do after submit attempt number `attempt` failed with `err`. */
export function decideSubmit(err: unknown, attempt: number, random: number, policy: RetryPolicy = RETRY_POLICY): SubmitDecision {
  const message = err instanceof Error ? err.message : String(err);
  if (!(err instanceof ProviderError)) {
    // Not classified by the HTTP client: we cannot know whether the POST left, so assume it did.
    return isConnectionError(err)
      ? { action: 'indeterminate', reason: message }
      : { action: 'fail', reason: message };
  }
  if (err.certainlyNotCreated) {
    if (attempt >= policy.submitMaxAttempts) return { action: 'fail', reason: `${message} (gave up after ${attempt} attempts)` };
    return { action: 'retry', delayMs: retryDelayMs(err, attempt, random, policy), retryAfterMs: cappedRetryAfter(err, policy) };
  }
  // An answer too large to read, whatever its status: the job may exist, like after a 5xx.
  if (err.code === PROVIDER_ERROR_CODES.tooLarge) return { action: 'indeterminate', reason: message };
  const status = err.httpStatus;
  // A 4xx other than 429 is a refusal: the provider read the request and created nothing.
  if (status !== undefined && status >= 400 && status < 500 && status !== 429) return { action: 'fail', reason: message };
  // Connection dropped after sending, a 500/502/504, or a 2xx we could not read: the job may exist.
  return { action: 'indeterminate', reason: message };
}

/** What to do after status read or download attempt number `attempt` failed with `err`. */
export function decideRead(
  err: unknown,
  operation: Exclude<Operation, 'submit'>,
  attempt: number,
  random: number,
  policy: RetryPolicy = RETRY_POLICY,
): ReadDecision {
  const message = err instanceof Error ? err.message : String(err);
  // A full, read-only or forbidden disk is not a network problem: another try writes nowhere.
  if (err instanceof DiskError) return { action: 'fail', reason: message };
  if (!isRetryableRead(err)) return { action: 'fail', reason: message };
  if (operation === 'download' && attempt >= policy.downloadMaxAttempts) {
    return { action: 'fail', reason: `${message} (gave up after ${attempt} attempts)` };
  }
  return { action: 'retry', delayMs: retryDelayMs(err, attempt, random, policy), retryAfterMs: cappedRetryAfter(err, policy) };
}
