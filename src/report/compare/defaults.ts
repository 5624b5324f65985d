import type { CompareOptions } from './gate.js';

/**
 * `baton compare`'s defaults, also what `baton view` compares with: non-inferiority at a 2-point
 * margin, 95 % intervals, a cost rise of at most 10 % per item, latency shown but not gated.
 */
export const COMPARE_DEFAULTS = {
  mode: 'non-inferiority',
  marginPoints: 2,
  level: 0.95,
  maxCostIncreasePercent: 10,
  maxLatencyIncreasePercent: null,
  allowDifferent: [],
} as const satisfies CompareOptions;
