import { gammaln } from 'simple-statistics';

/**
 * One exact draw from Binomial(n, p) given a uniform source. Small means use inversion from 0
 * (expected O(np) steps); large ones start at the mode and search outwards alternately down and
 * up (Kemp's "chop-down from the mode"), expected O(√(np(1−p))) steps. Both are exact up to
 * floating-point rounding, which is what lets the bootstrap below draw multinomial counts instead
 * of resampling item by item.
 */
export function binomialSample(n: number, p: number, uniform: () => number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomialSample(n, 1 - p, uniform);
  const q = 1 - p;
  if (n * p < 30) {
    const ratio = p / q;
    let pmf = Math.exp(n * Math.log1p(-p));
    let u = uniform();
    let k = 0;
    while (u > pmf && k < n) {
      u -= pmf;
      pmf *= ((n - k) / (k + 1)) * ratio;
      k++;
    }
    return k;
  }
  const mode = Math.floor((n + 1) * p);
  const pmfMode = Math.exp(
    gammaln(n + 1) -
      gammaln(mode + 1) -
      gammaln(n - mode + 1) +
      mode * Math.log(p) +
      (n - mode) * Math.log(q),
  );
  let u = uniform() - pmfMode;
  if (u <= 0) return mode;
  let down = mode;
  let up = mode;
  let pmfDown = pmfMode;
  let pmfUp = pmfMode;
  while (down > 0 || up < n) {
    if (down > 0) {
      pmfDown *= (down / (n - down + 1)) * (q / p);
      down--;
      u -= pmfDown;
      if (u <= 0) return down;
    }
    if (up < n) {
      pmfUp *= ((n - up) / (up + 1)) * (p / q);
      up++;
      u -= pmfUp;
      if (u <= 0) return up;
    }
  }
  return mode; // only reached through rounding of a total probability of 1
}
