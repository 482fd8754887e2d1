/**
 * The learned read schedule as tables: the estimate from samples, and when a job is read next
 * (through decide.ts's nextPollAt, as the engine asks it) for what has been learned.
 */
import { describe, expect, it } from 'vitest';
import { ENGINE_DEFAULTS } from '../../src/core/defaults.js';
import { nextPollAt } from '../../src/engine/decide.js';
import { estimateOf, ReadSchedule, shareDone, type TimingEstimate } from '../../src/engine/read-schedule.js';
import { timingKey } from '../../src/engine/timing-key.js';
import { statusHintMs } from '../../src/engine/read-learning.js';
import type { JobStatus } from '../../src/providers/types.js';

const NOW = 1_000_000;
const FAR = Infinity;
const BASE = 250;

/** Exact samples at 1000, 1100, …: a key whose jobs take 1 to 3 s. */
function uniform(n: number, from = 1000, to = 3000): Array<[number, number]> {
  return Array.from({ length: n }, (_, i) => {
    const t = from + ((to - from) * i) / (n - 1);
    return [t, t];
  });
}

function est(samples: Array<[number, number]>): TimingEstimate {
  const e = estimateOf(samples);
  if (!e) throw new Error('no estimate');
  return e;
}

/** The delay nextPollAt gives, in ms from now. */
function delay(o: { learned?: TimingEstimate; elapsedMs?: number; hintMs?: number; deadlineAt?: number; baseMs?: number }): number {
  const cadence = {
    baseMs: o.baseMs ?? BASE,
    hintMs: o.hintMs,
    learned: o.learned ? { estimate: o.learned, elapsedMs: o.elapsedMs ?? 0 } : undefined,
  };
  return nextPollAt({ deadlineAt: o.deadlineAt ?? FAR }, NOW, cadence) - NOW;
}

describe('the estimate from samples', () => {
  it('needs readMinSamples samples', () => {
    const few = uniform(ENGINE_DEFAULTS.readMinSamples).slice(1);
    expect(estimateOf(few)).toBeUndefined();
    expect(estimateOf(uniform(ENGINE_DEFAULTS.readMinSamples))).toBeDefined();
  });

  it.each([
    // samples, a, b, median
    { samples: uniform(21), a: 1000 - 2000 / 22, b: 3000 + 2000 / 22, median: 2000 },
    { samples: [[1000, 1000], [1000, 1000], [1000, 1000]] as Array<[number, number]>, a: 1000, b: 1000, median: 1000 },
    // Intervals [lo, hi] from reads count at their midpoints, one seen done at its first read at
    // that read: 1000, 1125, 1875 (spread 875).
    { samples: [[0, 1000], [1000, 1250], [1750, 2000]] as Array<[number, number]>, a: 1000 - 875 / 4, b: 1875 + 875 / 4, median: 1125 },
  ])('a, b and the expected finish of $samples.length samples', ({ samples, a, b, median }) => {
    const e = est(samples);
    expect(e.a).toBeCloseTo(a, 6);
    expect(e.b).toBeCloseTo(b, 6);
    expect(e.median).toBeCloseTo(median, 6);
    expect(shareDone(e, e.a - 1)).toBe(0);
    expect(shareDone(e, e.b)).toBe(1);
  });
});

