import { describe, expect, it } from 'vitest';
import { costUsd, tierFor } from '../../src/providers/cost.js';
import { usageOf } from '../../src/providers/usage.js';

describe('cost of one call', () => {
  const price = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 };

  it('bills each input bucket once at its own price', () => {
    const usage = usageOf({
      input: 10_000,
      cachedInput: 4000,
      cacheWrite: 3000,
      cacheWrite1h: 1000,
      output: 500,
    });
    // fresh 3000 × 3 + read 4000 × 0.3 + 5-min write 2000 × 3.75 + 1-h write 1000 × 6 + output 500 × 15
    expect(costUsd(usage, price)).toBeCloseTo((9000 + 1200 + 7500 + 6000 + 7500) / 1e6, 12);
  });

  it('falls back to the input price for buckets without one', () => {
    const usage = usageOf({ input: 1000, cachedInput: 400, cacheWrite: 100, output: 10 });
    expect(costUsd(usage, { input: 1, output: 2 })).toBeCloseTo((1000 * 1 + 10 * 2) / 1e6, 12);
  });

  it('picks the highest tier the prompt exceeds', () => {
    const tiered = {
      input: 1,
      output: 2,
      tiers: [
        { abovePromptTokens: 100, input: 5, output: 6 },
        { abovePromptTokens: 10, input: 3, output: 4 },
      ],
    };
    expect(tierFor(tiered, 10).input).toBe(1);
    expect(tierFor(tiered, 11).input).toBe(3);
    expect(tierFor(tiered, 101).input).toBe(5);
  });

  it('uses the reported cost only when the price asks for it and the response has one', () => {
    const usage = usageOf({ input: 1000, output: 100, reportedCostUsd: 0.5 });
    expect(costUsd(usage, { input: 1, output: 1, reportedCost: true })).toBe(0.5);
    expect(costUsd(usage, { input: 1, output: 1 })).toBeCloseTo(1100 / 1e6, 12);
    expect(
      costUsd(usageOf({ input: 1000, output: 100 }), { input: 1, output: 1, reportedCost: true }),
    ).toBeCloseTo(1100 / 1e6, 12);
  });
});
