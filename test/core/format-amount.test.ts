import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../src/core/prices.js';

describe('formatAmount', () => {
  // Intl.NumberFormat (en-US, at most two decimals) is the oracle: render writes the same figures without loading ICU.
  const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  const amounts = [0, 1, 5, 12.5, 0.5, 0.05, 0.004, 0.006, 2.25, 2.675, 999, 1000, 1003, 72_692, 999_999.995, 1_234_567.891, 40_100_000, -1234.5];

  it.each(amounts)('%s reads as Intl.NumberFormat writes it', (amount) => {
    expect(formatAmount(amount, null)).toBe(intl.format(amount));
  });

  it('adds the unit', () => {
    expect(formatAmount(1003, 'compute units')).toBe('1,003 compute units');
    expect(formatAmount(72_692, 'credits')).toBe('72,692 credits');
  });
});