describe('when to read a job next', () => {
  const learned = est(uniform(21));

  it.each([
    // Nothing learned: exactly today's rule, the base interval or the ETA hint's.
    { name: 'nothing learned, no hint', o: {}, want: BASE },
    { name: 'nothing learned, 10 s hint: half of it less a second', o: { hintMs: 10_000 }, want: 4000 },
    { name: 'nothing learned, short hint: the base', o: { hintMs: 1000 }, want: BASE },
    { name: 'nothing learned, long hint: capped', o: { hintMs: 3600_000 }, want: ENGINE_DEFAULTS.pollHintCapMs },
    // Learned: the first read one base interval after a (the submit's answer is at 0).
    { name: 'just submitted: first read at a + base', o: { learned, elapsedMs: 0 }, want: learned.a + BASE },
    { name: 'before a: at a + base', o: { learned, elapsedMs: 500 }, want: learned.a + BASE - 500 },
    { name: 'within the base of the first read: never sooner than the base', o: { learned, elapsedMs: learned.a - 100 }, want: BASE + 100 },
    // Near and past the expected finish, and overdue: the base interval.
    { name: 'at the expected finish', o: { learned, elapsedMs: 2000 }, want: BASE },
    { name: 'past the expected finish', o: { learned, elapsedMs: 2600 }, want: BASE },
    { name: 'overdue (past b)', o: { learned, elapsedMs: 10_000 }, want: BASE },
    { name: 'far overdue', o: { learned, elapsedMs: 3600_000 }, want: BASE },
    // The deadline comes first.
    { name: 'deadline before a', o: { learned, elapsedMs: 0, deadlineAt: NOW + 300 }, want: 300 },
    { name: 'deadline, nothing learned', o: { deadlineAt: NOW + 100 }, want: 100 },
    { name: 'deadline passed', o: { learned, elapsedMs: 5000, deadlineAt: NOW }, want: 0 },
  ])('$name', ({ o, want }) => {
    expect(delay(o)).toBeCloseTo(want, 6);
  });

  it('between a and the expected finish: sparser than the base, each gap a bounded share of what is left, never past the expected finish', () => {
    const q = ENGINE_DEFAULTS.readGapShare;
    let t = learned.a;
    const reads: number[] = [];
    while (t < learned.median) {
      const gap = delay({ learned, elapsedMs: t });
      const before = shareDone(learned, t);
      const after = shareDone(learned, t + gap);
      expect(gap).toBeGreaterThanOrEqual(BASE);
      expect(t + gap).toBeLessThanOrEqual(Math.max(learned.median, t + BASE) + 1e-9);
      // Either the gap is the base, or it covers at most q of the chance left.
      if (gap > BASE + 1e-9) expect((after - before) / (1 - before)).toBeLessThanOrEqual(q + 1e-9);
      t += gap;
      reads.push(t);
    }
    // Fewer reads than the base interval would make over the same stretch.
    expect(reads.length).toBeLessThan((learned.median - learned.a) / BASE);
    // The first read at or past the expected finish is within the base interval of it.
    expect(reads.at(-1)).toBeGreaterThanOrEqual(learned.median);
    expect(reads.at(-1)).toBeLessThanOrEqual(learned.median + BASE);
  });

  it('a first read that comes a little before a + base (a moved with new samples) counts as made there', () => {
    const first = learned.a + BASE;
    const atFirst = delay({ learned, elapsedMs: first });
    expect(atFirst).toBeGreaterThan(BASE);
    expect(delay({ learned, elapsedMs: first - 10 })).toBeCloseTo(atFirst + 10, 6);
    // The submit's own answer is not that first read, even when a is less than the base.
    const early = est(uniform(21, 200, 3000));
    expect(early.a).toBeGreaterThan(0);
    expect(early.a).toBeLessThan(BASE);
    expect(delay({ learned: early, elapsedMs: 0 })).toBeCloseTo(early.a + BASE, 6);
  });

  it('a hint "done in X" moves the expected finish to about now + X, and is never read past it', () => {
    // 1 s in, the provider says 5 s more: the expected finish is 6 s, not 2 s.
    const d = delay({ learned, elapsedMs: 1000, hintMs: 5000 });
    expect(d).toBeGreaterThan(BASE);
    expect(d).toBeLessThanOrEqual(5000);
    // "done in 0.1 s": read at the base interval.
    expect(delay({ learned, elapsedMs: 1000, hintMs: 100 })).toBe(BASE);
    // A huge hint is capped as without learning.
    expect(delay({ learned, elapsedMs: 0, hintMs: 3600_000 })).toBe(ENGINE_DEFAULTS.pollHintCapMs);
  });
});

describe('the learned times of each key', () => {
  it('keeps the most recent readMaxSamples samples of a key', () => {
    const s = new ReadSchedule();
    for (let i = 0; i < ENGINE_DEFAULTS.readMaxSamples + 10; i += 1) s.add('k', i, i + 1);
    const kept = s.samples('k');
    expect(kept).toHaveLength(ENGINE_DEFAULTS.readMaxSamples);
    expect(kept[0]).toEqual([10, 11]);
    expect(s.changed).toBe(true);
  });

  it('keeps readMaxKeys keys, dropping the least recently learned', () => {
    const s = new ReadSchedule();
    for (let i = 0; i <= ENGINE_DEFAULTS.readMaxKeys; i += 1) s.add(`k${i}`, 1, 2);
    s.add('k1', 1, 2); // learned again: now the most recent
    s.add('new', 1, 2);
    const keys = s.toData().keys.map((k) => k.key);
    expect(keys).toHaveLength(ENGINE_DEFAULTS.readMaxKeys);
    expect(keys).not.toContain('k0');
    expect(keys).not.toContain('k2');
    expect(keys.slice(-2)).toEqual(['k1', 'new']);
  });

  it('ignores samples that are not times (negative, reversed, not finite)', () => {
    const s = new ReadSchedule();
    s.add('k', -1, 5);
    s.add('k', 5, 1);
    s.add('k', 0, Number.NaN);
    expect(s.samples('k')).toEqual([]);
    expect(s.changed).toBe(false);
  });

  it('is loaded from saved data without counting as something new learned', () => {
    const s = new ReadSchedule({ keys: [{ key: 'k', samples: uniform(5) }] });
    expect(s.estimate('k')?.median).toBe(2000);
    expect(s.changed).toBe(false);
  });

  it('keys by provider, model and the params that drive time, not the prompt or the seed', () => {
    const a = timingKey('krea', 'kling/kling-2.5', { duration: 5, aspect_ratio: '16:9', prompt: 'x', seed: 1 });
    expect(timingKey('krea', 'kling/kling-2.5', { duration: 5, aspect_ratio: '16:9', prompt: 'y', seed: 2 })).toBe(a);
    expect(timingKey('krea', 'kling/kling-2.5', { duration: 10, aspect_ratio: '16:9' })).not.toBe(a);
    expect(timingKey('novita', 'wan-t2v', { width: 832, height: 480, steps: 30 })).not.toBe(timingKey('novita', 'wan-t2v', { width: 1280, height: 720, steps: 30 }));
    expect(timingKey('aimlapi', 'krea/krea-wan-14b/text-to-video', { num_frames: 78 })).not.toBe(timingKey('aimlapi', 'krea/krea-wan-14b/text-to-video', { num_frames: 162 }));
  });
});

