import type { PriceConfig, Usage } from './types.js';

/** USD for one call. Cached input is billed at its own price where one is given, else as input. */
export function costUsd(usage: Usage, price: PriceConfig): number {
  const cached = Math.min(usage.cachedInput, usage.input);
  const fresh = usage.input - cached;
  return (
    (fresh * price.input + cached * (price.cachedInput ?? price.input) + usage.output * price.output) / 1e6
  );
}
