import { seedFrom } from '../util/random.js';
import { holmAdjust } from '../util/stats/holm.js';
import {
  type IndexBootstrap,
  indexBootstrap,
  medianAt,
  twoSidedNormalP,
} from '../util/stats/index-bootstrap.js';
import { mcnemarExactP } from '../util/stats/mcnemar.js';
import { mcnemarMinimumDetectableEffect } from '../util/stats/power.js';
import { Z95 } from '../util/stats/proportion.js';
import { mirror } from './paired.js';
import type { ItemFacts, SamplePass } from './sample-pass.js';
import type {
  AccuracyRow,
  DecisionMetric,
  DecisionRow,
  DecisionSection,
  DecisionVerdict,
  PairedComparison,
} from './types.js';

export const DECISION_ALPHA = 0.05;
export const DECISION_POWER = 0.8;
const HOLM =
  'Holm (1979), "A simple sequentially rejective multiple test procedure", Scand. J. Statist. 6(2):65–70';

export interface BaselineChoice {
  baseline: string | null;
  rule: DecisionSection['baselineRule'];
  note: string;
}

/**
 * The orchestrator every other one is compared with. `report.baseline` in the run config when it has
 * samples in this run; else the default: of the `single`-family orchestrators (one pool member
 * answering alone), the one with the lowest mean cost per recorded sample (`costPerTaskUsd` over the
 * summary's suite, failed samples included; ties by id); with no `single` orchestrator, the cheapest
 * orchestrator by the same measure. `excluded` (an ablation's arms) are never a default.
 */
export function chooseBaseline(
  overall: readonly AccuracyRow[],
  configured: string | null,
  excluded: ReadonlySet<string> = new Set(),
): BaselineChoice {
  const withSamples = overall.filter((r) => r.samples > 0);
  if (configured !== null && withSamples.some((r) => r.orchestrator === configured))
    return {
      baseline: configured,
      rule: 'configured',
      note: `${configured} (report.baseline in the run config)`,
    };
  const missing = configured === null ? '' : `report.baseline '${configured}' has no samples in this run; `;
  const candidates = withSamples.filter((r) => !excluded.has(r.orchestrator));
  const cheapest = (rows: readonly AccuracyRow[]) =>
    [...rows].sort(
      (a, b) => a.costPerTaskUsd - b.costPerTaskUsd || a.orchestrator.localeCompare(b.orchestrator),
    )[0];
  const single = cheapest(candidates.filter((r) => r.family === 'single'));
  if (single)
    return {
      baseline: single.orchestrator,
      rule: 'cheapest single',
      note: `${missing}${single.orchestrator}, the single model with the lowest mean cost per sample (default; set report.baseline in the run config to choose)`,
    };
  const any = cheapest(candidates.length > 0 ? candidates : withSamples);
  return any
    ? {
        baseline: any.orchestrator,
        rule: 'cheapest',
        note: `${missing}${any.orchestrator}, the orchestrator with the lowest mean cost per sample (default: this run has no single-model orchestrator; set report.baseline in the run config to choose)`,
      }
    : { baseline: null, rule: 'cheapest', note: `${missing}no orchestrator has samples in this run` };
}

/**
 * The order of orchestrators in the decision summary and the pairwise matrix: the baseline first,
 * then by scored accuracy on the summary's suite, highest first (ties and orchestrators without a
 * scored sample by id, the latter last). Orchestrators of `all` without a row come last by id.
 */
export function comparisonOrder(
  all: readonly string[],
  overall: readonly AccuracyRow[],
  baseline: string | null,
): string[] {
  const accuracy = new Map(overall.map((r) => [r.orchestrator, r.accuracy]));
  const rank = (id: string) => accuracy.get(id) ?? Number.NEGATIVE_INFINITY;
  return [...all].sort(
    (a, b) => Number(b === baseline) - Number(a === baseline) || rank(b) - rank(a) || a.localeCompare(b),
  );
}

