/**
 * Anytime-valid confidence sequences (CSs) for the mean of bounded observations, for stopping a run
 * as soon as a paired comparison is decided (per item d = correct_B − correct_A ∈ [−1, 1]).
 *
 * Method: the hedged capital process with predictable plug-in bets of I. Waudby-Smith and A. Ramdas,
 * "Estimating means of bounded random variables by betting", J. R. Stat. Soc. B 86(1), 2024 (online
 * 2023), arXiv:2010.09686 — §4, the "hedged capital process" CS with the predictable plug-in bets of
 * their §3 (PrPl-EB) truncated at c/m and c/(1 − m), and the running intersection they recommend. The
 * same construction is `hedged_cs` in the authors' `confseq` Python package (read for the formulas;
 * this code is written from them).
 *
 * Observations are rescaled to y ∈ [0, 1]. For every candidate mean m ∈ [0, 1] two gamblers bet
 * against "the mean is m", one that it is higher, one that it is lower:
 *
 *   K⁺_t(m) = ∏_{i≤t} (1 + λ⁺_i(m)·(y_i − m)),   K⁻_t(m) = ∏_{i≤t} (1 − λ⁻_i(m)·(y_i − m)),
 *   K±_t(m) = max(θ·K⁺_t(m), (1 − θ)·K⁻_t(m)),   θ = 1/2,
 *
 * with bets chosen before y_t is seen (predictable), truncated so that wealth stays positive:
 *
 *   λ⁺_t(m) = min(λ̇_t, c/m),   λ⁻_t(m) = min(λ̇_t, c/(1 − m)),   c = 1/2,
 *   λ̇_t = √( 2·log(2/α) / (σ̂²_{t−1} · t · log(1 + t)) ),
 *   μ̂_t = (1/2 + Σ_{i≤t} y_i) / (t + 1),   σ̂²_t = (1/4 + Σ_{i≤t} (y_i − μ̂_i)²) / (t + 1),   σ̂²_0 = 1/4.
 *
 * (The bet λ̇_t only affects width, never validity: any predictable bet in the caps gives a martingale.)
 * At the true mean μ both K⁺_t(μ) and K⁻_t(μ) are nonnegative martingales with initial value 1, so
 * K±_t(μ) is bounded by their convex combination and Ville's inequality gives
 * P(∃t: K±_t(μ) ≥ 1/α) ≤ α. Hence C_t = { m : K±_t(m) < 1/α } covers μ at all times simultaneously
 * with probability ≥ 1 − α: the interval may be looked at after every item and the run stopped at any
 * data-dependent time (optional stopping) without losing coverage. The running intersection
 * ∩_{s≤t} C_s is then a CS as well, and is what this module reports (it never widens).
 *
 * Each factor of K⁺ is nonincreasing in m and each factor of K⁻ nondecreasing (also across the
 * truncation point), so C_t is an interval: K⁺ sets the lower end, K⁻ the upper. It is found on a grid
 * of G + 1 candidate means; a grid point is dropped once rejected and its neighbour outside is
 * reported as the end, so the reported interval contains the exact one (conservative by at most
 * one grid step, (upper − lower bound)/G).
 *
 * Sampling without replacement (`populationSize` N; the paper's section on sampling WoR): the target is
 * the mean μ of a finite population (a whole suite) seen in a uniformly random order, and every
 * occurrence of m above becomes the conditional mean of the next draw given the past,
 * m_t = (N·m − Σ_{i<t} y_i) / (N − t + 1); a candidate m with m_t outside [0, 1] is rejected outright,
 * and the interval is intersected with the certain range [S_t/N, (S_t + N − t)/N].
 *
 * Assumptions: with replacement, the observations have a common conditional mean μ given the past
 * (e.g. items drawn independently at random); without replacement, the order is uniformly random (a
 * seeded shuffle). The stopping time need not be fixed in advance and may depend on the data.
 */

export interface CsInterval {
  /** Lower end, in the units of the observations. */
  lower: number;
  /** Upper end, in the units of the observations. */
  upper: number;
  /** Observations so far. */
  n: number;
}

export interface ConfidenceSequence {
  /** Adds one observation; it must lie within [lowerBound, upperBound]. */
  observe(x: number): void;
  /** The current interval: valid simultaneously over all n with probability ≥ 1 − alpha. */
  interval(): CsInterval;
}

