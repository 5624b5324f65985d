/**
 * Sample size and minimum detectable effect for a paired comparison of two systems scored 0/1 on the
 * same items (normal approximation; fixed-n tests, not the sequential CS).
 *
 * With p10 = P(B right, A wrong), p01 = P(A right, B wrong), the effect is δ = p10 − p01 (accuracy
 * B − A) and ψ = p10 + p01 the discordant proportion. McNemar's test needs, per Connor (1987),
 * "Sample size for testing differences in proportions for the paired-sample design",
 * Biometrics 43(1):207–211:
 *
 *   n = ( z_{1−α/s}·√ψ + z_{1−β}·√(ψ − δ²) )² / δ²,      s = 2 (two-sided) or 1 (one-sided),
 *
 * where ψ is the variance of d = correct_B − correct_A under H0 (δ = 0) and ψ − δ² under the
 * alternative. For any bounded per-item difference with standard deviation σ_d the textbook
 * paired-z form n = (z_{1−α/s} + z_{1−β})²·σ_d²/δ² is used instead (`pairedSampleSize`).
 */

/**
 * Standard normal quantile Φ⁻¹(p): P. J. Acklam's rational approximation (2003; relative error
 * below 1.15e−9 over (0, 1)), ample for sample sizes.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    throw new RangeError(`probability must be in [0, 1], got ${p}`);
  }
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
      (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  return x;
}

export interface PowerOptions {
  /** Significance level (default 0.05). */
  alpha?: number;
  /** Power 1 − β (default 0.8). */
  power?: number;
  /** 2 for a two-sided test (superiority, default), 1 for one-sided (non-inferiority margin). */
  sides?: 1 | 2;
}

function zs(opts: PowerOptions): { zAlpha: number; zBeta: number } {
  const alpha = opts.alpha ?? 0.05;
  const power = opts.power ?? 0.8;
  const sides = opts.sides ?? 2;
  return { zAlpha: normalQuantile(1 - alpha / sides), zBeta: normalQuantile(power) };
}

/**
 * Items needed to detect an accuracy difference `delta` with McNemar's test when a fraction
 * `discordant` (ψ = p10 + p01) of items is solved by exactly one of the two (Connor 1987).
 * Infinity for δ = 0 or ψ = 0; |δ| ≤ ψ ≤ 1 always holds for real pairs (p10 − p01 ≤ p10 + p01).
 */
export function mcnemarSampleSize(delta: number, discordant: number, opts: PowerOptions = {}): number {
  const effect = Math.abs(delta);
  if (effect === 0 || discordant <= 0) return Number.POSITIVE_INFINITY;
  if (effect > discordant || discordant > 1) {
    throw new RangeError(`need |delta| ≤ discordant ≤ 1, got delta ${delta}, discordant ${discordant}`);
  }
  const { zAlpha, zBeta } = zs(opts);
  const root = zAlpha * Math.sqrt(discordant) + zBeta * Math.sqrt(discordant - effect * effect);
  return Math.ceil((root * root) / (effect * effect));
}

/**
 * The smallest accuracy difference McNemar's test detects with the given power on `n` items when a
 * fraction `discordant` of them is discordant: Connor's formula solved for δ (by bisection: n(δ) is
 * decreasing in δ on (0, ψ]). Returns the discordant fraction itself when even δ = ψ is not
 * detectable at this n.
 */
export function mcnemarMinimumDetectableEffect(
  n: number,
  discordant: number,
  opts: PowerOptions = {},
): number {
  if (!(n > 0) || !(discordant > 0)) return Number.POSITIVE_INFINITY;
  const { zAlpha, zBeta } = zs(opts);
  const needed = (delta: number) => {
    const root = zAlpha * Math.sqrt(discordant) + zBeta * Math.sqrt(Math.max(0, discordant - delta * delta));
    return (root * root) / (delta * delta);
  };
  let lo = 0;
  let hi = discordant;
  if (needed(hi) > n) return discordant;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (needed(mid) > n) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Paired-z sample size for a mean difference `delta` of per-item differences with SD `sd`. */
export function pairedSampleSize(delta: number, sd: number, opts: PowerOptions = {}): number {
  if (delta === 0) return Number.POSITIVE_INFINITY;
  if (sd === 0) return 1;
  const { zAlpha, zBeta } = zs(opts);
  return Math.ceil(((zAlpha + zBeta) * sd) ** 2 / (delta * delta));
}

/** Paired-z minimum detectable effect on `n` items: (z_{1−α/s} + z_{1−β})·sd/√n. */
export function pairedMinimumDetectableEffect(n: number, sd: number, opts: PowerOptions = {}): number {
  if (!(n > 0)) return Number.POSITIVE_INFINITY;
  const { zAlpha, zBeta } = zs(opts);
  return ((zAlpha + zBeta) * sd) / Math.sqrt(n);
}