/**
 * "better" when the Holm-adjusted p is at most α and the effect points the good way (`goodSign` × the
 * estimate > 0: +1 for accuracy, −1 for cost and latency), "worse" when it points the other way,
 * else "not distinguishable" — at this number of items, not "equal".
 */
export function verdictOf(
  holmP: number | null,
  estimate: number | null,
  goodSign: 1 | -1,
  alpha = DECISION_ALPHA,
): DecisionVerdict {
  if (holmP === null || estimate === null || !(holmP <= alpha) || estimate === 0)
    return 'not distinguishable';
  return goodSign * estimate > 0 ? 'better' : 'worse';
}

/**
 * Bootstrap resamples for cost and latency: at most 10 000 and about 2·10⁶ item draws, at least 200 —
 * each resample draws every item, so a run of 25 000 items per orchestrator gets 200. Below 1 000
 * resamples the interval is the normal one on the log scale (`ratioFigures`): 25–200 resamples give
 * a standard error (Efron & Tibshirani 1993, §6.4), not the 2.5 % and 97.5 % percentiles.
 */
export function decisionResamples(items: number): number {
  return Math.min(10_000, Math.max(200, Math.floor(2e6 / Math.max(1, items))));
}

const sumAt = (values: Float64Array, indices: Int32Array) => {
  let s = 0;
  for (const i of indices) s += values[i] as number;
  return s;
};

interface Pending {
  row: Omit<DecisionRow, 'verdict' | 'summary'>;
}

/** Every orchestrator of `order` but the baseline against it, on the items both have (see types.ts). */
export function decisionSection(
  pass: SamplePass,
  suite: string,
  overall: readonly AccuracyRow[],
  choice: BaselineChoice,
  order: readonly string[],
  paired: readonly PairedComparison[],
): DecisionSection {
  const base = choice.baseline;
  const suites = suite === 'all' ? pass.suites : [suite];
  const family = new Map(overall.map((r) => [r.orchestrator, r.family]));
  const pending: Pending[] = [];
  if (base !== null) {
    for (const o of order) {
      if (o === base) continue;
      const both: { mine: ItemFacts; theirs: ItemFacts; cluster: string }[] = [];
      for (const s of suites) {
        const mine = pass.items.get(s)?.get(o);
        const theirs = pass.items.get(s)?.get(base);
        if (!mine || !theirs) continue;
        for (const [item, other] of theirs) {
          const facts = mine.get(item);
          if (facts) both.push({ mine: facts, theirs: other, cluster: other.cluster });
        }
      }
      const pair = paired.find(
        (p) => p.suite === suite && ((p.a === base && p.b === o) || (p.a === o && p.b === base)),
      );
      pending.push({ row: compareOne(o, family.get(o) ?? '', base, suite, both, pair) });
    }
  }
  // Holm over every p-value the summary shows.
  const metrics = pending.flatMap((p) => [p.row.accuracy, p.row.costPerSolved, p.row.latencyP50]);
  const adjusted = holmAdjust(metrics.map((m) => m.p ?? Number.NaN));
  for (const [i, m] of metrics.entries())
    m.holmP = Number.isNaN(adjusted[i] as number) ? null : (adjusted[i] as number);
  const rows: DecisionRow[] = pending.map(({ row }) => {
    row.accuracy.verdict = verdictOf(row.accuracy.holmP, row.accuracy.difference, 1);
    row.costPerSolved.verdict = verdictOf(row.costPerSolved.holmP, row.costPerSolved.relative, -1);
    row.latencyP50.verdict = verdictOf(row.latencyP50.holmP, row.latencyP50.relative, -1);
    const full = { ...row, verdict: row.accuracy.verdict, summary: '' };
    full.summary = summarise(full, base as string);
    return full;
  });
  const comparisons = metrics.filter((m) => m.p !== null).length;
  return {
    suite,
    baseline: base,
    baselineRule: choice.rule,
    baselineNote: choice.note,
    alpha: DECISION_ALPHA,
    power: DECISION_POWER,
    comparisons,
    correction: HOLM,
    rows,
    method: [
      `Each orchestrator is compared with the baseline on the items (task × repeat) both have, over ${suite === 'all' ? 'all suites pooled' : `suite ${suite}`}.`,
      'Accuracy Δ (points): on the items both scored; 95% interval from the seeded paired cluster bootstrap (10 000 resamples, the same as the pairwise table), p from McNemar’s exact test (with repeats or clusters, over the clusters: the exact sign test of each cluster’s mean difference, and the MDE counts clusters). The MDE is at α = 0.05 before the Holm adjustment, so the gap a verdict needs is somewhat larger.',
      '$/solved Δ (%): all money spent over correct answers on the items both recorded (a failed sample costs and solves nothing); p50 latency Δ (%): ratio of medians on the items both scored, samples that reused cached calls left out. Both from a seeded paired cluster bootstrap of the log ratio: percentile interval, mapped back to % (10 000 resamples; past 200 items fewer, down to 200, and below 1 000 the normal interval on the log scale); p from the Wald test of the log ratio with the bootstrap standard error (a count of resamples could not go below 2/(B + 1), too coarse for Holm over many comparisons).',
      `Holm’s step-down adjustment (${HOLM}) runs over all ${comparisons} p-values of the summary (three per orchestrator); a verdict is better or worse only when its Holm-adjusted p ≤ ${DECISION_ALPHA}. The intervals are not adjusted: one that excludes 0 beside "not distinguishable" means the difference did not survive the correction.`,
      `The row verdict is the accuracy verdict. "Not distinguishable" means not at this n, not "equal": the MDE column is the smallest accuracy difference McNemar’s two-sided test at α = ${DECISION_ALPHA} would detect with ${100 * DECISION_POWER}% power on these items at the observed share of discordant items (Connor 1987, Biometrics 43(1):207–211); "≥" when even a difference as large as that share is not detectable.`,
      `Baseline: ${choice.note}.`,
    ],
  };
}

