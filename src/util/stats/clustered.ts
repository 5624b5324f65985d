/** Accuracy (or any mean) with standard errors that respect clustering of items. */
export interface ClusteredMean {
  mean: number;
  /** Items. */
  n: number;
  /** Distinct clusters among the items. */
  clusters: number;
  /** Standard error assuming independent items: sqrt(s² / n) with the sample variance s². */
  iidSe: number;
  /**
   * Cluster-robust (CR1) standard error, as Stata's `mean y, vce(cluster g)` and R's
   * `sandwich::vcovCL(lm(y ~ 1), type = "HC1")`: sqrt(G/(G−1) · Σ_g (Σ_{i∈g}(y_i − ȳ))²) / n.
   * Equals iidSe when every item is its own cluster.
   */
  clusteredSe: number;
  /** (clusteredSe / iidSe)²: how much the clustering inflates the variance (Kish's design effect). */
  designEffect: number | null;
}

/**
 * `clusterOf[i]` is any id of item i's cluster (e.g. the source problem a task was derived from).
 * Items that share a cluster are not independent evidence; treating them as such shrinks the error bar.
 */
export function clusteredMean(
  values: ArrayLike<number>,
  clusterOf: ArrayLike<number | string>,
): ClusteredMean {
  const n = values.length;
  if (n !== clusterOf.length) throw new Error('values and clusters differ in length');
  if (n === 0)
    return {
      mean: Number.NaN,
      n: 0,
      clusters: 0,
      iidSe: Number.NaN,
      clusteredSe: Number.NaN,
      designEffect: null,
    };
  let total = 0;
  for (let i = 0; i < n; i++) total += values[i] as number;
  const mean = total / n;
  const residualByCluster = new Map<number | string, number>();
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const r = (values[i] as number) - mean;
    squares += r * r;
    const c = clusterOf[i] as number | string;
    residualByCluster.set(c, (residualByCluster.get(c) ?? 0) + r);
  }
  const g = residualByCluster.size;
  let meat = 0;
  for (const r of residualByCluster.values()) meat += r * r;
  const iidSe = n > 1 ? Math.sqrt(squares / (n - 1) / n) : Number.NaN;
  const clusteredSe = g > 1 ? Math.sqrt((g / (g - 1)) * meat) / n : Number.NaN;
  const designEffect = iidSe > 0 && Number.isFinite(clusteredSe) ? (clusteredSe / iidSe) ** 2 : null;
  return { mean, n, clusters: g, iidSe, clusteredSe, designEffect };
}
