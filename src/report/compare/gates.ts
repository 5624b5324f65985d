import { decide } from '../../util/stats/confidence-sequence.js';
import { mcnemarSampleSize, normalQuantile, pairedSampleSize } from '../../util/stats/power.js';
import type { Interval } from '../../util/stats/proportion.js';

/**
 * The decision rules of `baton compare` (A = baseline, B = candidate; every difference is B − A).
 *
 * Accuracy, with δ the accuracy difference B − A and [L, U] its two-sided confidence interval (95 %
 * by default), margin m in percentage points:
 * - non-inferiority: pass ⇔ L > −m (B is not worse than A by m or more)
 * - superiority:     pass ⇔ L > m  (m = 0: B is better)
 * - equivalence:     pass ⇔ −m < L and U < m (m > 0)
 * A two-sided 95 % interval makes each bound a one-sided test at 2.5 % (the usual non-inferiority
 * convention); for equivalence that is two one-sided tests (TOST) at 2.5 % each, stricter than the
 * common 90 % interval (TOST at 5 %): `--confidence 90` gives that, and loosens the other gates too. Anything that is not shown passes nothing: an interval too wide to decide fails.
 *
 * Cost and latency, with r the relative increase of B over A (mean cost per item; p50, p95 latency)
 * and [L, U] its paired bootstrap interval, limit ℓ: pass ⇔ U ≤ ℓ. The same non-inferiority logic:
 * B passes only when the data rule out an increase beyond the limit, not merely when they fail to show one.
 */
export type GateMode = 'non-inferiority' | 'superiority' | 'equivalence';
export const GATE_MODES: readonly GateMode[] = ['non-inferiority', 'superiority', 'equivalence'];

export interface GateResult {
  /** `accuracy`, `cost per item`, `latency p50`, `latency p95`. */
  gate: string;
  /** `pp` (percentage points: accuracy) or `%` (relative change: cost, latency). */
  unit: 'pp' | '%';
  /** Point estimate and interval in `unit`s (accuracy B − A in points; relative increase in percent). */
  estimate: number;
  ci: Interval;
  /** The rule, in words with its numbers (`lower bound > −2 pp`). */
  rule: string;
  /** `fail` also when the interval is too wide to decide; `not gated` when no limit was given. */
  verdict: 'pass' | 'fail' | 'not gated';
  /** Why, in one sentence (with the items needed when more items could settle it). */
  reason: string;
}

export interface AccuracyEvidence {
  /** Shared items (pairs). */
  n: number;
  onlyA: number;
  onlyB: number;
  /** Interval of B − A as a fraction (0.02 = 2 points). */
  ci: Interval;
  /** Two-sided confidence level of `ci`. */
  level: number;
  /**
   * Per-item standard deviation of B − A to plan sample sizes with: the observed one, or larger when
   * the cluster bootstrap says the items are correlated (repeats, clustered tasks).
   */
  sd: number;
}

export interface AccuracyGateOptions {
  mode: GateMode;
  /** Margin in percentage points. */
  marginPoints: number;
}

