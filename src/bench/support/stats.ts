/** Small summaries of measured figures for the bench's tables. */

export interface Spread {
  median: number;
  p95: number;
  max: number;
}

/** The nearest-rank quantile q (0..1) of `values`; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function spread(values: readonly number[]): Spread {
  return { median: quantile(values, 0.5), p95: quantile(values, 0.95), max: values.length === 0 ? NaN : Math.max(...values) };
}

/**
 * The lower bound on any schedule of these jobs on `slots` slots: all the work spread evenly,
 * or the longest job, whichever is longer.
 */
export function idealMs(durations: readonly number[], slots: number): number {
  if (durations.length === 0) return 0;
  const total = durations.reduce((a, b) => a + b, 0);
  return Math.max(total / slots, Math.max(...durations));
}
