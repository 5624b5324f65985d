import { describe, expect, it } from 'vitest';
import { costUsd, tierFor } from '../../src/providers/cost.js';
import { findPrice, loadPriceTable, resolvePrices } from '../../src/providers/prices.js';
import type { AgentConfig, PriceConfig } from '../../src/providers/types.js';
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

describe('cache prices a config price leaves out', () => {
  const table = loadPriceTable();
  const priceOf = (provider: string, model: string, price: PriceConfig) =>
    resolvePrices([{ id: 'a', provider, model, params: {}, price } as AgentConfig], table).pool[0]?.price;

  it('Anthropic: cache writes 1.25× (1-hour 2×) and reads 0.1× of the input price', () => {
    const price = priceOf('anthropic', 'claude-unlisted-9', { input: 4, output: 20 });
    expect(price).toMatchObject({ input: 4, output: 20, cachedInput: 0.4, cacheWrite: 5, cacheWrite1h: 8 });
    const usage = usageOf({
      input: 10_000,
      cachedInput: 4000,
      cacheWrite: 3000,
      cacheWrite1h: 1000,
      output: 500,
    });
    // fresh 3000 × 4 + read 4000 × 0.4 + 5-min write 2000 × 5 + 1-h write 1000 × 8 + output 500 × 20
    expect(costUsd(usage, price as never)).toBeCloseTo((12_000 + 1600 + 10_000 + 8000 + 10_000) / 1e6, 12);
    // A listed model whose input is overridden: the row's cache prices follow the new input.
    expect(priceOf('anthropic', 'claude-sonnet-4-20250514', { input: 2, output: 10 })).toMatchObject({
      cachedInput: 0.2,
      cacheWrite: 2.5,
      cacheWrite1h: 4,
    });
  });

  it('OpenAI: cached input 0.5× unless given (or listed in another proportion); no cache-write price', () => {
    const unlisted = priceOf('openai', 'gpt-unlisted', { input: 2, output: 8 });
    expect(unlisted).toMatchObject({ cachedInput: 1 });
    expect(unlisted?.cacheWrite).toBeUndefined();
    expect(priceOf('openai', 'gpt-unlisted', { input: 2, output: 8, cachedInput: 0.2 })).toMatchObject({
      cachedInput: 0.2,
    });
    // gpt-5 is listed at 10% of input.
    expect(priceOf('openai', 'gpt-5', { input: 2, output: 8 })).toMatchObject({ cachedInput: 0.2 });
  });

  it('Gemini: as its price list says (2.5 rows 0.1×), else 0.25×; per tier too', () => {
    expect(priceOf('gemini', 'gemini-2.5-flash', { input: 0.5, output: 3 })).toMatchObject({
      cachedInput: 0.05,
    });
    expect(priceOf('gemini', 'gemini-unlisted', { input: 0.5, output: 3 })).toMatchObject({
      cachedInput: 0.125,
    });
    const tiered = priceOf('gemini', 'gemini-2.5-pro', {
      input: 2,
      output: 12,
      tiers: [{ abovePromptTokens: 200_000, input: 4, output: 18 }],
    });
    expect(tiered).toMatchObject({
      cachedInput: 0.2,
      tiers: [{ abovePromptTokens: 200_000, input: 4, output: 18, cachedInput: 0.4 }],
    });
  });

  it('derives nothing for other providers, and leaves table prices as listed', () => {
    const compatible = priceOf('openai-compatible', 'some/local-model', { input: 1, output: 1 });
    expect(compatible?.cachedInput).toBeUndefined();
    expect(compatible?.cacheWrite).toBeUndefined();
    const listed = resolvePrices(
      [{ id: 'a', provider: 'gemini', model: 'gemini-2.5-pro', params: {} } as AgentConfig],
      table,
    ).pool[0]?.price;
    expect(listed).toEqual(tablePriceOf(table, 'gemini', 'gemini-2.5-pro'));
  });
});

function tablePriceOf(table: ReturnType<typeof loadPriceTable>, provider: string, model: string) {
  const row = findPrice(table, provider, model);
  if (!row) throw new Error(`${model} not in the table`);
  const {
    provider: _p,
    model: _m,
    aliases: _a,
    source: _s,
    checked: _c,
    evidence: _e,
    note: _n,
    ...price
  } = row;
  return price;
}
