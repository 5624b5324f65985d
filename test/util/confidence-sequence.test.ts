import { describe, expect, it } from 'vitest';
import { mulberry32, seedFrom } from '../../src/util/random.js';
import {
  bettingConfidenceSequence,
  type CsInterval,
  decide,
  decided,
} from '../../src/util/stats/confidence-sequence.js';
import {
  mcnemarMinimumDetectableEffect,
  mcnemarSampleSize,
  normalQuantile,
  pairedMinimumDetectableEffect,
  pairedSampleSize,
} from '../../src/util/stats/power.js';
import { Z95 } from '../../src/util/stats/proportion.js';

/** Paired differences d = correct_B − correct_A: +1 with pUp, −1 with pDown, else a tie (0). */
interface Scenario {
  name: string;
  pUp: number;
  pDown: number;
}

function pairedDifference(s: Scenario, random: () => number): number {
  const u = random();
  return u < s.pUp ? 1 : u < s.pUp + s.pDown ? -1 : 0;
}

const ALPHA = 0.05;
const RUNS = 400;
const ITEMS = 500;

/**
 * Optional stopping at its most aggressive: look after every item up to ITEMS and count a run as a
 * miss if the true mean was outside the interval at any of those looks. Alongside, the textbook 95 %
 * Wald interval peeked at after every item, to show the check can tell a valid CS from an invalid one.
 */
function coverage(s: Scenario, runs = RUNS, items = ITEMS): { missRate: number; naiveMissRate: number } {
  const truth = s.pUp - s.pDown;
  let misses = 0;
  let naiveMisses = 0;
  for (let run = 0; run < runs; run++) {
    const random = mulberry32(seedFrom('cs-coverage', s.name, run));
    const cs = bettingConfidenceSequence({ alpha: ALPHA, lowerBound: -1, upperBound: 1 });
    let missed = false;
    let naiveMissed = false;
    let sum = 0;
    let sumSq = 0;
    for (let n = 1; n <= items; n++) {
      const d = pairedDifference(s, random);
      cs.observe(d);
      const { lower, upper } = cs.interval();
      if (truth < lower || truth > upper) missed = true;
      sum += d;
      sumSq += d * d;
      if (n >= 10) {
        const mean = sum / n;
        const half = Z95 * Math.sqrt(Math.max(0, sumSq / n - mean * mean) / n);
        if (Math.abs(mean - truth) > half) naiveMissed = true;
      }
    }
    if (missed) misses++;
    if (naiveMissed) naiveMisses++;
  }
  return { missRate: misses / runs, naiveMissRate: naiveMisses / runs };
}

