import { mcnemarMinimumDetectableEffect, mcnemarSampleSize } from '../util/stats/power.js';
import type { AccuracyRow, PairedComparison, SmallSampleCheck } from './types.js';

/** The accuracy difference a run should be able to detect: 5 points. */
export const SMALL_SAMPLE_EFFECT = 0.05;
const ALPHA = 0.05;
const POWER = 0.8;
const SOURCE =
  'Connor (1987), "Sample size for testing differences in proportions for the paired-sample design", Biometrics 43(1):207–211';

const points = (x: number) => `${Number((100 * x).toFixed(1))} points`;

/**
 * Are there enough items per orchestrator to detect a 5-point accuracy difference between two of them
 * (two-sided McNemar test, α = 0.05, 80 % power)? The sample size follows Connor (1987):
 * n = (z_{1−α/2}·√ψ + z_{1−β}·√(ψ − δ²))² / δ², with ψ the share of items on which two orchestrators
 * disagree, pooled over this run's paired comparisons (over `suite`); without any, ψ = 2p̄(1 − p̄)
 * from the pooled accuracy p̄ (two systems erring independently). ψ is kept at least δ (no pair can
 * differ by δ on fewer discordant items). n per orchestrator = its scored samples on `suite`.
 */
export function smallSampleCheck(
  rows: readonly AccuracyRow[],
  paired: readonly PairedComparison[],
  suite: string,
): SmallSampleCheck {
  const overall = rows.filter((r) => r.suite === suite && r.scored > 0);
  const base = {
    effect: SMALL_SAMPLE_EFFECT,
    alpha: ALPHA,
    power: POWER,
    test: 'McNemar, two-sided' as const,
    source: SOURCE,
  };
  if (overall.length === 0)
    return {
      ...base,
      discordant: null,
      discordantFrom: null,
      requiredItems: null,
      fewestItems: null,
      below: [],
      minimumDetectableEffect: null,
      small: false,
      message: null,
    };
  const pairs = paired.filter((p) => p.suite === suite && p.shared > 0);
  const shared = pairs.reduce((n, p) => n + p.shared, 0);
  let psi: number;
  let from: 'paired' | 'accuracy';
  if (shared > 0) {
    psi = pairs.reduce((n, p) => n + p.onlyA + p.onlyB, 0) / shared;
    from = 'paired';
  } else {
    const scored = overall.reduce((n, r) => n + r.scored, 0);
    const p = overall.reduce((n, r) => n + r.correct, 0) / scored;
    psi = 2 * p * (1 - p);
    from = 'accuracy';
  }
  const discordant = Math.min(1, Math.max(SMALL_SAMPLE_EFFECT, psi));
  const opts = { alpha: ALPHA, power: POWER, sides: 2 as const };
  const required = mcnemarSampleSize(SMALL_SAMPLE_EFFECT, discordant, opts);
  const fewest = Math.min(...overall.map((r) => r.scored));
  const below = overall.filter((r) => r.scored < required).map((r) => r.orchestrator);
  const mde = mcnemarMinimumDetectableEffect(fewest, discordant, opts);
  const small = below.length > 0;
  const who =
    below.length === overall.length
      ? `${fewest === Math.max(...overall.map((r) => r.scored)) ? `n = ${fewest}` : `n = ${fewest} to ${Math.max(...overall.map((r) => r.scored))}`} scored items per orchestrator`
      : `${below.length} of ${overall.length} orchestrators have fewer scored items than that (${below.join(', ')}; fewest: ${fewest})`;
  const basis =
    from === 'paired'
      ? `${(100 * psi).toFixed(0)}% of items on which two orchestrators disagreed in this run`
      : `a disagreement rate of ${(100 * psi).toFixed(0)}% (2p(1 − p) at the pooled accuracy; no paired comparison to measure it)`;
  const detectable = mde >= discordant ? `more than ${points(discordant)}` : `about ${points(mde)}`;
  const message = small
    ? `Small sample: detecting a ${Number((100 * SMALL_SAMPLE_EFFECT).toFixed(1))}-point accuracy difference between two orchestrators with 80% power at α = 0.05 (two-sided McNemar test) needs n ≥ ${required} items each, given the ${basis}; this run has ${who}. With ${fewest} items the smallest detectable difference is ${detectable}: a difference that is "not significant" here may still be real. Sample size from ${SOURCE}: n = (z₁₋α/₂·√ψ + z₁₋β·√(ψ − δ²))² / δ², δ = 0.05, ψ = ${discordant.toFixed(3)}.`
    : null;
  return {
    ...base,
    discordant,
    discordantFrom: from,
    requiredItems: required,
    fewestItems: fewest,
    below,
    minimumDetectableEffect: mde,
    small,
    message,
  };
}
