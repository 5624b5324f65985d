import { describe, expect, it } from 'vitest';
import { quantile, sum, wilsonInterval } from '../../src/util/stats/proportion.js';

describe('Wilson score interval', () => {
  // Worked examples from Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i gives %f–%f', (x, n, low, high) => {
    const ci = wilsonInterval(x, n);
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });

  it('is the whole unit interval when nothing was scored', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe('quantile (type 7, as NumPy)', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.95)).toBeCloseTo(3.85, 10);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('sum', () => {
  it('does not drift when adding many small amounts of money', () => {
    const cents = Array.from({ length: 100_000 }, () => 0.01);
    expect(sum(cents)).toBe(1000);
    expect(sum([])).toBe(0);
  });
});
