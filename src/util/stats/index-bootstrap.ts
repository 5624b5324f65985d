import { mulberry32 } from '../random.js';
import { DEFAULT_RESAMPLES, quantileInPlace } from './bootstrap.js';
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
  /** Standard deviation of the finite resampled values (NaN with fewer than two). */
  sd: number;
  /** Resamples whose statistic was not finite (counted as +∞). */
  nonFinite: number;
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
    return {
      ...base,
      estimate: Number.NaN,
      ci: { low: Number.NaN, high: Number.NaN },
      p: Number.NaN,
      sd: Number.NaN,
      nonFinite: 0,
    };
  const all = Int32Array.from(clusters.flat());
  const estimate = statistic(all);
  const largest = Math.max(...clusters.map((c) => c.length));
  const buffer = new Int32Array(largest * clusters.length);
  const uniform = mulberry32(seed);
  const values = new Float64Array(resamples);
  let below = 0;
  let above = 0;
  let finite = 0;
  let mean = 0;
  let m2 = 0;
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
    if (Number.isFinite(v)) {
      // Welford's running variance.
      finite++;
      const delta = v - mean;
      mean += delta / finite;
      m2 += delta * (v - mean);
    }
  }
  values.sort();
  const alpha = (1 - level) / 2;
  const p = Math.min(1, (2 * (Math.min(below, above) + 1)) / (resamples + 1));
  return {
    ...base,
    estimate,
    ci: { low: type7(values, alpha), high: type7(values, 1 - alpha) },
    p,
    sd: finite > 1 ? Math.sqrt(m2 / (finite - 1)) : Number.NaN,
    nonFinite: resamples - finite,
  };
}

/** A paired bootstrap interval of any statistic of the two sides (see `pairedBootstrapStatistic`). */
export type BootstrapInterval = Pick<
  IndexBootstrap,
  'estimate' | 'ci' | 'level' | 'resamples' | 'seed' | 'clusters' | 'items'
>;

/**
 * Paired cluster bootstrap of a statistic of both sides at once (a ratio of means, of medians, of
 * 95th percentiles…): each resample draws whole clusters with replacement and keeps every item's A
 * and B values together, so the pairing (same task, same repeat) carries into the interval. Percentile
 * interval; resamples whose statistic is not finite (a zero denominator) count as +∞, so a ratio that
 * cannot be bounded makes the upper end infinite rather than vanishing. Seeded: the same inputs give
 * the same interval. `indexBootstrap` over the clusters of `clusterOf`, in order of first appearance.
 */
export function pairedBootstrapStatistic(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  clusterOf: ArrayLike<number | string>,
  statistic: (a: Float64Array, b: Float64Array) => number,
  options: { seed: number; resamples?: number; level?: number },
): BootstrapInterval {
  const n = a.length;
  if (b.length !== n || clusterOf.length !== n) throw new RangeError('a, b and clusterOf differ in length');
  const members = new Map<number | string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = clusterOf[i] as number | string;
    const list = members.get(key) ?? [];
    list.push(i);
    members.set(key, list);
  }
  const groups = [...members.values()];
  const largest = Math.max(0, ...groups.map((g) => g.length));
  const bufA = new Float64Array(largest * groups.length);
  const bufB = new Float64Array(largest * groups.length);
  const drawn = (indices: Int32Array) => {
    for (let k = 0; k < indices.length; k++) {
      bufA[k] = a[indices[k] as number] as number;
      bufB[k] = b[indices[k] as number] as number;
    }
    const x = statistic(bufA.subarray(0, indices.length), bufB.subarray(0, indices.length));
    return Number.isFinite(x) ? x : Number.POSITIVE_INFINITY;
  };
  const { ci, level, resamples, seed, clusters, items } = indexBootstrap(groups, drawn, {
    seed: options.seed,
    resamples: options.resamples ?? DEFAULT_RESAMPLES,
    level: options.level ?? 0.95,
  });
  const estimate = n === 0 ? Number.NaN : statistic(Float64Array.from(a), Float64Array.from(b));
  return { estimate, ci, level, resamples, seed, clusters, items };
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

/**
 * Two-sided normal p-value 2·(1 − Φ(|z|)) = erfc(|z|/√2), through the Chebyshev approximation of
 * erfc in Numerical Recipes (Press et al. 1992, §6.2: fractional error below 1.2e−7 everywhere), so
 * that p stays accurate relative to its size far in the tail, where 1 − Φ would round to 0.
 */
export function twoSidedNormalP(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return Math.min(1, erfc);
}
