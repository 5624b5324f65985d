import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/util/random.js';
import { indexBootstrap, medianAt, twoSidedNormalP } from '../../src/util/stats/index-bootstrap.js';
import { quantile } from '../../src/util/stats/proportion.js';

describe('indexBootstrap (cluster bootstrap of a statistic of item indices)', () => {
  const random = mulberry32(7);
  const a = Float64Array.from({ length: 60 }, () => 100 + 50 * random());
  const b = Float64Array.from(a, (x) => 1.5 * x + 10 * random());
  const clusters = Array.from({ length: 30 }, (_, g) => [2 * g, 2 * g + 1]);
  const scratch = new Float64Array(60);
  const ratio = (idx: Int32Array) => medianAt(b, idx, scratch) / medianAt(a, idx, scratch) - 1;

  it('medianAt is the type-7 median of the indexed values', () => {
    for (const n of [1, 2, 7, 60]) {
      const idx = Int32Array.from({ length: n }, (_, i) => (i * 13) % 60);
      expect(medianAt(a, idx, scratch)).toBe(
        quantile(
          Array.from(idx, (i) => a[i] as number),
          0.5,
        ),
      );
    }
  });

  it('is seeded, brackets the estimate, and its p inverts the percentile interval', () => {
    const r = indexBootstrap(clusters, ratio, { seed: 3, resamples: 2_000 });
    expect(indexBootstrap(clusters, ratio, { seed: 3, resamples: 2_000 })).toEqual(r);
    expect(r).toMatchObject({ clusters: 30, items: 60, resamples: 2_000 });
    expect(r.ci.low).toBeLessThan(r.estimate);
    expect(r.ci.high).toBeGreaterThan(r.estimate);
    // 0.5 larger, every resample far from 0: the smallest p the resamples allow.
    expect(r.ci.low).toBeGreaterThan(0.3);
    expect(r.p).toBeCloseTo(2 / 2_001, 12);
    // Against a null inside the interval: a large p.
    expect(
      indexBootstrap(clusters, ratio, { seed: 3, resamples: 2_000, nullValue: r.estimate }).p,
    ).toBeGreaterThan(0.5);
  });

  it('counts a resample whose statistic is not finite as +∞, and has no interval without items', () => {
    const zeros = new Float64Array(4);
    const r = indexBootstrap([[0], [1], [2], [3]], (idx) => 1 / medianAt(zeros, idx, scratch), {
      seed: 1,
      resamples: 100,
    });
    expect(r.ci.high).toBe(Number.POSITIVE_INFINITY);
    expect(indexBootstrap([], () => 0, { seed: 1, resamples: 10 }).p).toBeNaN();
  });

  it('reports the spread of its resamples, and a two-sided normal p accurate far into the tail', () => {
    const r = indexBootstrap(clusters, ratio, { seed: 3, resamples: 2_000 });
    expect(r.nonFinite).toBe(0);
    expect(r.sd).toBeGreaterThan(0);
    expect(r.sd).toBeLessThan(r.ci.high - r.ci.low);
    expect(twoSidedNormalP(0)).toBeCloseTo(1, 6);
    expect(twoSidedNormalP(1.959963984540054)).toBeCloseTo(0.05, 7);
    expect(twoSidedNormalP(-2.5758293035489)).toBeCloseTo(0.01, 8);
    // 2·(1 − Φ(10)) = 1.523970604832e−23: relative error below 1e−6.
    expect(Math.abs(twoSidedNormalP(10) / 1.523970604832e-23 - 1)).toBeLessThan(1e-6);
  });
});
