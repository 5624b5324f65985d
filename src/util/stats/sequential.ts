import { createHash } from 'node:crypto';
import {
  bettingConfidenceSequence,
  type ConfidenceSequence,
  type DecisionMode,
  decide,
  type Verdict,
} from './confidence-sequence.js';

/**
 * Sequential decisions for `baton run --until-decided` and the report's "sequential decision"
 * section: items (tasks) are taken in a seeded random order, and after each item an anytime-valid
 * confidence sequence (confidence-sequence.ts: Waudby-Smith & Ramdas, JRSS-B 2024, arXiv:2010.09686)
 * on the mean paired difference B − A of every named comparison is updated; the run may stop as soon
 * as every comparison's interval answers its question against the margin (confidence-sequence.ts
 * `decide`). The runner (stopping) and the report (stating the result) share this code, so they see
 * the same sequence of intervals.
 */

/** One comparison named in a config's `decide:`: is B non-inferior / superior / equivalent to A? */
export interface DecisionSpec {
  a: string;
  b: string;
  /** In accuracy points (2 = 0.02 on the 0–1 scale). */
  margin: number;
  mode: DecisionMode;
}

/** Overall miscoverage: all comparisons' intervals hold at every item simultaneously with ≥ 95 %. */
export const SEQUENTIAL_ALPHA = 0.05;

/**
 * The key of a task in the seeded random order (sort ascending): a keyed hash of the run's seed and
 * the task, so the order is a pseudo-random permutation fixed by the seed, and the relative order of
 * any two tasks does not depend on which other tasks exist (the report can place the tasks a stopped
 * run reached without the rest of the suite).
 */
export function itemOrderKey(seed: number, suite: string, taskId: string): string {
  return createHash('sha256').update(`until-decided\u0000${seed}\u0000${suite}\u0000${taskId}`).digest('hex');
}

