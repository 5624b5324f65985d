import { describe, expect, it } from 'vitest';
import { accuracyGate, increaseGate, itemsNeeded, plannedSd } from '../../../src/report/compare/gates.js';
import { pairedSampleSize } from '../../../src/util/stats/power.js';

/** Evidence with a given interval (fractions) over n items with the given discordant counts. */
const evidence = (low: number, high: number, n = 400, onlyA = 4, onlyB = 4) => ({
  n,
  onlyA,
  onlyB,
  ci: { low, high },
  level: 0.95,
  sd: plannedSd(n, onlyA, onlyB, { low, high }, 0.95),
});

describe('accuracy gate decisions at the boundaries (B − A, margin in pp)', () => {
  it('non-inferiority: pass only when the lower bound is strictly above −margin', () => {
    const ni = { mode: 'non-inferiority' as const, marginPoints: 2 };
    expect(accuracyGate(evidence(-0.0199, 0.01), ni).verdict).toBe('pass');
    expect(accuracyGate(evidence(-0.02, 0.01), ni).verdict).toBe('fail');
    expect(accuracyGate(evidence(-0.0201, 0.01), ni).verdict).toBe('fail');
    const g = accuracyGate(evidence(-0.0199, 0.01), ni);
    expect(g.unit).toBe('pp');
    expect(g.rule).toBe('lower bound > −2.0 pp');
    expect(g.ci.low).toBeCloseTo(-1.99, 9);
  });

  it('non-inferiority: an undecided interval fails and says how many items would settle it', () => {
    const g = accuracyGate(evidence(-0.088, 0.088, 40, 0, 0), { mode: 'non-inferiority', marginPoints: 2 });
    expect(g.verdict).toBe('fail');
    expect(g.reason).toMatch(/cannot rule out a drop of 2 pp or more at n = 40/);
    expect(g.reason).toMatch(/about \d+ items in all \(\d+ more\)/);
    // Observed difference beyond the margin: no number of items helps at this difference.
    const worse = accuracyGate(evidence(-0.1, 0.02, 40, 2, 1), { mode: 'non-inferiority', marginPoints: 2 });
    expect(worse.verdict).toBe('fail');
    expect(worse.reason).toMatch(/itself on the failing side of the margin/);
    // The whole interval below −margin: a clear "worse".
    expect(accuracyGate(evidence(-0.08, -0.03), { mode: 'non-inferiority', marginPoints: 2 }).reason).toMatch(
      /B is worse by more than 2 pp/,
    );
  });

  it('superiority: pass only when the lower bound is above the margin (default 0)', () => {
    const sup = { mode: 'superiority' as const, marginPoints: 0 };
    expect(accuracyGate(evidence(0.0001, 0.05), sup).verdict).toBe('pass');
    expect(accuracyGate(evidence(0, 0.05), sup).verdict).toBe('fail');
    const m1 = { mode: 'superiority' as const, marginPoints: 1 };
    expect(accuracyGate(evidence(0.0101, 0.05), m1).verdict).toBe('pass');
    expect(accuracyGate(evidence(0.01, 0.05), m1).verdict).toBe('fail');
  });

  it('equivalence: pass only when the whole interval lies strictly inside ±margin', () => {
    const eq = { mode: 'equivalence' as const, marginPoints: 3 };
    expect(accuracyGate(evidence(-0.0299, 0.0299), eq).verdict).toBe('pass');
    expect(accuracyGate(evidence(-0.03, 0.01), eq).verdict).toBe('fail');
    expect(accuracyGate(evidence(-0.01, 0.03), eq).verdict).toBe('fail');
    expect(accuracyGate(evidence(0.031, 0.06), eq).reason).toMatch(/outside ±3 pp/);
  });
});

describe('items needed at the observed variance', () => {
  it('paired-z on the distance to the margin; McNemar for superiority at margin 0', () => {
    // δ = 0, 10 % discordant, margin 2 pp: (1.96 + 0.84)² · 0.1 / 0.02² ≈ 1963.
    const e = evidence(-0.03, 0.03, 400, 20, 20);
    expect(e.sd).toBeCloseTo(Math.sqrt(0.1), 2);
    expect(itemsNeeded(e, { mode: 'non-inferiority', marginPoints: 2 })).toBeGreaterThan(1900);
    expect(itemsNeeded(e, { mode: 'non-inferiority', marginPoints: 2 })).toBeLessThan(2050);
    // δ = +5 pp with 15 % discordant (10 only B, 5 only A per 100): Connor's formula.
    const better = {
      n: 100,
      onlyA: 5,
      onlyB: 10,
      ci: { low: -0.01, high: 0.11 },
      level: 0.95,
      sd: Math.sqrt(0.15 - 0.0025),
    };
    expect(itemsNeeded(better, { mode: 'superiority', marginPoints: 0 })).toBe(469);
    expect(itemsNeeded(e, { mode: 'superiority', marginPoints: 0 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('for equivalence, items for 80 % power over both bounds (TOST: each side at 90 %)', () => {
    // δ = 0, ψ = 0.1, m = 2 pp: (z₀.₉₇₅ + z₀.₉)² · 0.1 / 0.02² ≈ 2 627 (at 80 % per side: ≈ 1 962, 60 % overall).
    const e = evidence(-0.03, 0.03, 400, 20, 20);
    e.sd = Math.sqrt(0.1);
    expect(itemsNeeded(e, { mode: 'equivalence', marginPoints: 2 })).toBe(
      pairedSampleSize(0.02, Math.sqrt(0.1), { alpha: 0.05, sides: 2, power: 0.9 }),
    );
    expect(itemsNeeded(e, { mode: 'equivalence', marginPoints: 2 })).toBeGreaterThan(2600);
  });

  it('with no discordant item the SD is the rule-of-three bound √(3/n), never 0', () => {
    expect(plannedSd(40, 0, 0, { low: 0, high: 0 }, 0.95)).toBeCloseTo(Math.sqrt(3 / 40), 12);
    // A wide cluster bootstrap (correlated repeats) raises it.
    expect(plannedSd(40, 1, 1, { low: -0.3, high: 0.3 }, 0.95)).toBeGreaterThan(0.9);
  });
});

describe('cost and latency gates: pass only when the upper bound of the increase is within the limit', () => {
  const e = (low: number, high: number, estimate = (low + high) / 2) => ({
    gate: 'cost per item',
    estimate,
    ci: { low, high },
    level: 0.95,
    a: '$0.01/item',
    b: '$0.011/item',
  });
  it('upper bound at the limit passes, just above fails, even with the point estimate inside', () => {
    expect(increaseGate(e(-0.05, 0.1), 10).verdict).toBe('pass');
    const g = increaseGate(e(0.02, 0.1001, 0.05), 10);
    expect(g.verdict).toBe('fail');
    expect(g.reason).toMatch(/not ruled out/);
    expect(increaseGate(e(0.15, 0.3), 10).reason).toMatch(/whole interval lies above \+10%/);
    expect(g.unit).toBe('%');
    expect(g.rule).toBe('upper bound ≤ +10%');
  });
  it('no limit: reported, not gated', () => {
    const g = increaseGate(e(0.5, 1.2), null);
    expect(g.verdict).toBe('not gated');
    expect(g.reason).toMatch(/\+85\.0% \(95% CI \+50\.0% to \+120\.0%\)/);
  });
  it('an unbounded upper end (a zero baseline in some resamples) fails', () => {
    expect(increaseGate(e(0, Number.POSITIVE_INFINITY, 0.1), 10).verdict).toBe('fail');
  });
});
