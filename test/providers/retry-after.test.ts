import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/providers/retry-after.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['0', 0],
    ['7', 7000],
    [' 30 ', 30_000],
    ['1.5', 1500],
    ['-5', 0],
    ['Sun, 01 Mar 2026 12:00:45 GMT', 45_000],
    ['Sun, 01 Mar 2026 11:59:00 GMT', 0],
    ['Sunday, 01-Mar-26 12:01:00 GMT', 60_000],
    ['soon', undefined],
    ['12abc', undefined],
  ])('%j → %j ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});