/** Sorts items into the seeded order. */
export function inSeededOrder<T extends { suite: string; id: string }>(
  seed: number,
  items: readonly T[],
): T[] {
  return items
    .map((item) => ({ item, key: itemOrderKey(seed, item.suite, item.id) }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    .map((x) => x.item);
}

/** How the interval answers a comparison, in words. */
export type DecisionLabel =
  | 'B non-inferior'
  | 'B worse'
  | 'B better'
  | 'B not better'
  | 'equivalent'
  | 'B different'
  | 'not distinguishable';

export function decisionLabel(mode: DecisionMode, margin: number, answer: Verdict): DecisionLabel {
  if (answer === 'undecided') return 'not distinguishable';
  switch (mode) {
    case 'non-inferiority':
      return answer === 'yes' ? 'B non-inferior' : 'B worse';
    case 'superiority':
      // With margin 0, "not better" means the interval lies below 0: B is worse.
      return answer === 'yes' ? 'B better' : margin === 0 ? 'B worse' : 'B not better';
    case 'equivalence':
      return answer === 'yes' ? 'equivalent' : 'B different';
  }
}

/** One comparison's state after the items observed so far (differences in accuracy points). */
export interface ComparisonState extends DecisionSpec {
  /** Items that entered this comparison's sequence (both sides scored on at least one repeat). */
  n: number;
  /** Mean of the per-item differences B − A, points; null before the first item. */
  meanDifference: number | null;
  /** The confidence sequence's current (running-intersection) interval, points. */
  lower: number;
  upper: number;
  answer: Verdict;
  verdict: DecisionLabel;
  /** Items taken in the seeded order (all comparisons) when this one was first decided; null if not yet. */
  decidedAtItem: number | null;
}

/** Outcome of one orchestrator's sample of the item's task at a repeat: 1 right, 0 wrong, undefined not scored. */
export type ItemOutcome = (orchestrator: string, repeat: number) => number | undefined;

/**
 * The confidence sequences of a set of comparisons, fed item by item in the seeded order. An item's
 * difference for a comparison is the mean over repeats of correct_B − correct_A, over the repeats both
 * scored (a failed sample is left out, as in the report's paired comparisons); an item neither
 * repeat of which both scored does not enter that comparison. Each comparison's CS runs at
 * alpha / (number of comparisons) (Bonferroni), so all hold together with probability ≥ 1 − alpha.
 */
export class SequentialDecisions {
  private readonly sequences: ConfidenceSequence[];
  private readonly sums: number[];
  private readonly firstDecided: (number | null)[];
  private taken = 0;
  /** Items taken when every comparison was first decided. */
  decidedAtItem: number | null = null;

  constructor(
    readonly specs: readonly DecisionSpec[],
    readonly repeats: number,
    readonly alpha = SEQUENTIAL_ALPHA,
  ) {
    const each = alpha / Math.max(1, specs.length);
    this.sequences = specs.map(() =>
      bettingConfidenceSequence({ alpha: each, lowerBound: -1, upperBound: 1 }),
    );
    this.sums = specs.map(() => 0);
    this.firstDecided = specs.map(() => null);
  }

  /** Items taken so far (in the seeded order). */
  get items(): number {
    return this.taken;
  }

  /** Takes the next item in the seeded order. */
  observe(outcome: ItemOutcome): void {
    this.taken++;
    for (const [i, spec] of this.specs.entries()) {
      let total = 0;
      let pairs = 0;
      for (let r = 0; r < this.repeats; r++) {
        const a = outcome(spec.a, r);
        const b = outcome(spec.b, r);
        if (a === undefined || b === undefined) continue;
        total += b - a;
        pairs++;
      }
      if (pairs === 0) continue;
      const d = total / pairs;
      (this.sequences[i] as ConfidenceSequence).observe(d);
      this.sums[i] = (this.sums[i] as number) + d;
      if (this.firstDecided[i] === null && this.answer(i) !== 'undecided') this.firstDecided[i] = this.taken;
    }
    if (this.decidedAtItem === null && this.allDecided()) this.decidedAtItem = this.taken;
  }

  allDecided(): boolean {
    return this.specs.length > 0 && this.specs.every((_, i) => this.answer(i) !== 'undecided');
  }

  states(): ComparisonState[] {
    return this.specs.map((spec, i) => {
      const interval = (this.sequences[i] as ConfidenceSequence).interval();
      const answer = this.answer(i);
      return {
        ...spec,
        n: interval.n,
        meanDifference: interval.n > 0 ? (100 * (this.sums[i] as number)) / interval.n : null,
        lower: 100 * interval.lower,
        upper: 100 * interval.upper,
        answer,
        verdict: decisionLabel(spec.mode, spec.margin, answer),
        decidedAtItem: this.firstDecided[i] as number | null,
      };
    });
  }

  private answer(i: number): Verdict {
    const spec = this.specs[i] as DecisionSpec;
    const { lower, upper } = (this.sequences[i] as ConfidenceSequence).interval();
    // The ends lie on the CS grid (steps of 0.1 pp); rounded first so that an end equal to the margin,
    // up to floating-point noise, counts as touching it (undecided), as the printed interval shows.
    return decide({ lower: tidy(lower), upper: tidy(upper) }, tidy(spec.margin / 100), spec.mode);
  }
}

/** x rounded to 1e-9: away from floating-point noise, far below the grid's resolution. */
function tidy(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** The stopping rule in words (report, docs). */
export function stoppingRuleText(specs: readonly DecisionSpec[], alpha = SEQUENTIAL_ALPHA): string {
  const level = `${Math.round(100 * (1 - alpha))} %`;
  const each =
    specs.length > 1
      ? ` (each at ${formatAlpha(alpha / specs.length)}, Bonferroni, so all ${specs.length} hold together)`
      : '';
  return (
    `Tasks are taken in a seeded random order (all repeats of a task together). After each task, an anytime-valid ${level} ` +
    `confidence sequence${each} on the mean paired difference B − A (per task: correct_B − correct_A, averaged over repeats both scored) ` +
    'is updated — the hedged betting confidence sequence of Waudby-Smith & Ramdas, "Estimating means of bounded random variables by betting", JRSS-B 86(1), 2024 (arXiv:2010.09686). ' +
    'With --until-decided, no new task starts once every comparison is decided: non-inferiority when the interval lies above −margin (B non-inferior) or below it (B worse); ' +
    'superiority when it lies above +margin (B better) or below it (B not better; B worse for margin 0); equivalence when it lies inside ±margin or beyond it; ' +
    'else the run goes on until the suite or the budget runs out ("not distinguishable" at that n). ' +
    'The intervals hold simultaneously at every number of tasks, so they remain valid under optional stopping: looking after every task and stopping on the data does not raise the error rate.'
  );
}

function formatAlpha(alpha: number): string {
  return `α = ${Number(alpha.toPrecision(3))}`;
}
