import type { Usage } from './types.js';

export const ZERO_USAGE: Usage = Object.freeze({
  input: 0,
  output: 0,
  reasoning: 0,
  cachedInput: 0,
  cacheWrite: 0,
  cacheWrite1h: 0,
});

/** A usage record with every count not given set to 0. */
export function usageOf(counts: Partial<Usage>): Usage {
  return { ...ZERO_USAGE, ...counts };
}

/** Sum of usages (reported costs add up only when every part reported one). */
export function addUsage(a: Usage, b: Usage): Usage {
  const reported =
    a.reportedCostUsd !== undefined && b.reportedCostUsd !== undefined
      ? a.reportedCostUsd + b.reportedCostUsd
      : undefined;
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    reasoning: a.reasoning + b.reasoning,
    cachedInput: a.cachedInput + b.cachedInput,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    cacheWrite1h: a.cacheWrite1h + b.cacheWrite1h,
    ...(reported === undefined ? {} : { reportedCostUsd: reported }),
  };
}
