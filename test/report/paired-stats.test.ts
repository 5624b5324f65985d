import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/util/random.js';
import { binomialSample } from '../../src/util/stats/binomial-sample.js';
import { pairedBootstrap } from '../../src/util/stats/bootstrap.js';
import { clusteredMean } from '../../src/util/stats/clustered.js';
import { mcnemarExactP } from '../../src/util/stats/mcnemar.js';
import { paretoFront } from '../../src/util/stats/pareto.js';

/** Exact two-sided binomial(n, ½) p-value with integers only: an independent check of the float code. */
function exactBinomialP(b: number, c: number): number {
  const n = BigInt(b + c);
  const m = BigInt(Math.min(b, c));
  let choose = 1n;
  let tail = 0n;
  for (let k = 0n; k <= m; k++) {
    if (k > 0n) choose = (choose * (n - k + 1n)) / k;
    tail += choose;
  }
  const scale = 10n ** 30n;
  return Math.min(1, (2 * Number((tail * scale) / 2n ** n)) / 1e30);
}

describe('McNemar exact test', () => {
  it('matches Fagerland, Lydersen & Laake (2013): 1 vs 7 discordant pairs give p = 0.070', () => {
    expect(mcnemarExactP(1, 7)).toBeCloseTo(0.0703125, 10);
    expect(mcnemarExactP(7, 1)).toBeCloseTo(0.0703125, 10);
  });

  it("matches R's binom.test(2, 12): p = 0.03857", () => {
    expect(mcnemarExactP(10, 2)).toBeCloseTo(158 / 4096, 12);
  });

  it('is 1 without discordant pairs or when they split evenly', () => {
    expect(mcnemarExactP(0, 0)).toBe(1);
    expect(mcnemarExactP(5, 5)).toBe(1);
    expect(mcnemarExactP(0, 1)).toBe(1);
  });

  it.each([
    [40, 70],
    [130, 170],
    [4000, 4300],
  ])('agrees with integer arithmetic at %i vs %i', (b, c) => {
    const exact = exactBinomialP(b, c);
    expect(Math.abs(mcnemarExactP(b, c) - exact) / exact).toBeLessThan(1e-9);
  });

  it('stays finite and tiny for a huge lopsided split', () => {
    const p = mcnemarExactP(20_000, 30_000);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(1e-100);
  });
});

describe('clustered standard error', () => {
  it('equals the textbook SE of a mean when every item is its own cluster', () => {
    const r = clusteredMean([1, 0, 1, 1], [0, 1, 2, 3]);
    expect(r.mean).toBe(0.75);
    expect(r.iidSe).toBeCloseTo(0.25, 12); // s² = 0.25, SE = √(s²/n)
    expect(r.clusteredSe).toBeCloseTo(0.25, 12);
    expect(r.designEffect).toBeCloseTo(1, 12);
  });

  it('matches the CR1 formula worked by hand on three clusters', () => {
    // ȳ = 4/9; cluster residual sums 2/3, 1/9, −7/9; V = 3/2 · (86/81) / 81 = 129/6561.
    const r = clusteredMean([1, 1, 0, 1, 0, 0, 0, 0, 1], ['a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'c']);
    expect(r.clusters).toBe(3);
    expect(r.clusteredSe).toBeCloseTo(Math.sqrt(129 / 6561), 12);
  });

  it('grows when correlated items share clusters', () => {
    const values = [1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0];
    const clusters = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3];
    const r = clusteredMean(values, clusters);
    expect(r.clusteredSe).toBeGreaterThan(r.iidSe);
    expect(r.designEffect).toBeGreaterThan(2);
  });
});

describe('binomial sampler', () => {
  it.each([
    [20, 0.1],
    [1000, 0.3],
    [5000, 0.8],
    [60, 0.5],
  ])('Binomial(%i, %f) has the right mean and variance', (n, p) => {
    const uniform = mulberry32(7);
    const draws = 100_000;
    let s = 0;
    let s2 = 0;
    let outside = 0;
    for (let i = 0; i < draws; i++) {
      const x = binomialSample(n, p, uniform);
      if (x < 0 || x > n || !Number.isInteger(x)) outside++;
      s += x;
      s2 += x * x;
    }
    expect(outside).toBe(0);
    const mean = s / draws;
    const variance = s2 / draws - mean * mean;
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(mean - n * p)).toBeLessThan((5 * sd) / Math.sqrt(draws));
    expect(variance / (sd * sd)).toBeGreaterThan(0.97);
    expect(variance / (sd * sd)).toBeLessThan(1.03);
  });
});

