/**
 * The engine's decisions (engine/decide.ts) as tables: what a poll coming due, a status answer,
 * a failed read and a failed submit each lead to. No clock, no socket: `now` and the random
 * draw are parameters.
 */
import { describe, expect, it } from 'vitest';
import { RETRY_POLICY } from '../../src/core/defaults.js';
import { errorInfo, nextPollAt, onPollDue, onStatus, onStatusError, onSubmitError, type JobFacts } from '../../src/engine/decide.js';
import type { JobStatus } from '../../src/providers/types.js';
import { providerError } from './support/paper.js';

const NOW = 1_000_000;
const job: JobFacts = { deadlineAt: NOW + 60_000, statusFailures: 0, seenRunning: false };
const cadence = { baseMs: 1000, hintMs: undefined };

describe('a poll comes due', () => {
  it.each([
    { name: 'before the deadline, the provider free: read', deadlineAt: NOW + 1, readyAt: 0, want: { do: 'read' } },
    { name: 'the provider asked to wait (Retry-After): wait until then', deadlineAt: NOW + 60_000, readyAt: NOW + 5000, want: { do: 'wait', until: NOW + 5000 } },
    { name: 'at the deadline: time out, even while the provider asks to wait', deadlineAt: NOW, readyAt: NOW + 5000, want: { do: 'time_out' } },
  ])('$name', ({ deadlineAt, readyAt, want }) => {
    expect(onPollDue({ deadlineAt }, NOW, readyAt)).toEqual(want);
  });
});

describe('a status answer', () => {
  const metadata = {};
  it.each<{ name: string; facts?: Partial<JobFacts>; status: JobStatus; want: unknown }>([
    { name: 'succeeded: download its video', status: { state: 'succeeded', providerStatus: 'completed', videoUrl: 'https://x/v.mp4', metadata }, want: { do: 'download', url: 'https://x/v.mp4' } },
    { name: "failed: the render fails with the provider's reason", status: { state: 'failed', providerStatus: 'error', reason: 'nsfw', metadata }, want: { do: 'fail', reason: 'nsfw' } },
    { name: 'running, first seen: journal started, read again at the base', status: { state: 'running', providerStatus: 'generating' }, want: { do: 'poll', show: 'running', journalStarted: true, pollAt: NOW + 1000 } },
    { name: 'running, seen before: nothing to journal', facts: { seenRunning: true }, status: { state: 'running', providerStatus: 'generating' }, want: { do: 'poll', show: 'running', journalStarted: false, pollAt: NOW + 1000 } },
    { name: 'queued: show it, read again', status: { state: 'queued', providerStatus: 'queued' }, want: { do: 'poll', show: 'queued', journalStarted: false, pollAt: NOW + 1000 } },
    { name: 'a status render does not know: keep reading', status: { state: 'unknown', providerStatus: 'thinking' }, want: { do: 'poll_unknown', pollAt: NOW + 1000 } },
    { name: 'the next read never goes past the deadline', facts: { deadlineAt: NOW + 300 }, status: { state: 'queued', providerStatus: 'queued' }, want: { do: 'poll', show: 'queued', journalStarted: false, pollAt: NOW + 300 } },
  ])('$name', ({ facts, status, want }) => {
    expect(onStatus({ ...job, ...facts }, status, NOW, cadence)).toEqual(want);
  });

  it('an ETA far away spaces reads out (half of it less a second), a near one does not', () => {
    expect(nextPollAt(job, NOW, { baseMs: 1000, hintMs: 30_000 })).toBe(NOW + 14_000);
    expect(nextPollAt(job, NOW, { baseMs: 1000, hintMs: 2000 })).toBe(NOW + 1000);
  });
});

describe('a status read failed', () => {
  it('404 for our own job: lost (the next run submits again)', () => {
    expect(onStatusError(job, providerError('status', 404, 'not found'), 1, NOW, 0.5)).toEqual({ do: 'lose' });
  });

  it('a 503: read again after the backoff, and nothing to the provider before its Retry-After', () => {
    const next = onStatusError(job, providerError('status', 503, 'busy', { retryAfterMs: 4000 }), 1, NOW, 0.5);
    expect(next).toMatchObject({ do: 'retry', blockUntil: NOW + 4000 });
    if (next.do !== 'retry') return;
    expect(next.at).toBe(NOW + next.delayMs);
    expect(next.delayMs).toBeGreaterThanOrEqual(4000);
  });

  it('the retry is never later than the deadline', () => {
    const next = onStatusError({ deadlineAt: NOW + 100 }, providerError('status', 503, 'busy'), 5, NOW, 0.5);
    expect(next).toMatchObject({ do: 'retry', at: NOW + 100 });
  });

  it('past the deadline: time out, not retry', () => {
    expect(onStatusError({ deadlineAt: NOW }, providerError('status', 503, 'busy'), 1, NOW, 0.5)).toEqual({ do: 'time_out' });
  });

  it('a refusal that will not change (401): give up on reading in this run; the job id is kept', () => {
    expect(onStatusError(job, providerError('status', 401, 'bad key'), 1, NOW, 0.5)).toMatchObject({ do: 'give_up' });
  });
});

describe('a submit failed', () => {
  it('certainly not created (429): back in the queue after the backoff, the provider held until its Retry-After', () => {
    const next = onSubmitError(providerError('submit', 429, 'slow down', { retryAfterMs: 3000 }), 1, NOW, 0.5);
    expect(next).toMatchObject({ do: 'requeue', blockUntil: NOW + 3000 });
    if (next.do === 'requeue') expect(next.notBefore).toBe(NOW + next.delayMs);
  });

  it('certainly not created, attempts used up: the render fails', () => {
    expect(onSubmitError(providerError('submit', 429, 'slow down'), RETRY_POLICY.submitMaxAttempts, NOW, 0.5)).toMatchObject({ do: 'fail' });
  });

  it('a 500 (the job may exist): indeterminate, never sent again', () => {
    expect(onSubmitError(providerError('submit', 500, 'oops'), 1, NOW, 0.5)).toMatchObject({ do: 'indeterminate' });
  });

  it('a 400 (refused, nothing created): the render fails', () => {
    expect(onSubmitError(providerError('submit', 400, 'bad prompt'), 1, NOW, 0.5)).toMatchObject({ do: 'fail', reason: expect.stringContaining('bad prompt') });
  });
});

describe('the error a render is recorded with', () => {
  it("keeps the provider's code and HTTP status, with render's own words where given", () => {
    expect(errorInfo(providerError('status', 503, 'busy'), 'cannot read the status')).toEqual({ message: 'cannot read the status', code: 'E_PROVIDER_HTTP', http_status: 503 });
    expect(errorInfo(new Error('disk'))).toEqual({ message: 'disk' });
  });
});