export interface BettingCsOptions {
  /** Miscoverage: the CS misses the mean at any time with probability at most alpha. */
  alpha: number;
  /** Known bounds of every observation (for paired differences of 0/1 scores: −1 and 1). */
  lowerBound: number;
  upperBound: number;
  /** Grid points over [lowerBound, upperBound] minus one (default 2000: a resolution of 0.001 on [−1, 1]). */
  grid?: number;
  /**
   * Size N of a finite population sampled without replacement (e.g. a suite's items in a random
   * order). The target is then the population mean itself — the mean a full run would measure — and
   * the CS uses the without-replacement capital process (see below); at n = N it is that mean exactly.
   * Omit for independent draws (with replacement).
   */
  populationSize?: number;
}

const THETA = 1 / 2;
const TRUNCATION = 1 / 2;
/** Below this a wealth is treated as 0 (also keeps the products out of slow subnormal arithmetic). */
const FLOOR = 1e-250;

export function bettingConfidenceSequence(opts: BettingCsOptions): ConfidenceSequence {
  const { alpha, lowerBound, upperBound } = opts;
  const grid = opts.grid ?? 2000;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(upperBound > lowerBound) || !Number.isFinite(upperBound - lowerBound)) {
    throw new RangeError(`need finite lowerBound < upperBound, got ${lowerBound} and ${upperBound}`);
  }
  if (!Number.isInteger(grid) || grid < 2) throw new RangeError(`grid must be an integer ≥ 2, got ${grid}`);

  const population = opts.populationSize;
  if (population !== undefined && !(Number.isInteger(population) && population >= 1)) {
    throw new RangeError(`populationSize must be a positive integer, got ${population}`);
  }

  const range = upperBound - lowerBound;
  // Reject m once θ·K(m) ≥ 1/α. Wealth is kept as a product, not a sum of logs (no log per grid point
  // and item): it never overflows, as a point is no longer updated once past the threshold, and a
  // wealth below FLOOR is set to 0 (never rejects again), which can only make the CS wider.
  const threshold = 1 / (THETA * alpha);
  const logTwoOverAlpha = Math.log(2 / alpha);
  const wealthUp = new Float64Array(grid + 1).fill(1); // K⁺_t(m_j), m_j = j / grid
  const wealthDown = new Float64Array(grid + 1).fill(1); // K⁻_t(m_j)
  // Grid points still in the running intersection: lo..hi (inclusive).
  let lo = 0;
  let hi = grid;
  let t = 0;
  let sumY = 0;
  let sumSquaredDeviations = 0;
  let varianceEstimate = 1 / 4; // σ̂²_{t−1}

  return {
    observe(x: number): void {
      if (!Number.isFinite(x) || x < lowerBound || x > upperBound) {
        throw new RangeError(`observation ${x} outside [${lowerBound}, ${upperBound}]`);
      }
      if (population !== undefined && t >= population) {
        throw new RangeError(`all ${population} members of the population were already observed`);
      }
      const y = Math.min(1, Math.max(0, (x - lowerBound) / range));
      t += 1;
      const bet = Math.sqrt((2 * logTwoOverAlpha) / (varianceEstimate * t * Math.log1p(t)));
      // Without replacement the t-th draw has conditional mean (N·m − S_{t−1}) / (N − t + 1) if the
      // population mean is m: an affine, increasing map of m, so the monotonicity below still holds.
      const scale = population === undefined ? 1 : population / (population - t + 1);
      const shift = population === undefined ? 0 : sumY / (population - t + 1);
      for (let j = lo; j <= hi; j++) {
        const mean = scale * (j / grid) - shift;
        if (mean < 0) {
          wealthUp[j] = Number.POSITIVE_INFINITY; // the rest would need a negative mean: m too low
          continue;
        }
        if (mean > 1) {
          wealthDown[j] = Number.POSITIVE_INFINITY; // m too high
          continue;
        }
        const gap = y - mean;
        // The caps c/mean and c/(1 − mean) keep both factors ≥ 1 − c = 1/2 (wealth stays positive).
        const up = mean * bet > TRUNCATION ? TRUNCATION / mean : bet;
        const down = (1 - mean) * bet > TRUNCATION ? TRUNCATION / (1 - mean) : bet;
        let k = (wealthUp[j] as number) * (1 + up * gap);
        wealthUp[j] = k < FLOOR ? 0 : k;
        k = (wealthDown[j] as number) * (1 - down * gap);
        wealthDown[j] = k < FLOOR ? 0 : k;
      }
      // K⁺ decreases in m: the gambler betting "higher" rejects a prefix; K⁻ a suffix.
      let newLo = lo;
      while (newLo <= hi && (wealthUp[newLo] as number) >= threshold) newLo++;
      let newHi = hi;
      while (newHi >= newLo && (wealthDown[newHi] as number) >= threshold) newHi--;
      if (newLo > newHi) {
        // Every remaining candidate is rejected, an event of probability ≤ alpha under the
        // assumptions (the mean already escaped an earlier interval, or it is not constant). Keep the
        // single candidate where the two gamblers met rather than an empty set.
        const meet = Math.min(Math.max(newLo, lo), hi);
        newLo = meet;
        newHi = meet;
      }
      lo = newLo;
      hi = newHi;
      // Plug-in estimates for the next bet (μ̂_t uses y_t itself, as in the paper).
      sumY += y;
      const meanEstimate = (1 / 2 + sumY) / (t + 1);
      sumSquaredDeviations += (y - meanEstimate) ** 2;
      varianceEstimate = (1 / 4 + sumSquaredDeviations) / (t + 1);
    },

    interval(): CsInterval {
      if (t === 0) return { lower: lowerBound, upper: upperBound, n: 0 };
      let lowerUnit = Math.max(0, (lo - 1) / grid);
      let upperUnit = Math.min(1, (hi + 1) / grid);
      if (population !== undefined) {
        // What is known for certain: the unseen N − t members lie in [0, 1]. Clamping (rather than
        // intersecting) keeps the interval non-empty should the CS have missed; at t = N it is the mean.
        const least = sumY / population;
        const most = (sumY + population - t) / population;
        lowerUnit = Math.min(Math.max(lowerUnit, least), most);
        upperUnit = Math.min(Math.max(upperUnit, least), most);
      }
      return {
        lower: lowerBound + range * lowerUnit,
        upper: Math.min(upperBound, lowerBound + range * upperUnit),
        n: t,
      };
    },
  };
}

