/**
 * Holm's step-down adjustment of p-values for multiple comparisons (Holm, S. 1979, "A simple
 * sequentially rejective multiple test procedure", Scandinavian Journal of Statistics 6(2):65–70).
 *
 * With the m p-values sorted ascending, p(1) ≤ … ≤ p(m), Holm rejects H(1), …, H(k) where k is the
 * first index with p(k+1) > α/(m − k); that controls the family-wise error rate at α under any
 * dependence between the tests, and rejects everything Bonferroni rejects (often more). As adjusted
 * p-values (Wright 1992; R's `p.adjust(p, "holm")`):
 *
 *   p̃(i) = max_{j ≤ i} min(1, (m − j + 1)·p(j)),
 *
 * so H(i) is rejected at level α exactly when p̃(i) ≤ α. Returned in the input order. NaN p-values
 * are not tests: they stay NaN and do not count in m.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const order = pValues
    .map((p, i) => ({ p, i }))
    .filter((x) => !Number.isNaN(x.p))
    .sort((x, y) => x.p - y.p || x.i - y.i);
  for (const { p } of order) if (p < 0 || p > 1) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
  const m = order.length;
  const adjusted = pValues.map(() => Number.NaN);
  let running = 0;
  for (const [j, { p, i }] of order.entries()) {
    running = Math.max(running, Math.min(1, (m - j) * p));
    adjusted[i] = running;
  }
  return adjusted;
}
