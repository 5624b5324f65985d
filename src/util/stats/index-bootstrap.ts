import { mulberry32 } from '../random.js';
import { quantileInPlace } from './bootstrap.js';
import type { Interval } from './proportion.js';

export interface IndexBootstrap {
  /** The statistic on all items. */
  estimate: number;
  /** Percentile interval (type 7) of the resampled statistic; resamples that are not finite count as +∞. */
  ci: Interval;
  /**
   * Two-sided bootstrap p-value of "the statistic is `nullValue`": twice the smaller share of resamples
   * at or below / at or above it, each counted with the estimate itself ((k + 1)/(B + 1), so never 0),
   * at most 1 — the inversion of the percentile interval (Efron & Tibshirani 1993, An Introduction to
   * the Bootstrap, §15.4 and §16.4): p < 1 − level about when the interval excludes `nullValue`.
   */
  p: number;
  level: number;
  resamples: number;
  seed: number;
  clusters: number;
  items: number;
}

/**
 * Cluster bootstrap of any statistic of a set of items, given by their indices: each resample draws
 * the clusters (lists of item indices) uniformly with replacement and hands the statistic the drawn
 * items' indices (a cluster's items all together), so one index can refer to paired values in any
 * number of arrays — e.g. cost and correctness of two systems on the same task and repeat. Seeded:
 * the same inputs give the same result.
 */
export function indexBootstrap(
  clusters: readonly (readonly number[])[],
  statistic: (indices: Int32Array) => number,
  options: { seed: number; resamples: number; level?: number; nullValue?: number },
): IndexBootstrap {
  const level = options.level ?? 0.95;
  const nullValue = options.nullValue ?? 0;
  const { resamples, seed } = options;
  const items = clusters.reduce((n, c) => n + c.length, 0);
  const base = { level, resamples, seed, clusters: clusters.length, items };
  if (items === 0)
    return { ...base, estimate: Number.NaN, ci: { low: Number.NaN, high: Number.NaN }, p: Number.NaN };
  const all = Int32Array.from(clusters.flat());
  const estimate = statistic(all);
  const largest = Math.max(...clusters.map((c) => c.length));
  const buffer = new Int32Array(largest * clusters.length);
  const uniform = mulberry32(seed);
  const values = new Float64Array(resamples);
  let below = 0;
  let above = 0;
  for (let r = 0; r < resamples; r++) {
    let size = 0;
    for (let g = 0; g < clusters.length; g++) {
      const cluster = clusters[Math.floor(uniform() * clusters.length)] as readonly number[];
      for (const i of cluster) buffer[size++] = i;
    }
    const x = statistic(buffer.subarray(0, size));
    const v = Number.isFinite(x) || x === Number.NEGATIVE_INFINITY ? x : Number.POSITIVE_INFINITY;
    values[r] = v;
    if (v <= nullValue) below++;
    if (v >= nullValue) above++;
  }
  values.sort();
  const alpha = (1 - level) / 2;
  const p = Math.min(1, (2 * (Math.min(below, above) + 1)) / (resamples + 1));
  return { ...base, estimate, ci: { low: type7(values, alpha), high: type7(values, 1 - alpha) }, p };
}

/** Type-7 quantile of sorted values that may hold ±∞ (never ∞ − ∞). */
function type7(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const x = sorted[lo] as number;
  const y = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return h === lo || x === y ? x : x + (h - lo) * (y - x);
}

/**
 * The median (type 7) of `values[i]` over the given indices, using `scratch` (at least as long) as
 * working space: selection, not a sort, so a bootstrap of a median costs linear time per resample.
 */
export function medianAt(values: ArrayLike<number>, indices: Int32Array, scratch: Float64Array): number {
  const n = indices.length;
  for (let k = 0; k < n; k++) scratch[k] = values[indices[k] as number] as number;
  return quantileInPlace(scratch.subarray(0, n), 0.5);
}