/**
 * The three questions a comparison of B against A can ask about the mean difference B − A, and the
 * answers a confidence interval (or sequence) gives:
 * - `non-inferiority`: is B no worse than A by more than `margin`? `yes` once lower > −margin,
 *   `no` once upper < −margin.
 * - `superiority`: is B better than A by more than `margin` (default 0)? `yes` once lower > margin,
 *   `no` once upper < margin. (With margin 0 a `no` means B is significantly worse.)
 * - `equivalence`: is |B − A| < margin? `yes` once −margin < lower and upper < margin, `no` once the
 *   interval lies entirely beyond ±margin.
 * Anything else is `undecided`. The margin is in the units of the observations (two accuracy points on
 * 0/1 scores is 0.02). With an anytime-valid CS, "stop at the first decided interval" keeps the error
 * rate of the verdict at most alpha.
 */
export type DecisionMode = 'non-inferiority' | 'superiority' | 'equivalence';
export type Verdict = 'yes' | 'no' | 'undecided';

export function decide(
  interval: { lower: number; upper: number },
  margin: number,
  mode: DecisionMode,
): Verdict {
  if (!(margin >= 0)) throw new RangeError(`margin must be ≥ 0, got ${margin}`);
  const { lower, upper } = interval;
  switch (mode) {
    case 'non-inferiority':
      if (lower > -margin) return 'yes';
      if (upper < -margin) return 'no';
      return 'undecided';
    case 'superiority':
      if (lower > margin) return 'yes';
      if (upper < margin) return 'no';
      return 'undecided';
    case 'equivalence':
      if (margin === 0) return 'undecided';
      if (lower > -margin && upper < margin) return 'yes';
      if (lower > margin || upper < -margin) return 'no';
      return 'undecided';
  }
}

/** True once the interval answers the question either way. */
export function decided(
  interval: { lower: number; upper: number },
  margin: number,
  mode: DecisionMode,
): boolean {
  return decide(interval, margin, mode) !== 'undecided';
}