function metric(items: number): DecisionMetric {
  return {
    items,
    baseline: null,
    value: null,
    difference: null,
    relative: null,
    ci95: null,
    p: null,
    holmP: null,
    verdict: 'not distinguishable',
  };
}

function compareOne(
  o: string,
  family: string,
  base: string,
  suite: string,
  both: { mine: ItemFacts; theirs: ItemFacts; cluster: string }[],
  pair: PairedComparison | undefined,
): Omit<DecisionRow, 'verdict' | 'summary'> {
  // Accuracy: the pairwise table's row (baseline, o) read the other way round — McNemar's exact p and
  // the paired cluster bootstrap over the items both scored.
  const accuracy = { ...metric(0), onlyOrchestrator: 0, onlyBaseline: 0 };
  let discordant: number | null = null;
  let mde: number | null = null;
  let mdeAtLeast = false;
  if (pair) {
    const st = pair.a === o ? pair : mirror(pair);
    // McNemar's test needs independent pairs: with repeats (or a cluster field) the independent units
    // are the clusters, so the test and the MDE count clusters (the sign test of their mean differences).
    const clustered = clusterSignCounts(both);
    Object.assign(accuracy, {
      items: st.shared,
      baseline: st.accuracyB,
      value: st.accuracyA,
      difference: st.difference,
      ci95: st.ci95,
      p: clustered ? mcnemarExactP(clustered.better, clustered.worse) : st.mcnemarP,
      onlyOrchestrator: st.onlyA,
      onlyBaseline: st.onlyB,
    });
    const units = clustered ? clustered.clusters : st.shared;
    discordant = clustered
      ? (clustered.better + clustered.worse) / clustered.clusters
      : (st.onlyA + st.onlyB) / st.shared;
    if (discordant > 0) {
      mde = mcnemarMinimumDetectableEffect(units, discordant, {
        alpha: DECISION_ALPHA,
        power: DECISION_POWER,
        sides: 2,
      });
      mdeAtLeast = mde >= discordant;
    }
  }

  // $/solved on the items both recorded.
  const n = both.length;
  const costMine = Float64Array.from(both, (x) => x.mine.costUsd);
  const costTheirs = Float64Array.from(both, (x) => x.theirs.costUsd);
  const solvedMine = Float64Array.from(both, (x) => (x.mine.correct === 1 ? 1 : 0));
  const solvedTheirs = Float64Array.from(both, (x) => (x.theirs.correct === 1 ? 1 : 0));
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const costPerSolved = metric(n);
  const cps = (cost: Float64Array, solved: Float64Array, idx: Int32Array) => {
    const k = sumAt(solved, idx);
    return k > 0 ? sumAt(cost, idx) / k : null;
  };
  const mineCps = cps(costMine, solvedMine, all);
  const theirCps = cps(costTheirs, solvedTheirs, all);
  costPerSolved.value = mineCps;
  costPerSolved.baseline = theirCps;
  if (mineCps !== null && theirCps !== null) {
    costPerSolved.difference = mineCps - theirCps;
    if (theirCps > 0) {
      const boot = indexBootstrap(
        clustersOf(both.map((x) => x.cluster)),
        (idx) => {
          let cm = 0;
          let ct = 0;
          let sm = 0;
          let st = 0;
          for (const i of idx) {
            cm += costMine[i] as number;
            ct += costTheirs[i] as number;
            sm += solvedMine[i] as number;
            st += solvedTheirs[i] as number;
          }
          return Math.log((cm * st) / (sm * ct));
        },
        { seed: seedFrom('decision-cost-per-solved', suite, base, o), resamples: decisionResamples(n) },
      );
      Object.assign(costPerSolved, ratioFigures(boot));
    }
  }

  // p50 latency on the items both scored and timed.
  const timed = both.filter(
    (x) =>
      x.mine.correct !== null &&
      x.theirs.correct !== null &&
      x.mine.latencyMs !== null &&
      x.theirs.latencyMs !== null,
  );
  const latencyP50 = metric(timed.length);
  if (timed.length > 0) {
    const latMine = Float64Array.from(timed, (x) => x.mine.latencyMs as number);
    const latTheirs = Float64Array.from(timed, (x) => x.theirs.latencyMs as number);
    const groups = clustersOf(timed.map((x) => x.cluster));
    const scratch = new Float64Array(
      Math.max(timed.length, groups.length * Math.max(...groups.map((g) => g.length))),
    );
    const every = Int32Array.from({ length: timed.length }, (_, i) => i);
    const p50Mine = medianAt(latMine, every, scratch);
    const p50Theirs = medianAt(latTheirs, every, scratch);
    latencyP50.value = p50Mine;
    latencyP50.baseline = p50Theirs;
    latencyP50.difference = p50Mine - p50Theirs;
    if (p50Theirs > 0) {
      const boot = indexBootstrap(
        groups,
        (idx) => Math.log(medianAt(latMine, idx, scratch) / medianAt(latTheirs, idx, scratch)),
        {
          seed: seedFrom('decision-latency-p50', suite, base, o),
          resamples: decisionResamples(timed.length),
        },
      );
      Object.assign(latencyP50, ratioFigures(boot));
    }
  }
  return {
    orchestrator: o,
    family,
    accuracy,
    costPerSolved,
    latencyP50,
    minimumDetectableEffect: mde,
    mdeAtLeast,
    discordant,
  };
}

