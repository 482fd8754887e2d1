/**
 * The one place that carries out a retry decision for a request tried in a loop (a download,
 * the status read for a fresh result URL, a cancel): try, and on failure ask `decide` (a pure
 * policy from retry-policy.ts, or one built on it) whether to try again and after how long,
 * sleeping on the injected clock. Submits and routine status reads are retried by being put
 * back in the queue or the poller instead (decide.ts); the policy is the same.
 */
import { sleep, type Clock } from './clock.js';
import type { ReadDecision } from './retry-policy.js';

export interface RetryOptions {
  clock: Clock;
  /** Aborts the waiting between attempts; the last error is then thrown. */
  signal?: AbortSignal | undefined;
  random: () => number;
  /** Failed attempt `attempt` (1-based) with `err`: again after how long, or give up. May do work first (a fresh URL). */
  decide: (err: unknown, attempt: number, random: number) => ReadDecision | Promise<ReadDecision>;
  /** Told of each retry before its wait. */
  onRetry?: ((attempt: number, delayMs: number, err: unknown) => void) | undefined;
  /** Before each attempt: throw to stop (e.g. a deadline passed). */
  beforeAttempt?: ((attempt: number) => void) | undefined;
}

export async function withRetry<T>(attemptFn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    o.beforeAttempt?.(attempt);
    try {
      return await attemptFn(attempt);
    } catch (err) {
      if (o.signal?.aborted) throw err;
      const decision = await o.decide(err, attempt, o.random());
      if (decision.action === 'fail') throw err;
      o.onRetry?.(attempt, decision.delayMs, err);
      if (decision.delayMs > 0) await sleep(o.clock, decision.delayMs, o.signal);
      if (o.signal?.aborted) throw err;
    }
  }
}