const pp = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(1)} pp`;

/** The accuracy gate of a mode at a margin, with the items a failing small eval would need. */
export function accuracyGate(e: AccuracyEvidence, o: AccuracyGateOptions): GateResult {
  const m = o.marginPoints / 100;
  const delta = (e.onlyB - e.onlyA) / e.n;
  const ci = { low: 100 * e.ci.low, high: 100 * e.ci.high };
  const verdict = decide({ lower: e.ci.low, upper: e.ci.high }, m, o.mode);
  const rule =
    o.mode === 'non-inferiority'
      ? `lower bound > ${pp(-o.marginPoints)}`
      : o.mode === 'superiority'
        ? `lower bound > ${pp(o.marginPoints)}`
        : `${pp(-o.marginPoints)} < lower bound and upper bound < ${pp(o.marginPoints)}`;
  const base = { gate: 'accuracy', unit: 'pp' as const, estimate: 100 * delta, ci, rule };
  const level = `${Math.round(100 * e.level)}% CI`;
  if (verdict === 'yes') {
    const what =
      o.mode === 'non-inferiority'
        ? `a drop of ${o.marginPoints} pp or more is ruled out`
        : o.mode === 'superiority'
          ? `B is better by more than ${pp(o.marginPoints)}`
          : `the difference lies within ±${o.marginPoints} pp`;
    return { ...base, verdict: 'pass', reason: `${what} (${level} ${pp(ci.low)} to ${pp(ci.high)})` };
  }
  if (verdict === 'no') {
    const what =
      o.mode === 'non-inferiority'
        ? `B is worse by more than ${o.marginPoints} pp: the whole ${level} (${pp(ci.low)} to ${pp(ci.high)}) lies below ${pp(-o.marginPoints)}`
        : o.mode === 'superiority'
          ? `B is not better by more than ${pp(o.marginPoints)}: the whole ${level} (${pp(ci.low)} to ${pp(ci.high)}) lies below it`
          : `the difference lies outside ±${o.marginPoints} pp: the whole ${level} (${pp(ci.low)} to ${pp(ci.high)}) is beyond the margin`;
    return { ...base, verdict: 'fail', reason: what };
  }
  const undecided =
    o.mode === 'non-inferiority'
      ? `cannot rule out a drop of ${o.marginPoints} pp or more at n = ${e.n}: the ${level} lower bound ${pp(ci.low)} is not above ${pp(-o.marginPoints)}`
      : o.mode === 'superiority'
        ? `not shown better by more than ${pp(o.marginPoints)} at n = ${e.n}: the ${level} lower bound is ${pp(ci.low)}`
        : `not shown within ±${o.marginPoints} pp at n = ${e.n}: the ${level} is ${pp(ci.low)} to ${pp(ci.high)}`;
  return { ...base, verdict: 'fail', reason: `${undecided}; ${itemsNeededText(e, o)}` };
}

/**
 * Items (pairs) that would give an 80 % chance of passing if the true difference were the observed one,
 * at the observed per-item variance (normal approximation: `pairedSampleSize` on the distance from the
 * estimate to the margin; for superiority at margin 0, McNemar's `mcnemarSampleSize`). Infinity when the
 * estimate itself is on the failing side of the margin.
 */
export function itemsNeeded(e: AccuracyEvidence, o: AccuracyGateOptions): number {
  const m = o.marginPoints / 100;
  const delta = (e.onlyB - e.onlyA) / e.n;
  const discordant = (e.onlyA + e.onlyB) / e.n;
  // Equivalence must pass both bounds: at a true difference of 0 each side needs power 1 − β/2 for 80 %
  // overall (TOST), so the per-side power is 0.9.
  const power = { alpha: 1 - e.level, sides: 2 as const, power: o.mode === 'equivalence' ? 0.9 : 0.8 };
  if (o.mode === 'superiority' && m === 0 && delta > 0 && e.sd * e.sd <= discordant - delta * delta + 1e-12)
    return mcnemarSampleSize(delta, discordant, power);
  const distance =
    o.mode === 'non-inferiority' ? delta + m : o.mode === 'superiority' ? delta - m : m - Math.abs(delta);
  if (!(distance > 0)) return Number.POSITIVE_INFINITY;
  return pairedSampleSize(distance, e.sd, power);
}

function itemsNeededText(e: AccuracyEvidence, o: AccuracyGateOptions): string {
  const needed = itemsNeeded(e, o);
  const delta = (100 * (e.onlyB - e.onlyA)) / e.n;
  if (!Number.isFinite(needed))
    return `the observed difference ${pp(delta)} is itself on the failing side of the margin, so more items would pass only if the true difference is better than observed`;
  const at = `at the observed difference ${pp(delta)} and per-item SD ${e.sd.toFixed(3)}`;
  if (needed <= e.n)
    return `the normal approximation says ${needed} items suffice ${at}, but the interval (conservative at few discordant items) does not yet: a few more items`;
  return `about ${needed} items in all (${needed - e.n} more) would give an 80% chance of passing ${at}`;
}

/**
 * Per-item SD of B − A for sample sizes: the observed √(ψ − δ²), where ψ is the discordant share; with
 * no discordant item, the rule of three's bound ψ = 3/n (95 %); never below what the cluster bootstrap
 * interval implies (√n · half-width / z), so correlated repeats are not counted as independent items.
 */
export function plannedSd(
  n: number,
  onlyA: number,
  onlyB: number,
  bootstrap: Interval,
  level: number,
): number {
  const psi = (onlyA + onlyB) / n;
  const delta = (onlyB - onlyA) / n;
  const observed = psi > 0 ? Math.sqrt(Math.max(0, psi - delta * delta)) : Math.sqrt(Math.min(1, 3 / n));
  const z = normalQuantile(1 - (1 - level) / 2);
  const fromBootstrap = (Math.sqrt(n) * (bootstrap.high - bootstrap.low)) / (2 * z);
  return Math.max(observed, Number.isFinite(fromBootstrap) ? fromBootstrap : 0);
}

export interface IncreaseEvidence {
  gate: string;
  /** Relative increase of B over A as a fraction (0.1 = +10 %), and its interval. */
  estimate: number;
  ci: Interval;
  level: number;
  /** What A and B measured, for the reason (`$0.0123 → $0.0125`, `812 ms → 905 ms`). */
  a: string;
  b: string;
}

/** A cost or latency gate: pass ⇔ the upper bound of the relative increase ≤ the limit (percent); null: not gated. */
export function increaseGate(e: IncreaseEvidence, limitPercent: number | null): GateResult {
  const pct = (x: number) =>
    Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}%` : x > 0 ? '+∞' : '−∞';
  const estimate = 100 * e.estimate;
  const ci = { low: 100 * e.ci.low, high: 100 * e.ci.high };
  const measured = `A ${e.a}, B ${e.b}: ${pct(e.estimate)} (${Math.round(100 * e.level)}% CI ${pct(e.ci.low)} to ${pct(e.ci.high)})`;
  const base = { gate: e.gate, unit: '%' as const, estimate, ci };
  if (limitPercent === null) return { ...base, rule: 'none', verdict: 'not gated', reason: measured };
  const limit = `${limitPercent >= 0 ? '+' : '−'}${Math.abs(limitPercent)}%`;
  const rule = `upper bound ≤ ${limit}`;
  if (ci.high <= limitPercent)
    return {
      ...base,
      rule,
      verdict: 'pass',
      reason: `${measured}; an increase beyond ${limit} is ruled out`,
    };
  const why =
    ci.low > limitPercent
      ? `the whole interval lies above ${limit}`
      : `an increase beyond ${limit} is not ruled out (upper bound ${pct(e.ci.high)})`;
  return { ...base, rule, verdict: 'fail', reason: `${measured}; ${why}` };
}

/**
 * A rise that cannot be measured: no item has a figure on both sides (latency when every item of a run
 * reused cached calls, e.g. an identical rerun answered by the shared response cache). Asked for, the
 * gate fails: an unmeasured rise is not ruled out.
 */
export function unmeasuredIncreaseGate(gate: string, why: string, limitPercent: number | null): GateResult {
  const base = { gate, unit: '%' as const, estimate: Number.NaN, ci: { low: Number.NaN, high: Number.NaN } };
  if (limitPercent === null) return { ...base, rule: 'none', verdict: 'not gated', reason: why };
  const limit = `${limitPercent >= 0 ? '+' : '−'}${Math.abs(limitPercent)}%`;
  return {
    ...base,
    rule: `upper bound ≤ ${limit}`,
    verdict: 'fail',
    reason: `${why}; an increase beyond ${limit} is not ruled out`,
  };
}
