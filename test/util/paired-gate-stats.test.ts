import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/util/random.js';
import { quantileInPlace } from '../../src/util/stats/bootstrap.js';
import { pairedBootstrapStatistic } from '../../src/util/stats/index-bootstrap.js';
import { tangoInterval } from '../../src/util/stats/paired-proportion.js';
import { quantile, Z95 } from '../../src/util/stats/proportion.js';

describe('tangoInterval (paired difference B − A)', () => {
  it('keeps its width with no discordant item: |δ| ≤ z²/(n + z²)', () => {
    for (const n of [40, 400]) {
      const bound = (Z95 * Z95) / (n + Z95 * Z95);
      const ci = tangoInterval(0, 0, n, Z95);
      expect(ci.low).toBeCloseTo(-bound, 9);
      expect(ci.high).toBeCloseTo(bound, 9);
    }
    // 40 agreeing items cannot rule out a 2-point drop; 400 can.
    expect(tangoInterval(0, 0, 40, Z95).low).toBeLessThan(-0.08);
    expect(tangoInterval(0, 0, 400, Z95).low).toBeGreaterThan(-0.01);
  });

  it('contains the estimate, is ordered, stays in [−1, 1] and mirrors when A and B swap', () => {
    for (const [b, c, n] of [
      [3, 1, 40],
      [0, 5, 20],
      [10, 0, 10],
      [7, 7, 100],
    ] as const) {
      const ci = tangoInterval(b, c, n, Z95);
      const est = (b - c) / n;
      expect(ci.low).toBeLessThanOrEqual(est + 1e-12);
      expect(ci.high).toBeGreaterThanOrEqual(est - 1e-12);
      expect(ci.low).toBeGreaterThanOrEqual(-1);
      expect(ci.high).toBeLessThanOrEqual(1);
      const swapped = tangoInterval(c, b, n, Z95);
      expect(swapped.low).toBeCloseTo(-ci.high, 9);
      expect(swapped.high).toBeCloseTo(-ci.low, 9);
    }
  });

  it('covers the true difference in about 95% of seeded simulations (n = 40, ψ = 0.15, δ = −0.05)', () => {
    const random = mulberry32(20);
    const pOnlyB = 0.05;
    const pOnlyA = 0.1;
    let misses = 0;
    const runs = 2000;
    for (let r = 0; r < runs; r++) {
      let b = 0;
      let c = 0;
      for (let i = 0; i < 40; i++) {
        const u = random();
        if (u < pOnlyB) b++;
        else if (u < pOnlyB + pOnlyA) c++;
      }
      const ci = tangoInterval(b, c, 40, Z95);
      if (!(ci.low <= pOnlyB - pOnlyA && pOnlyB - pOnlyA <= ci.high)) misses++;
    }
    expect(misses / runs).toBeLessThan(0.07);
    expect(misses / runs).toBeGreaterThan(0.01);
  });
});

describe('pairedBootstrapStatistic and quantileInPlace', () => {
  it('quantileInPlace agrees with the sorting type-7 quantile', () => {
    const random = mulberry32(3);
    for (const n of [1, 2, 5, 40, 101]) {
      const values = Array.from({ length: n }, () => Math.round(random() * 20));
      for (const q of [0, 0.05, 0.5, 0.95, 1])
        expect(quantileInPlace(Float64Array.from(values), q)).toBeCloseTo(quantile(values, q) as number, 12);
    }
  });

  it('an identical pair gives a zero-width interval at zero; a uniform 20% rise gives 20%', () => {
    const a = Array.from({ length: 50 }, (_, i) => 100 + i);
    const ratio = (x: Float64Array, y: Float64Array) => quantileInPlace(y, 0.5) / quantileInPlace(x, 0.5) - 1;
    const same = pairedBootstrapStatistic(a, a, a, ratio, { seed: 1, resamples: 500 });
    expect(same.ci).toEqual({ low: 0, high: 0 });
    const up = pairedBootstrapStatistic(
      a,
      a.map((x) => 1.2 * x),
      a,
      ratio,
      { seed: 1, resamples: 500 },
    );
    expect(up.estimate).toBeCloseTo(0.2, 12);
    expect(up.ci.low).toBeCloseTo(0.2, 12);
    expect(up.ci.high).toBeCloseTo(0.2, 12);
  });

  it('resamples whole clusters, is seeded, and reports an unbounded ratio as +∞', () => {
    const a = [1, 1, 1, 1, 0, 0];
    const b = [2, 2, 1, 1, 1, 1];
    const clusters = ['x', 'x', 'y', 'y', 'z', 'z'];
    const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;
    const ratio = (x: Float64Array, y: Float64Array) => mean(y) / mean(x) - 1;
    const r1 = pairedBootstrapStatistic(a, b, clusters, ratio, { seed: 9, resamples: 2000 });
    const r2 = pairedBootstrapStatistic(a, b, clusters, ratio, { seed: 9, resamples: 2000 });
    expect(r1).toEqual(r2);
    expect(r1.clusters).toBe(3);
    expect(r1.estimate).toBeCloseTo(8 / 4 - 1, 12);
    // A resample of cluster z only has mean(A) = 0: the upper end is infinite, not dropped.
    expect(r1.ci.high).toBe(Number.POSITIVE_INFINITY);
  });
});
