import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/engine/clock.js';
import { MinHeap } from '../../src/core/min-heap.js';
import { Poller } from '../../src/engine/poller.js';
import { ProviderGates } from '../../src/engine/provider-gates.js';
import { Slots } from '../../src/engine/slots.js';
import { SubmitQueue } from '../../src/engine/submit-queue.js';
import type { ProviderName } from '../../src/core/catalog.js';

/** A clock that only moves when told to; timers fire in order as it moves. */
function fakeClock(start = 1_000_000): Clock & { advance(ms: number): void; timers: number } {
  let now = start;
  let timers: { at: number; fn: () => void; live: boolean }[] = [];
  return {
    now: () => now,
    setTimer(fn, ms) {
      const t = { at: now + Math.max(0, ms), fn, live: true };
      timers.push(t);
      return () => (t.live = false);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = due.at;
        due.live = false;
        due.fn();
      }
      now = end;
      timers = timers.filter((t) => t.live);
    },
    get timers() {
      return timers.filter((t) => t.live).length;
    },
  };
}

describe('Slots', () => {
  it('never exceeds the global or the per-provider limit', () => {
    const s = new Slots(3, { krea: 1 });
    s.take('krea');
    expect(s.canTake('krea')).toBe(false);
    s.take('aimlapi');
    s.take('novita');
    expect(s.canTake('aimlapi')).toBe(false);
    expect(() => s.take('aimlapi')).toThrow(/no free slot/);
    s.release('krea');
    expect(s.canTake('krea')).toBe(true);
    expect(() => s.release('krea')).toThrow(/not taken/);
  });
});

describe('ProviderGates', () => {
  it('paces submits over a sliding minute', () => {
    const clock = fakeClock();
    const g = new ProviderGates(clock, { novita: 2 });
    const t0 = clock.now();
    g.noteSubmit('novita');
    clock.advance(1000);
    g.noteSubmit('novita');
    expect(g.submitReadyAt('novita')).toBe(t0 + 60_000);
    expect(g.submitReadyAt('aimlapi')).toBe(0);
    clock.advance(60_000);
    g.noteSubmit('novita');
    expect(g.submitReadyAt('novita')).toBe(t0 + 1000 + 60_000);
  });

  it('holds every request to a provider until its Retry-After time', () => {
    const g = new ProviderGates(fakeClock(), {});
    g.blockUntil('krea', 5000);
    g.blockUntil('krea', 3000); // an earlier ask never shortens a later one
    expect(g.readyAt('krea')).toBe(5000);
    expect(g.submitReadyAt('krea')).toBe(5000);
    g.blockSubmitsUntil('krea', 9000);
    expect(g.readyAt('krea')).toBe(5000);
    expect(g.submitReadyAt('krea')).toBe(9000);
  });
});

describe('MinHeap', () => {
  it('pops in time order', () => {
    const h = new MinHeap<number>();
    for (const at of [5, 1, 9, 3, 3, 7, 0]) h.push({ at, value: at });
    const out: number[] = [];
    for (let e = h.pop(); e; e = h.pop()) out.push(e.at);
    expect(out).toEqual([0, 1, 3, 3, 5, 7, 9]);
  });
});

describe('Poller', () => {
  it('uses one timer for every job and fires each at its own time', () => {
    const clock = fakeClock();
    const fired: string[] = [];
    const p = new Poller<string>(clock, (k) => fired.push(k));
    const t = clock.now();
    p.schedule('a', t + 300);
    p.schedule('b', t + 100);
    p.schedule('c', t + 200);
    expect(clock.timers).toBe(1);
    clock.advance(150);
    expect(fired).toEqual(['b']);
    p.schedule('a', t + 160); // rescheduling replaces the earlier time
    clock.advance(100);
    expect(fired).toEqual(['b', 'a', 'c']);
    clock.advance(1000);
    expect(fired).toEqual(['b', 'a', 'c']);
    expect(p.size).toBe(0);
  });

  it('stops firing after stop() and cancel()', () => {
    const clock = fakeClock();
    const fired: string[] = [];
    const p = new Poller<string>(clock, (k) => fired.push(k));
    p.schedule('a', clock.now() + 10);
    p.schedule('b', clock.now() + 10);
    p.cancel('a');
    clock.advance(20);
    expect(fired).toEqual(['b']);
    p.schedule('c', clock.now() + 10);
    p.stop();
    clock.advance(20);
    expect(fired).toEqual(['b']);
  });
});

describe('SubmitQueue', () => {
  const job = (order: number, provider: ProviderName, lane = 0) => ({ order, provider, lane, notBefore: 0 });

  it('takes the earliest render whose provider has a slot and an open gate', () => {
    const q = new SubmitQueue();
    const a1 = job(0, 'krea');
    const b1 = job(1, 'aimlapi');
    const a2 = job(2, 'krea');
    [a1, b1, a2].forEach((j) => q.push(j));
    expect(q.next(0, () => true, () => 0).job).toBe(a1);
    expect(q.next(0, (h) => h.provider !== 'krea', () => 0).job).toBe(b1);
    const gated = q.next(0, () => true, (p) => (p === 'krea' ? 500 : 0));
    expect(gated.job).toBe(b1);
    expect(q.next(0, (h) => h.provider === 'krea', (p) => (p === 'krea' ? 500 : 0))).toEqual({ job: undefined, wakeAt: 500 });
    q.take(a1);
    expect(() => q.take(a1)).toThrow();
    q.pushFront(a1);
    expect(q.next(0, () => true, () => 0).job).toBe(a1);
    expect(q.size).toBe(3);
  });

  it('keeps a FIFO per manifest lane: a lane at its limit does not hold back a later lane of the same provider', () => {
    const q = new SubmitQueue();
    const a1 = job(0, 'krea', 0);
    const a2 = job(1, 'krea', 0);
    const b1 = job(2, 'krea', 1);
    [a1, a2, b1].forEach((j) => q.push(j));
    expect(q.next(0, () => true, () => 0).job).toBe(a1);
    expect(q.next(0, (h) => h.lane !== 0, () => 0).job).toBe(b1);
    expect(q.drain()).toEqual([a1, a2, b1]);
  });
});

describe('Slots lanes', () => {
  it("counts a lane's renders against its own limit, the provider's and the global one", () => {
    const s = new Slots(4, { krea: 3 }, new Map([[0, 1]]));
    s.take('krea', { lane: 0 });
    expect(s.canTake('krea', 0)).toBe(false);
    expect(s.canTake('krea', 1)).toBe(true);
    s.take('krea', { lane: 1 });
    s.take('krea', { lane: 1 });
    expect(s.canTake('krea', 1)).toBe(false);
    expect(s.canTake('aimlapi', 1)).toBe(true);
    s.take('aimlapi', { lane: 1 });
    expect(s.canTake('aimlapi', 2)).toBe(false);
    s.release('krea', 0);
    expect(s.canTake('krea', 0)).toBe(true);
    expect(() => s.release('krea', 0)).toThrow();
  });
});