describe('betting confidence sequence (Waudby-Smith & Ramdas hedged capital process)', () => {
  const scenarios: Scenario[] = [
    { name: 'no difference', pUp: 0.15, pDown: 0.15 },
    { name: 'B 10 points better', pUp: 0.2, pDown: 0.1 },
    { name: 'B 5 points worse', pUp: 0.1, pDown: 0.15 },
    { name: 'heavily tied (96 % ties, +2 points)', pUp: 0.03, pDown: 0.01 },
  ];

  it.each(scenarios)(
    'misses the true difference at any of 500 looks in at most 5 % of 400 runs: $name',
    (s) => {
      const { missRate, naiveMissRate } = coverage(s);
      console.log(
        `coverage ${s.name}: CS miss rate ${missRate} over ${RUNS} runs; ` +
          `Wald CI peeked at every item: ${naiveMissRate}`,
      );
      expect(missRate).toBeLessThanOrEqual(ALPHA);
    },
  );

  it.each([scenarios[0], scenarios[3]] as Scenario[])(
    'without replacement: misses the suite mean at any point of a shuffled 400-item suite in at most 5 % of 400 runs: $name',
    (s) => {
      const suiteSize = 400;
      let misses = 0;
      let exact = 0;
      for (let run = 0; run < RUNS; run++) {
        const random = mulberry32(seedFrom('cs-wor', s.name, run));
        // A fixed suite (its own mean is the target, not the scenario's), then a seeded shuffle.
        const suite = Array.from({ length: suiteSize }, () => pairedDifference(s, random));
        const truth = suite.reduce((a, b) => a + b, 0) / suiteSize;
        for (let i = suiteSize - 1; i > 0; i--) {
          const k = Math.floor(random() * (i + 1));
          [suite[i], suite[k]] = [suite[k] as number, suite[i] as number];
        }
        const cs = bettingConfidenceSequence({
          alpha: ALPHA,
          lowerBound: -1,
          upperBound: 1,
          populationSize: suiteSize,
        });
        let missed = false;
        for (const d of suite) {
          cs.observe(d);
          const { lower, upper } = cs.interval();
          if (truth < lower - 1e-12 || truth > upper + 1e-12) missed = true;
        }
        if (missed) misses++;
        const end = cs.interval();
        if (Math.abs(end.lower - truth) < 1e-9 && Math.abs(end.upper - truth) < 1e-9) exact++;
      }
      console.log(`coverage without replacement, ${s.name}: CS miss rate ${misses / RUNS} over ${RUNS} runs`);
      expect(misses / RUNS).toBeLessThanOrEqual(ALPHA);
      expect(exact).toBe(RUNS); // the whole suite seen: the interval is its mean
    },
  );

  it('is a check with teeth: a fixed-n 95 % interval peeked at after every item misses far more often', () => {
    const { naiveMissRate } = coverage(scenarios[0] as Scenario, 100);
    expect(naiveMissRate).toBeGreaterThan(2 * ALPHA);
  });

  it('covers graded (non-0/1) differences in [−1, 1] too', () => {
    // Partial-credit scores: A ~ U(0, 1), B = clip(A + U(−0.4, 0.6)) — true mean found by a long simulation.
    const draw = (random: () => number) => {
      const a = random();
      const b = Math.min(1, Math.max(0, a + random() - 0.4));
      return b - a;
    };
    const reference = mulberry32(seedFrom('cs-graded-truth'));
    let total = 0;
    const draws = 2_000_000;
    for (let i = 0; i < draws; i++) total += draw(reference);
    const truth = total / draws; // standard error ≈ 0.0003, far below the CS widths checked
    let misses = 0;
    const runs = 100;
    for (let run = 0; run < runs; run++) {
      const random = mulberry32(seedFrom('cs-graded', run));
      const cs = bettingConfidenceSequence({ alpha: ALPHA, lowerBound: -1, upperBound: 1 });
      let missed = false;
      for (let n = 1; n <= 300; n++) {
        cs.observe(draw(random));
        const { lower, upper } = cs.interval();
        if (truth < lower || truth > upper) missed = true;
      }
      if (missed) misses++;
    }
    console.log(
      `coverage graded differences (mean ${truth.toFixed(4)}): miss rate ${misses / runs} over ${runs} runs`,
    );
    expect(misses / runs).toBeLessThanOrEqual(ALPHA);
  });

  it('excludes 0 within far fewer than 500 items when B is 30 points better', () => {
    const s: Scenario = { name: 'B 30 points better', pUp: 0.35, pDown: 0.05 };
    const stops: number[] = [];
    for (let run = 0; run < 100; run++) {
      const random = mulberry32(seedFrom('cs-large-gap', run));
      const cs = bettingConfidenceSequence({ alpha: ALPHA, lowerBound: -1, upperBound: 1 });
      let n = 0;
      while (n < ITEMS) {
        cs.observe(pairedDifference(s, random));
        n++;
        if (decide(cs.interval(), 0, 'superiority') === 'yes') break;
      }
      stops.push(n);
    }
    const mean = stops.reduce((a, b) => a + b, 0) / stops.length;
    const sorted = [...stops].sort((a, b) => a - b);
    console.log(
      `large gap (+0.30): stopped after ${mean.toFixed(1)} items on average ` +
        `(median ${sorted[50]}, max ${sorted[99]}) over 100 runs`,
    );
    expect(Math.max(...stops)).toBeLessThan(ITEMS);
    expect(mean).toBeLessThan(ITEMS / 4);
  });

  it('never widens, and narrows as items accumulate', () => {
    const random = mulberry32(seedFrom('cs-width'));
    const cs = bettingConfidenceSequence({ alpha: ALPHA, lowerBound: -1, upperBound: 1 });
    const widths = new Map<number, number>();
    let previous = cs.interval();
    for (let n = 1; n <= 1000; n++) {
      cs.observe(pairedDifference({ name: 'w', pUp: 0.2, pDown: 0.15 }, random));
      const now = cs.interval();
      expect(now.lower).toBeGreaterThanOrEqual(previous.lower);
      expect(now.upper).toBeLessThanOrEqual(previous.upper);
      previous = now;
      widths.set(n, now.upper - now.lower);
    }
    const at = [25, 50, 100, 200, 400, 1000].map((n) => widths.get(n) as number);
    for (let i = 1; i < at.length; i++) expect(at[i]).toBeLessThan(at[i - 1] as number);
    // Roughly 1/√n: 40 times the items, at least 4 times narrower.
    expect(at[5]).toBeLessThan((at[0] as number) / 4);
  });

  it('stays within [lowerBound, upperBound] and starts as the whole range', () => {
    const cs = bettingConfidenceSequence({ alpha: 0.1, lowerBound: -1, upperBound: 1, grid: 400 });
    expect(cs.interval()).toEqual({ lower: -1, upper: 1, n: 0 });
    // Extreme data pushes the interval against a bound.
    for (let n = 0; n < 200; n++) {
      cs.observe(1);
      const { lower, upper } = cs.interval();
      expect(lower).toBeGreaterThanOrEqual(-1);
      expect(upper).toBeLessThanOrEqual(1);
      expect(lower).toBeLessThanOrEqual(upper);
    }
    expect(cs.interval().upper).toBe(1);
    expect(cs.interval().lower).toBeGreaterThan(0.9);
    // A mean that jumps (the assumption broken): every candidate gets rejected, and the interval
    // collapses to where the two gamblers met instead of turning empty or inverted.
    for (let n = 0; n < 400; n++) {
      cs.observe(-1);
      const { lower, upper } = cs.interval();
      expect(lower).toBeLessThanOrEqual(upper);
      expect(lower).toBeGreaterThanOrEqual(-1);
      expect(upper).toBeLessThanOrEqual(1);
    }
    // Other bounds: scores on [0, 100].
    const pct = bettingConfidenceSequence({ alpha: 0.05, lowerBound: 0, upperBound: 100 });
    const random = mulberry32(seedFrom('cs-pct'));
    for (let n = 0; n < 300; n++) pct.observe(40 + 20 * random());
    const { lower, upper } = pct.interval();
    expect(lower).toBeGreaterThan(40);
    expect(upper).toBeLessThan(60);
    expect(lower).toBeLessThan(50);
    expect(upper).toBeGreaterThan(50);
  });

  it('shrinks towards 0 when every item is a tie, at a rate set by the bet cap c = 1/2', () => {
    // All ties: y = 1/2 every time, the capped bet is ≈ 1 near m = 1/2, so m is rejected once
    // n·|1/2 − m| ≳ log(2/α): half-width ≈ 2·log(40)/n on [−1, 1] (0.018 at n = 400).
    const cs = bettingConfidenceSequence({ alpha: ALPHA, lowerBound: -1, upperBound: 1 });
    for (let n = 0; n < 400; n++) cs.observe(0);
    const { lower, upper } = cs.interval();
    expect(lower).toBeLessThan(0);
    expect(upper).toBeGreaterThan(0);
    expect(upper - lower).toBeLessThan(0.05);
  });

  it('matches the hedged capital process evaluated directly from its definition', () => {
    // Independent re-evaluation: K±_s(m) from all observations for any m (no grid, no incremental
    // state); the reported ends must bracket the exact running-intersection ends within one grid step.
    const alpha = 0.1;
    const grid = 1000;
    const random = mulberry32(seedFrom('cs-direct'));
    const ys: number[] = [];
    const bets: number[] = [];
    let sum = 0;
    let squares = 0;
    let variance = 1 / 4;
    const cs = bettingConfidenceSequence({ alpha, lowerBound: 0, upperBound: 1, grid });
    const rejectedBy = (m: number, t: number): boolean => {
      let up = 0;
      let down = 0;
      for (let i = 0; i < t; i++) {
        const y = ys[i] as number;
        const bet = bets[i] as number;
        up += Math.log(1 + Math.min(bet, m === 0 ? Infinity : 0.5 / m) * (y - m));
        down += Math.log(1 - Math.min(bet, m === 1 ? Infinity : 0.5 / (1 - m)) * (y - m));
        if (Math.max(up, down) >= Math.log(2 / alpha)) return true;
      }
      return false;
    };
    for (let t = 1; t <= 150; t++) {
      const y = random() < 0.3 ? 1 : random() < 0.5 ? 0.5 : 0; // mean 0.3 + 0.35·0.5 = 0.475
      bets.push(Math.sqrt((2 * Math.log(2 / alpha)) / (variance * t * Math.log(1 + t))));
      ys.push(y);
      sum += y;
      squares += (y - (0.5 + sum) / (t + 1)) ** 2;
      variance = (0.25 + squares) / (t + 1);
      cs.observe(y);
      if (t % 25 !== 0) continue;
      const { lower, upper } = cs.interval();
      // Just inside the reported ends (one grid step in) nothing rejected m yet; at the ends themselves
      // (and so beyond, by monotonicity) something did, unless the end is the bound.
      expect(rejectedBy(lower + 1.5 / grid, t)).toBe(false);
      expect(rejectedBy(upper - 1.5 / grid, t)).toBe(false);
      if (lower > 0) expect(rejectedBy(lower, t)).toBe(true);
      if (upper < 1) expect(rejectedBy(upper, t)).toBe(true);
    }
  });

  it('is deterministic: the same observations give the same intervals', () => {
    const run = (): CsInterval[] => {
      const random = mulberry32(seedFrom('cs-determinism'));
      const cs = bettingConfidenceSequence({ alpha: ALPHA, lowerBound: -1, upperBound: 1 });
      const out: CsInterval[] = [];
      for (let n = 0; n < 300; n++) {
        cs.observe(pairedDifference({ name: 'd', pUp: 0.25, pDown: 0.2 }, random));
        out.push(cs.interval());
      }
      return out;
    };
    expect(run()).toEqual(run());
  });

  it('rejects observations outside the bounds and invalid options', () => {
    const cs = bettingConfidenceSequence({ alpha: ALPHA, lowerBound: -1, upperBound: 1 });
    expect(() => cs.observe(1.5)).toThrow(RangeError);
    expect(() => cs.observe(Number.NaN)).toThrow(RangeError);
    expect(() => bettingConfidenceSequence({ alpha: 0, lowerBound: -1, upperBound: 1 })).toThrow(RangeError);
    expect(() => bettingConfidenceSequence({ alpha: 0.05, lowerBound: 1, upperBound: 1 })).toThrow(
      RangeError,
    );
    const small = bettingConfidenceSequence({ alpha: 0.05, lowerBound: 0, upperBound: 1, populationSize: 1 });
    small.observe(0.3);
    expect(() => small.observe(0.3)).toThrow(RangeError);
    expect(() => bettingConfidenceSequence({ alpha: 0.05, lowerBound: 0, upperBound: 1, grid: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('deciding a comparison from an interval on B − A', () => {
  it.each([
    // [lower, upper, margin, mode, verdict]
    [-0.01, 0.05, 0.02, 'non-inferiority', 'yes'],
    [-0.03, 0.05, 0.02, 'non-inferiority', 'undecided'],
    [-0.1, -0.03, 0.02, 'non-inferiority', 'no'],
    [0.01, 0.05, 0, 'superiority', 'yes'],
    [-0.05, -0.01, 0, 'superiority', 'no'],
    [-0.01, 0.05, 0, 'superiority', 'undecided'],
    [0.01, 0.05, 0.02, 'superiority', 'undecided'],
    [-0.01, 0.01, 0.02, 'equivalence', 'yes'],
    [-0.01, 0.03, 0.02, 'equivalence', 'undecided'],
    [0.03, 0.08, 0.02, 'equivalence', 'no'],
    [-0.08, -0.03, 0.02, 'equivalence', 'no'],
  ] as const)('[%f, %f] with margin %f, %s: %s', (lower, upper, margin, mode, verdict) => {
    expect(decide({ lower, upper }, margin, mode)).toBe(verdict);
    expect(decided({ lower, upper }, margin, mode)).toBe(verdict !== 'undecided');
  });

  it('refuses a negative margin', () => {
    expect(() => decide({ lower: 0, upper: 1 }, -0.02, 'non-inferiority')).toThrow(RangeError);
  });
});

describe('paired power (normal approximation)', () => {
  it('has the usual normal quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621234, 8);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644853627, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 7);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it("needs Connor's n for McNemar: 155 items for +10 points with 20 % discordant pairs", () => {
    // (1.95996·√0.2 + 0.84162·√(0.2 − 0.01))² / 0.01 = 154.6
    expect(mcnemarSampleSize(0.1, 0.2)).toBe(155);
    expect(mcnemarSampleSize(-0.1, 0.2)).toBe(155);
    expect(mcnemarSampleSize(0, 0.2)).toBe(Number.POSITIVE_INFINITY);
    // One-sided (non-inferiority style) needs fewer.
    expect(mcnemarSampleSize(0.1, 0.2, { sides: 1 })).toBeLessThan(155);
  });

  it('inverts the sample size into a minimum detectable effect', () => {
    const mde = mcnemarMinimumDetectableEffect(155, 0.2);
    expect(mde).toBeGreaterThan(0.099);
    expect(mde).toBeLessThanOrEqual(0.1);
    expect(mcnemarSampleSize(mde, 0.2)).toBeLessThanOrEqual(155);
    // Ten items cannot detect ten points.
    expect(mcnemarMinimumDetectableEffect(10, 0.2)).toBeGreaterThan(0.1);
  });

  it('sizes a paired mean difference from its standard deviation', () => {
    // ((1.95996 + 0.84162)·0.5 / 0.05)² = 784.9
    expect(pairedSampleSize(0.05, 0.5)).toBe(785);
    expect(pairedMinimumDetectableEffect(785, 0.5)).toBeCloseTo(0.05, 3);
  });
});

describe('an interval end on the margin decides nothing, in every mode', () => {
  it('equivalence: [2, 5] pp and [−5, −2] pp with margin 2 are undecided, past it they are "no"', () => {
    expect(decide({ lower: 0.02, upper: 0.05 }, 0.02, 'equivalence')).toBe('undecided');
    expect(decide({ lower: -0.05, upper: -0.02 }, 0.02, 'equivalence')).toBe('undecided');
    expect(decide({ lower: 0.021, upper: 0.05 }, 0.02, 'equivalence')).toBe('no');
    expect(decide({ lower: -0.019, upper: 0.019 }, 0.02, 'equivalence')).toBe('yes');
  });
});
