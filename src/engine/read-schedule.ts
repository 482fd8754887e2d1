/**
 * Polling that learns when jobs finish. For each timing key (timing-key.ts) the most recent times
 * to completion are kept; from them, the earliest plausible finish `a`, the latest `b` and the
 * expected finish (the median). The decision "when to read this job next", with no I/O and no
 * clock of its own (times are ms since the job's submit was answered):
 * - the first read one base interval after `a` (never sooner than the base interval after the
 *   submit): before `a` nothing is likely done, and a job done at `a` is seen within the base;
 * - between `a` and the expected finish: each gap covers at most a share (readGapShare) of the
 *   chance, left while the job is not done, that it finishes; never shorter than the base;
 * - from the expected finish on, and past `b` (overdue): every base interval, as without a model.
 * So a job is never seen done later than the base interval after the model expected it, and a
 * job slower than ever before is read as often as it would have been without learning.
 */
import type { TimingSample, TimingsData } from '../store/timings-file.js';
import { ENGINE_DEFAULTS } from './defaults.js';

/** What the samples of one timing key say: the shape of its time to completion. */
export interface TimingEstimate {
  /** The earliest plausible finish, ms after the submit was answered. */
  a: number;
  /** The latest plausible finish. */
  b: number;
  /** The expected finish (the median). */
  median: number;
  /** Knots of the learned distribution: times, ascending, with the share done by each. */
  times: readonly number[];
  shares: readonly number[];
}

/**
 * The distribution of `samples` (undefined below readMinSamples). Each sample counts at its
 * midpoint (an exact one at its time), except one seen done at the job's first read (lo = 0),
 * which counts at that read: it says only "by then". With n samples, the least m, the greatest M and the
 * spread s = M − m, the true minimum is likely a little below m (the least of n draws
 * overestimates it): a = m − s/(n+1), and likewise b = M + s/(n+1). In between, the share done
 * rises linearly through the samples, i/(n+1) at the i-th.
 *
 * Not the lowest lower bound, nor half of a first read: a sample's lower bound is the read before
 * the one that saw the job done, which this schedule itself placed at `a`, so either would walk
 * `a` down with every job. Should jobs get faster, those done by their first read still bring
 * `a` down, by the margin each.
 */
export function estimateOf(samples: readonly TimingSample[]): TimingEstimate | undefined {
  const n = samples.length;
  if (n < ENGINE_DEFAULTS.readMinSamples) return undefined;
  const mids = samples.map(([lo, hi]) => (lo === 0 ? hi : (lo + hi) / 2)).sort((x, y) => x - y);
  const m = mids[0] ?? 0;
  const M = mids[n - 1] ?? m;
  const margin = (M - m) / (n + 1);
  const a = Math.max(0, m - margin);
  const b = M + margin;
  const times = [a, ...mids, b];
  const shares = times.map((_, i) => i / (n + 1));
  const shape = { times, shares };
  return { a, b, median: quantile(shape, 0.5), times, shares };
}

type Shape = Pick<TimingEstimate, 'times' | 'shares'>;

/** The share of jobs done by `t`. */
export function shareDone(e: Shape, t: number): number {
  const { times, shares } = e;
  const last = times.length - 1;
  if (t < (times[0] ?? 0)) return 0;
  if (t >= (times[last] ?? 0)) return 1;
  let i = 0;
  while (i < last - 1 && (times[i + 1] ?? 0) <= t) i += 1;
  const t0 = times[i] ?? 0;
  const t1 = times[i + 1] ?? t0;
  const s0 = shares[i] ?? 0;
  const s1 = shares[i + 1] ?? s0;
  return t1 > t0 ? s0 + ((s1 - s0) * (t - t0)) / (t1 - t0) : s1;
}

/** The time by which a share `p` (0..1) of jobs is done. */
export function quantile(e: Shape, p: number): number {
  const { times, shares } = e;
  const last = times.length - 1;
  if (p <= 0) return times[0] ?? 0;
  let i = 0;
  while (i < last - 1 && (shares[i + 1] ?? 1) < p) i += 1;
  const t0 = times[i] ?? 0;
  const t1 = times[i + 1] ?? t0;
  const s0 = shares[i] ?? 0;
  const s1 = shares[i + 1] ?? 1;
  if (p >= s1) return t1;
  return s1 > s0 ? t0 + ((t1 - t0) * (p - s0)) / (s1 - s0) : t1;
}

