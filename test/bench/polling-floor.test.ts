import { describe, expect, it } from 'vitest';
import { pollingFloorMs } from '../../src/bench/support/polling-floor.js';

describe('pollingFloorMs', () => {
  it.each([
    // One slot: each job is seen at the first read at or after its end, the next starts then.
    [[1000, 1100], 1, 250, 1000 + 1250],
    // Two slots: the third job goes to the slot seen free first.
    [[1000, 2000, 500], 2, 250, 2000],
    [[1000, 2000, 1100], 2, 250, 2250],
    // A job shorter than the interval is still seen only at the first read.
    [[10], 4, 250, 250],
  ])('%j on %i slot(s), polled every %i ms: %i ms', (durations, slots, pollMs, expected) => {
    expect(pollingFloorMs(durations, slots, pollMs)).toBe(expected);
  });
});