/**
 * Relative difference, interval and p from a bootstrap of a log ratio: value / baseline − 1 and its
 * percentile interval (the log's, mapped back: percentiles follow a monotone map); p from the Wald
 * test of log ratio = 0 with the bootstrap standard error (Efron & Tibshirani 1993, An Introduction
 * to the Bootstrap, ch. 6 and §12.3; a log ratio is close to normal where the ratio is skewed). A
 * Wald p has no floor, where a p counted from B resamples cannot go below 2/(B + 1) — too coarse to
 * survive a Holm correction over many comparisons. With fewer than 1 000 resamples (large runs) the
 * interval is the normal one on the log scale, exp(log r̂ ± 1.96·SE) − 1. With a resample that cannot
 * be bounded (nothing solved: ±∞) or no spread, the percentile interval and its inversion for p.
 */
function ratioFigures(boot: IndexBootstrap): Pick<DecisionMetric, 'relative' | 'ci95' | 'p'> {
  const wald = boot.nonFinite === 0 && boot.sd > 0;
  const normal = wald && boot.resamples < 1_000;
  const low = normal ? boot.estimate - Z95 * boot.sd : boot.ci.low;
  const high = normal ? boot.estimate + Z95 * boot.sd : boot.ci.high;
  return {
    relative: Math.expm1(boot.estimate),
    ci95: { low: Math.expm1(low), high: Math.expm1(high) },
    p: wald ? twoSidedNormalP(boot.estimate / boot.sd) : boot.p,
  };
}

