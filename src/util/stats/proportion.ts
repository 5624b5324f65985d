import { sum as kahanSum, quantileSorted } from 'simple-statistics';

/** Two-sided 95% normal quantile. Not simple-statistics' probit: its inverse erf is off in the third decimal. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for a binomial proportion (Wilson 1927): unlike the normal approximation it
 * stays inside [0, 1] and keeps its coverage on small suites.
 */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Quantile with linear interpolation between order statistics (Hyndman & Fan type 7, as R and NumPy). */
export function quantile(values: ArrayLike<number>, q: number): number | null {
  if (values.length === 0) return null;
  // A sorted typed array: only indexed reads happen inside quantileSorted.
  return quantileSorted(Float64Array.from(values).sort() as unknown as number[], q);
}

/** Compensated (Kahan–Babuška) sum: money over 100 000 samples must not drift. */
export function sum(values: readonly number[]): number {
  return values.length === 0 ? 0 : kahanSum(values as number[]);
}
