import { describe, expect, it } from 'vitest';
import { idealMs, quantile, spread } from '../../src/bench/support/stats.js';

describe('bench statistics', () => {
  it.each([
    [[5, 1, 3], 0.5, 3],
    [[1, 2, 3, 4], 0.5, 2],
    [Array.from({ length: 100 }, (_, i) => i + 1), 0.95, 95],
    [Array.from({ length: 20 }, (_, i) => i + 1), 0.95, 19],
    [[7], 0.95, 7],
  ])('the nearest-rank quantile of %j at %f is %f', (values, q, expected) => {
    expect(quantile(values, q)).toBe(expected);
  });

  it('summarises lags as median, p95 and max, and none as NaN', () => {
    expect(spread([40, 10, 30, 20, 500])).toEqual({ median: 30, p95: 500, max: 500 });
    expect(spread([])).toEqual({ median: NaN, p95: NaN, max: NaN });
  });

  it.each([
    // Work spread evenly over the slots wins...
    [[1000, 2000, 3000, 2000], 2, 4000],
    // ...unless one job is longer than that.
    [[1000, 1000, 5000], 4, 5000],
    [[], 16, 0],
  ])('the ideal of %j on %i slots is %i ms', (durations, slots, expected) => {
    expect(idealMs(durations, slots)).toBe(expected);
  });
});
