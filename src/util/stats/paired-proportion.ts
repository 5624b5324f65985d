import type { Interval } from './proportion.js';

/**
 * Tango's asymptotic score interval for the difference of two paired proportions (T. Tango 1998,
 * "Equivalence test and confidence interval for the difference in proportions for the paired-sample
 * design", Statistics in Medicine 17(8):891–908; recommended by Fagerland, Lydersen & Laake 2014,
 * "Recommended tests and confidence intervals for paired binomial proportions", Stat Med 33(16)).
 *
 * `onlyB` items were right for B only, `onlyA` for A only, out of `n` pairs; the interval is for
 * δ = P(only B) − P(only A), the accuracy difference B − A. For each candidate δ the score statistic
 *
 *   T(δ) = (onlyB − onlyA − nδ) / √( n·(2·q̂(δ) + δ(1 − δ)) )
 *
 * uses q̂(δ), the maximum-likelihood P(only A) restricted to that δ; the interval is {δ : |T(δ)| ≤ z}.
 * Unlike a bootstrap (or Wald) interval it does not collapse to a point when no item is discordant:
 * 40 items on which A and B agree leave |δ| ≤ z²/(n + z²) = 8.8 points, 400 items 0.95 points.
 */
export function tangoInterval(onlyB: number, onlyA: number, n: number, z: number): Interval {
  if (!(n > 0)) return { low: -1, high: 1 };
  if (onlyA < 0 || onlyB < 0 || onlyA + onlyB > n)
    throw new RangeError(`need 0 ≤ onlyA + onlyB ≤ n, got ${onlyA} + ${onlyB} of ${n}`);
  const b = onlyB;
  const c = onlyA;
  const score = (delta: number): number => {
    const A = 2 * n;
    const B = -b - c + (2 * n - b + c) * delta;
    const C = -c * delta * (1 - delta);
    const q = (Math.sqrt(Math.max(0, B * B - 4 * A * C)) - B) / (2 * A);
    const numerator = b - c - n * delta;
    const variance = n * (2 * q + delta * (1 - delta));
    if (!(variance > 0)) return numerator === 0 ? 0 : Math.sign(numerator) * Number.POSITIVE_INFINITY;
    return numerator / Math.sqrt(variance);
  };
  const estimate = (b - c) / n;
  // T is decreasing in δ and 0 at the estimate: bisect each side for T = ±z.
  const solve = (from: number, to: number, target: number): number => {
    let inside = from;
    let outside = to;
    if (Math.abs(score(outside)) <= z) return outside;
    for (let i = 0; i < 200 && Math.abs(outside - inside) > 1e-12; i++) {
      const mid = (inside + outside) / 2;
      if (target > 0 ? score(mid) <= target : score(mid) >= target) inside = mid;
      else outside = mid;
    }
    return inside;
  };
  return { low: solve(estimate, -1, z), high: solve(estimate, 1, -z) };
}
