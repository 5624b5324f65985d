import type { PriceConfig, TierPrice, Usage } from './types.js';

/** The price tier a call falls in: the highest `abovePromptTokens` the prompt exceeds (Gemini 2.5 Pro > 200k). */
export function tierFor(price: PriceConfig, promptTokens: number): TierPrice {
  let tier: TierPrice = price;
  let threshold = -1;
  for (const t of price.tiers ?? []) {
    if (promptTokens > t.abovePromptTokens && t.abovePromptTokens > threshold) {
      tier = t;
      threshold = t.abovePromptTokens;
    }
  }
  return tier;
}

/**
 * USD for one call. Every input token falls in exactly one bucket: fresh, cache read, cache write
 * (5-minute or 1-hour lifetime); each bucket has its own price and falls back to the input price when
 * none is given. Output is billed whole (reasoning included). With `reportedCost`, the endpoint's own
 * figure wins whenever the response carried one.
 */
export function costUsd(usage: Usage, price: PriceConfig): number {
  if (price.reportedCost && usage.reportedCostUsd !== undefined) return usage.reportedCostUsd;
  const tier = tierFor(price, usage.input);
  const cached = Math.min(usage.cachedInput, usage.input);
  const written = Math.min(usage.cacheWrite, usage.input - cached);
  const written1h = Math.min(usage.cacheWrite1h, written);
  const fresh = usage.input - cached - written;
  const writePrice = tier.cacheWrite ?? tier.input;
  return (
    (fresh * tier.input +
      cached * (tier.cachedInput ?? tier.input) +
      (written - written1h) * writePrice +
      written1h * (tier.cacheWrite1h ?? writePrice) +
      usage.output * tier.output) /
    1e6
  );
}