/**
 * Over the clusters where both scored an item, how many favour the orchestrator (mean correctness over
 * their shared items higher than the baseline's) and how many the baseline; undefined when every
 * cluster holds one shared item (then McNemar over items is already over independent units).
 */
function clusterSignCounts(
  both: readonly { mine: ItemFacts; theirs: ItemFacts; cluster: string }[],
): { better: number; worse: number; clusters: number } | undefined {
  const sums = new Map<string, { difference: number; items: number }>();
  for (const { mine, theirs, cluster } of both) {
    if (mine.correct === null || theirs.correct === null) continue;
    const sum = sums.get(cluster) ?? { difference: 0, items: 0 };
    sum.difference += mine.correct - theirs.correct;
    sum.items += 1;
    sums.set(cluster, sum);
  }
  if ([...sums.values()].every((s) => s.items === 1)) return undefined;
  let better = 0;
  let worse = 0;
  for (const { difference } of sums.values()) {
    if (difference > 0) better++;
    else if (difference < 0) worse++;
  }
  return { better, worse, clusters: sums.size };
}

/** Item indices grouped by cluster, clusters in order of first appearance. */
function clustersOf(clusterOf: readonly string[]): number[][] {
  const groups = new Map<string, number[]>();
  for (const [i, c] of clusterOf.entries()) {
    const g = groups.get(c);
    if (g) g.push(i);
    else groups.set(c, [i]);
  }
  return [...groups.values()];
}

const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)} pp`;
const percent = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(0)}%`;

/** The row in one plain sentence: what differs from the baseline, and what this n could detect. */
function summarise(row: DecisionRow, base: string): string {
  const a = row.accuracy;
  const parts: string[] = [];
  if (a.difference === null) parts.push(`no item scored by both it and ${base}`);
  else if (a.verdict === 'better') parts.push(`more accurate than ${base} (${points(a.difference)})`);
  else if (a.verdict === 'worse') parts.push(`less accurate than ${base} (${points(a.difference)})`);
  else {
    const mde =
      row.minimumDetectableEffect === null
        ? ''
        : `; at n = ${a.items} only a gap of ${row.mdeAtLeast ? 'more than ' : 'at least about '}${Math.abs(100 * row.minimumDetectableEffect).toFixed(1)} pp would be detected reliably (80% power at α = 0.05, before the Holm adjustment)`;
    parts.push(`accuracy not distinguishable from ${base} (${points(a.difference)}${mde})`);
  }
  const c = row.costPerSolved;
  if (c.relative !== null)
    parts.push(
      c.verdict === 'better'
        ? `cheaper per solved task (${percent(c.relative)})`
        : c.verdict === 'worse'
          ? `costlier per solved task (${percent(c.relative)})`
          : `$/solved not distinguishable (${percent(c.relative)})`,
    );
  const l = row.latencyP50;
  if (l.relative !== null)
    parts.push(
      l.verdict === 'better'
        ? `faster at p50 (${percent(l.relative)})`
        : l.verdict === 'worse'
          ? `slower at p50 (${percent(l.relative)})`
          : `p50 latency not distinguishable (${percent(l.relative)})`,
    );
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