describe('learning from its own reads', () => {
  it('does not walk the earliest finish down: jobs read first at a and seen done at the next read keep a where it was', () => {
    // Jobs take 1 to 3 s; once learned, each is read at a, then at its next read. Its sample is
    // [a, next read]: were `a` taken from the lowest lower bound, it would fall with every job.
    const s = new ReadSchedule({ keys: [{ key: 'k', samples: uniform(21) }] });
    const start = s.estimate('k')?.a ?? 0;
    for (let i = 0; i < 200; i += 1) {
      const e = s.estimate('k');
      if (!e) throw new Error('no estimate');
      const duration = 1000 + ((i * 7919) % 2000);
      let t = 0;
      let lo = 0;
      for (;;) {
        const next = t + delay({ learned: e, elapsedMs: t });
        if (next >= duration) {
          s.add('k', lo, next);
          break;
        }
        lo = next;
        t = next;
      }
    }
    const end = s.estimate('k')?.a ?? 0;
    expect(start).toBeGreaterThan(900);
    expect(end).toBeGreaterThan(start - BASE);
  });
});

describe("a provider's hint of the time left", () => {
  const T0 = Date.parse('2026-12-01T10:00:00.000Z');
  const job = (startedAt: string | null, eta?: number) => ({
    adapter: { pollHintMs: () => eta },
    state: { started_at: startedAt },
  }) as unknown as Parameters<typeof statusHintMs>[0];
  const running = (progress?: number): JobStatus => ({ state: 'running', providerStatus: 'TASK_STATUS_PROCESSING', ...(progress === undefined ? {} : { progress }) });
  const started = new Date(T0).toISOString();

  it.each([
    { name: 'an ETA wins over progress', j: job(started, 7000), s: running(0.5), now: T0 + 10_000, want: 7000 },
    { name: 'a quarter through after 10 s of running: 30 s left', j: job(started), s: running(0.25), now: T0 + 10_000, want: 30_000 },
    { name: 'half through after 4 s: 4 s left', j: job(started), s: running(0.5), now: T0 + 4000, want: 4000 },
    { name: 'no progress: no hint', j: job(started), s: running(undefined), now: T0 + 4000, want: undefined },
    { name: 'progress 0 says nothing of the time left', j: job(started), s: running(0), now: T0 + 4000, want: undefined },
    { name: 'progress 1 (done, not yet succeeded): no hint', j: job(started), s: running(1), now: T0 + 4000, want: undefined },
    { name: 'never seen running before this read: no hint', j: job(null), s: running(0.5), now: T0 + 4000, want: undefined },
    { name: 'queued: no hint from progress', j: job(started), s: { state: 'queued', providerStatus: 'TASK_STATUS_QUEUED' } as JobStatus, now: T0 + 4000, want: undefined },
  ])('$name', ({ j, s, now, want }) => {
    expect(statusHintMs(j, s, now)).toBe(want);
  });

  it('a progress hint spaces the reads of a long job as an ETA would', () => {
    // 10 s running and a quarter through: 30 s left, so the next read is half of it less a second away.
    const hintMs = statusHintMs(job(started), running(0.25), T0 + 10_000);
    expect(hintMs).toBe(30_000);
    expect(delay({ hintMs: hintMs ?? 0 })).toBe(14_000);
  });
});