/** Paired binary outcomes with P(A) = 0.7, P(B) = 0.6, correlated: true difference 0.1. */
function pairedTrial(n: number, uniform: () => number): number[] {
  return Array.from({ length: n }, () => {
    const u = uniform();
    if (u < 0.5) return 0; // both right
    if (u < 0.7) return 1; // only A
    if (u < 0.8) return -1; // only B
    return 0; // both wrong
  });
}

describe('paired bootstrap', () => {
  it('is reproducible from its seed and uses at least 10 000 resamples', () => {
    const d = pairedTrial(80, mulberry32(1));
    const ids = d.map((_, i) => i);
    const a = pairedBootstrap(d, ids, { seed: 42 });
    expect(a.resamples).toBeGreaterThanOrEqual(10_000);
    expect(pairedBootstrap(d, ids, { seed: 42 })).toEqual(a);
    // With −1/0/1 differences the endpoints sit on a lattice of 1/80 and rarely move with the seed;
    // continuous differences (e.g. cost) show that the seed drives the resampling.
    const uniform = mulberry32(4);
    const costs = Array.from({ length: 80 }, () => uniform() - 0.4);
    const c42 = pairedBootstrap(costs, ids, { seed: 42 });
    expect(pairedBootstrap(costs, ids, { seed: 42 })).toEqual(c42);
    expect(pairedBootstrap(costs, ids, { seed: 43 }).ci.low).not.toBe(c42.ci.low);
  });

  it('gives the same interval as resampling items one by one', () => {
    const d = pairedTrial(200, mulberry32(2));
    const grouped = pairedBootstrap(
      d,
      d.map((_, i) => i),
      { seed: 5 },
    );
    const uniform = mulberry32(99);
    const means: number[] = [];
    for (let b = 0; b < 10_000; b++) {
      let s = 0;
      for (let i = 0; i < d.length; i++) s += d[Math.floor(uniform() * d.length)] as number;
      means.push(s / d.length);
    }
    means.sort((x, y) => x - y);
    expect(grouped.ci.low).toBeCloseTo(means[250] as number, 1);
    expect(grouped.ci.high).toBeCloseTo(means[9750] as number, 1);
    expect(Math.abs(grouped.ci.low - (means[250] as number))).toBeLessThan(0.012);
    expect(Math.abs(grouped.ci.high - (means[9750] as number))).toBeLessThan(0.012);
  });

  it('covers the true difference in at least 93% of 200 seeded synthetic trials', () => {
    const uniform = mulberry32(20261125);
    let covered = 0;
    for (let trial = 0; trial < 200; trial++) {
      const d = pairedTrial(150, uniform);
      const r = pairedBootstrap(
        d,
        d.map((_, i) => i),
        { seed: 1000 + trial, resamples: 10_000 },
      );
      if (r.ci.low <= 0.1 && 0.1 <= r.ci.high) covered++;
    }
    expect(covered / 200).toBeGreaterThanOrEqual(0.93);
  });

  it('widens when whole clusters move together', () => {
    const d = pairedTrial(120, mulberry32(3));
    // The same 40 outcomes three times: as items they look like 120 independent draws.
    const tripled = [...d.slice(0, 40), ...d.slice(0, 40), ...d.slice(0, 40)];
    const asItems = pairedBootstrap(
      tripled,
      tripled.map((_, i) => i),
      { seed: 1 },
    );
    const asClusters = pairedBootstrap(
      tripled,
      tripled.map((_, i) => i % 40),
      { seed: 1 },
    );
    expect(asClusters.clusters).toBe(40);
    expect(asClusters.ci.high - asClusters.ci.low).toBeGreaterThan(1.5 * (asItems.ci.high - asItems.ci.low));
  });
});

describe('Pareto front', () => {
  it('keeps only points nothing beats on both cost and accuracy', () => {
    const front = paretoFront([
      { id: 'cheap-weak', costUsd: 1, accuracy: 0.5 },
      { id: 'dominated', costUsd: 2, accuracy: 0.45 },
      { id: 'mid', costUsd: 3, accuracy: 0.7 },
      { id: 'same-cost-worse', costUsd: 3, accuracy: 0.6 },
      { id: 'pricey-best', costUsd: 10, accuracy: 0.9 },
      { id: 'pricier-equal', costUsd: 12, accuracy: 0.9 },
    ]);
    expect(front.map((p) => p.id)).toEqual(['cheap-weak', 'mid', 'pricey-best']);
  });
});
