import { gammaln } from 'simple-statistics';

/**
 * McNemar's exact test (the conditional binomial test on discordant pairs): under H0 both systems
 * are equally often right where they disagree, so min(b, c) ~ Binomial(b + c, 1/2).
 * `aOnly` = items only A solved, `bOnly` = items only B solved. Two-sided p = min(1, 2·P(X ≤ min)).
 */
export function mcnemarExactP(aOnly: number, bOnly: number): number {
  const n = aOnly + bOnly;
  if (n === 0) return 1;
  const m = Math.min(aOnly, bOnly);
  if (2 * m === n) return 1;
  // Sum P(X = k) for k = m, m−1, …, 0 relative to P(X = m) (the largest term, as m < n/2), in log
  // space at P(X = m) so that b + c in the hundreds of thousands neither underflows nor overflows.
  const logTop = gammaln(n + 1) - gammaln(m + 1) - gammaln(n - m + 1) - n * Math.LN2;
  let term = 1;
  let relative = 1;
  for (let k = m; k > 0; k--) {
    term *= k / (n - k + 1);
    relative += term;
    if (term < 1e-17 * relative) break;
  }
  return Math.min(1, 2 * Math.exp(logTop) * relative);
}
