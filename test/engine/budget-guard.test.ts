/**
 * The budget check asked before each submit (engine/budget.ts), on jobs whose state the test
 * moves by hand: what is reserved, what is freed, when submits wait and when they stop.
 */
import { describe, expect, it } from 'vitest';
import { priceOf } from '../../src/core/prices.js';
import { BudgetGuard } from '../../src/engine/budget.js';
import type { Job } from '../../src/engine/job.js';

type Fake = { id: string; provider: 'krea' | 'aimlapi'; status: string; finalStatus: string | undefined; state: { phase: string; provider_metadata: { credits_used?: number } }; prepared: { spec: { provider: string; model: string; params: Record<string, unknown> } } };

function job(id: string, provider: 'krea' | 'aimlapi', model: string, params: Record<string, unknown> = {}): Fake {
  return { id, provider, status: 'pending', finalStatus: undefined, state: { phase: 'submitting', provider_metadata: {} }, prepared: { spec: { provider, model, params } } };
}

/** What the engine does once the budget says go: the submit is on the wire. */
function send(guard: BudgetGuard, j: Fake): ReturnType<BudgetGuard['beforeSubmit']> {
  const verdict = guard.beforeSubmit(j as unknown as Job);
  if (verdict === 'go') j.status = 'submitting';
  return verdict;
}

const guardOf = (limits: ConstructorParameters<typeof BudgetGuard>[0]): BudgetGuard =>
  new BudgetGuard(limits, (s) => priceOf(s.provider, s.model, s.params));

describe('budget check before a submit', () => {
  it('reserves Kling prices, frees them when a Krea job fails, counts them spent when it succeeds', () => {
    const guard = guardOf({ krea: 400 });
    const [a, b, c] = ['a', 'b', 'c'].map((id) => job(id, 'krea', 'kling/kling-2.5', { duration: 5 })) as [Fake, Fake, Fake];
    expect(send(guard, a)).toBe('go');
    expect(send(guard, b)).toBe('go');
    // Over the budget while submits are still on the wire: wait for their answers, do not stop yet.
    expect(send(guard, c)).toBe('wait');
    for (const j of [a, b]) Object.assign(j, { status: 'queued', state: { ...j.state, phase: 'submitted' } });
    expect(send(guard, c)).toEqual({ halt: expect.stringContaining('krea: the next render, c (200 compute units), would take spending to 600 compute units, over the budget of 400') });
    // Failed jobs are free at Krea: the reserve comes back.
    Object.assign(a, { status: 'failed', finalStatus: 'failed', state: { ...a.state, phase: 'failed' } });
    Object.assign(b, { status: 'succeeded', finalStatus: 'succeeded', state: { ...b.state, phase: 'downloaded' } });
    expect(send(guard, c)).toBe('go');
    Object.assign(c, { status: 'running', state: { ...c.state, phase: 'started' } });
    expect(guard.spent()).toEqual([{ provider: 'krea', unit: 'compute units', amount: 200, jobs: 3, counted: 2, unknown: 0 }]);
  });

  it('sends a render of unknown price only after the one before it reported its credits, then prices the same params by them', () => {
    const guard = guardOf({ aimlapi: 250 });
    const [a, b, c] = ['a', 'b', 'c'].map((id) => job(id, 'aimlapi', 'some/new-model', { duration: 5 })) as [Fake, Fake, Fake];
    expect(send(guard, a)).toBe('go');
    expect(send(guard, b)).toBe('wait');
    Object.assign(a, { status: 'queued', state: { phase: 'submitted', provider_metadata: { credits_used: 100 } } });
    expect(send(guard, b)).toBe('go');
    Object.assign(b, { status: 'queued', state: { phase: 'submitted', provider_metadata: { credits_used: 100 } } });
    expect(send(guard, c)).toEqual({ halt: expect.stringContaining('would take spending to 300 credits, over the budget of 250') });
    expect(guard.spent()).toEqual([{ provider: 'aimlapi', unit: 'credits', amount: 200, jobs: 2, counted: 2, unknown: 0 }]);
  });

  it('lets everything go where no budget is set, and still tallies what was spent', () => {
    const guard = guardOf({});
    const jobs = ['a', 'b', 'c'].map((id) => job(id, 'aimlapi', 'pixverse/v5/text-to-video', { resolution: id === 'a' ? '360p' : '720p' }));
    for (const j of jobs) expect(send(guard, j)).toBe('go');
    Object.assign(jobs[0] as Fake, { status: 'queued', state: { phase: 'submitted', provider_metadata: { credits_used: 900000 } } });
    expect(guard.spent()).toEqual([{ provider: 'aimlapi', unit: 'credits', amount: 900000, jobs: 3, counted: 1, unknown: 2 }]);
  });
});