/**
 * When to read a job `elapsedMs` after its submit was answered, as a delay from now. A
 * provider's estimate of the time left (`hintMs`) moves the expected finish to about now + hint,
 * and then never puts the next read further than pollHintCapMs away.
 */
export function learnedDelay(e: TimingEstimate, elapsedMs: number, baseMs: number, hintMs?: number): number {
  // With a hint, the job is read as one of its key that is `median − hint` along.
  const t = hintMs === undefined ? elapsedMs : e.median - hintMs;
  const delay = nextReadAt(e, t, baseMs) - t;
  return hintMs === undefined ? delay : Math.max(baseMs, Math.min(delay, ENGINE_DEFAULTS.pollHintCapMs));
}

function nextReadAt(e: TimingEstimate, t: number, baseMs: number): number {
  // At or past the expected finish, or overdue (past b): the base interval, as without learning.
  if (t >= e.median) return t + baseMs;
  // The first read one base interval after the earliest plausible finish: no read is spent where
  // no job has been done yet, and a job done at `a` is still seen within the base interval. A read
  // planned for it that finds `a` moved a little later (new samples came in) counts as made.
  const first = e.a + baseMs;
  if (t < first - baseMs / 2 || t < baseMs / 2) return Math.max(first, t + baseMs);
  const from = Math.max(t, first);
  const done = shareDone(e, from);
  const target = quantile(e, done + ENGINE_DEFAULTS.readGapShare * (1 - done));
  return Math.max(t + baseMs, Math.min(target, e.median));
}

interface KeySamples {
  samples: TimingSample[];
  /** null: not computed since the last sample. */
  estimate: TimingEstimate | undefined | null;
}

/** The learned times of every timing key: the most recent readMaxSamples each, readMaxKeys keys. */
export class ReadSchedule {
  private readonly keys = new Map<string, KeySamples>();
  /** What was learned since it was loaded, oldest first (at most as much as could be kept). */
  private readonly fresh: Array<{ key: string; lo: number; hi: number }> = [];

  /** Something was learned since it was loaded (worth saving). */
  get changed(): boolean {
    return this.fresh.length > 0;
  }

  constructor(data: TimingsData = { keys: [] }) {
    for (const { key, samples } of data.keys) for (const [lo, hi] of samples) this.push(key, lo, hi);
  }

  /** A job of `key` finished within [lo, hi] ms after its submit was answered. */
  add(key: string, lo: number, hi: number): void {
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo < 0 || hi < lo) return;
    const sample = { key, lo: Math.round(lo), hi: Math.round(hi) };
    this.push(sample.key, sample.lo, sample.hi);
    this.fresh.push(sample);
    if (this.fresh.length > ENGINE_DEFAULTS.readMaxKeys * ENGINE_DEFAULTS.readMaxSamples) this.fresh.shift();
  }

  /**
   * What was learned here, on top of `data` (what another run under the same output root saved
   * since this one loaded), so that neither run's samples are lost when both save.
   */
  mergedInto(data: TimingsData): TimingsData {
    const merged = new ReadSchedule(data);
    for (const { key, lo, hi } of this.fresh) merged.push(key, lo, hi);
    return merged.toData();
  }

  /** Saved: what is learned from now on is new. */
  markSaved(): void {
    this.fresh.length = 0;
  }

  estimate(key: string): TimingEstimate | undefined {
    const entry = this.keys.get(key);
    if (!entry) return undefined;
    if (entry.estimate === null) entry.estimate = estimateOf(entry.samples);
    return entry.estimate;
  }

  samples(key: string): readonly TimingSample[] {
    return this.keys.get(key)?.samples ?? [];
  }

  toData(): TimingsData {
    return { keys: [...this.keys].map(([key, entry]) => ({ key, samples: [...entry.samples] })) };
  }

  private push(key: string, lo: number, hi: number): void {
    const entry = this.keys.get(key) ?? { samples: [], estimate: null };
    // The key learned last goes to the end: the least recently learned are dropped first.
    this.keys.delete(key);
    this.keys.set(key, entry);
    entry.samples.push([lo, hi]);
    if (entry.samples.length > ENGINE_DEFAULTS.readMaxSamples) entry.samples.splice(0, entry.samples.length - ENGINE_DEFAULTS.readMaxSamples);
    entry.estimate = null;
    for (const oldest of this.keys.keys()) {
      if (this.keys.size <= ENGINE_DEFAULTS.readMaxKeys) break;
      this.keys.delete(oldest);
    }
  }
}
