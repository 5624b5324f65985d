import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord, SampleResult } from '../../store/records.js';
import { RunStore } from '../../store/run-store.js';
import { UsageError } from '../../util/errors.js';
import { seedFrom } from '../../util/random.js';
import { pairedBootstrap, quantileInPlace } from '../../util/stats/bootstrap.js';
import { pairedBootstrapStatistic } from '../../util/stats/index-bootstrap.js';
import { mcnemarExactP } from '../../util/stats/mcnemar.js';
import { tangoInterval } from '../../util/stats/paired-proportion.js';
import { normalQuantile } from '../../util/stats/power.js';
import type { Interval } from '../../util/stats/proportion.js';
import type { PairCounts } from '../types.js';
import { type ComparableField, comparabilityDiff, type Difference, runFacts } from './comparability.js';
import {
  accuracyGate,
  type GateMode,
  type GateResult,
  increaseGate,
  itemsNeeded,
  plannedSd,
  unmeasuredIncreaseGate,
} from './gates.js';

export interface Side {
  runDir: string;
  /** Orchestrator id; may be omitted when the run has only one. */
  orchestrator?: string | undefined;
}

export interface CompareOptions {
  mode: GateMode;
  /** Accuracy margin in percentage points (≥ 0; > 0 for equivalence). */
  marginPoints: number;
  /** Two-sided confidence level of every interval (default 0.95). */
  level: number;
  /** Largest tolerated rise of B's mean cost per item over A's, percent; null: not gated. */
  maxCostIncreasePercent: number | null;
  /** Largest tolerated rise of B's p50 and p95 latency over A's, percent; null: not gated. */
  maxLatencyIncreasePercent: number | null;
  /** Comparability fields allowed to differ (reported, not refused). */
  allowDifferent: ComparableField[];
  /** Bootstrap resamples (default 10 000 for accuracy, 4 000 for cost and latency). */
  resamples?: number;
}

export interface SideSummary {
  runId: string;
  orchestrator: string;
  simulated: boolean;
  /** Samples scored, and samples that failed (left out of every pair: a failure is not a wrong answer). */
  scored: number;
  errors: number;
}

/** What `baton compare` found: written as JSON by `--json`, as JUnit by `--junit`, as text on stdout. */
export interface Comparison {
  schema: 'baton.compare/2';
  /** A is the baseline (the current weights), B the candidate; every difference is B − A. */
  a: SideSummary;
  b: SideSummary;
  options: Omit<CompareOptions, 'resamples'>;
  /** Every comparability difference found, each marked allowed (by `--allow-different`) or not. */
  differences: Difference[];
  /** False when a difference was not allowed: no gate was evaluated (exit 2). */
  comparable: boolean;
  /** `pass` (exit 0), `fail` (a gate failed, exit 1) or `not comparable` (exit 2). */
  verdict: 'pass' | 'fail' | 'not comparable';
  /** Null when not comparable. */
  accuracy: AccuracySummary | null;
  cost: { a: number; b: number } | null;
  latency: { p50A: number | null; p50B: number | null; p95A: number | null; p95B: number | null } | null;
  /** One per gate: accuracy, cost per item, latency p50, latency p95 (empty when not comparable). */
  gates: GateResult[];
}

export interface AccuracySummary extends PairCounts {
  /** B − A in percentage points, and the interval the gate uses (in points). */
  differencePoints: number;
  ciPoints: Interval;
  /** How the interval was made: the union of Tango's score interval and the paired cluster bootstrap. */
  interval: {
    tangoPoints: Interval;
    bootstrapPoints: Interval;
    resamples: number;
    seed: number;
    clusters: number;
  };
  mcnemarP: number;
  /** Items an 80 %-power eval would need at the observed difference and variance (null when it passes). */
  itemsNeeded: number | null;
}

/**
 * The paired verdict on a baseline run A and a candidate run B over the same items: first the
 * comparability check, then the accuracy gate of the mode and the cost and latency gates (gates.ts).
 */
/** The resampling unit of a sample: its task (repeats of a task go together). */
function clusterOf(s: { suite: string; taskId: string }): string {
  return `${s.suite}/${s.taskId}`;
}

export function compareRuns(a: Side, b: Side, options: CompareOptions): Comparison {
  return compareRecords(readRecords(a), readRecords(b), options);
}

/** One side as its store holds it: the run record and every sample of the run. */
export interface SideRecords extends Side {
  run: RunRecord;
  samples: readonly SampleResult[];
}

/** compareRuns on sides already read (`baton view` reads stores read-only). */
export function compareRecords(a: SideRecords, b: SideRecords, options: CompareOptions): Comparison {
  const left = selectSide(a);
  const right = selectSide(b);
  const differences = comparabilityDiff(
    runFacts(left.run, left.all),
    runFacts(right.run, right.all),
    options.allowDifferent,
  );
  const { resamples: _, ...shownOptions } = options;
  const base = {
    schema: 'baton.compare/2' as const,
    a: left.summary,
    b: right.summary,
    options: shownOptions,
    differences,
  };
  if (differences.some((d) => !d.allowed))
    return {
      ...base,
      comparable: false,
      verdict: 'not comparable',
      accuracy: null,
      cost: null,
      latency: null,
      gates: [],
    };

  const byItem = new Map(right.scored.map((s) => [itemKey(s), s]));
  const correctA: number[] = [];
  const correctB: number[] = [];
  const clusters: string[] = [];
  // Latency on the items both scored without reused cached calls (a cache hit's wall time is not the
  // orchestrator's), as the report's rows and decision summary count it.
  const timed = { a: [] as number[], b: [] as number[], clusters: [] as string[] };
  for (const x of left.scored) {
    const y = byItem.get(itemKey(x));
    if (!y) continue;
    correctA.push(Number(x.correct === true));
    correctB.push(Number(y.correct === true));
    // Repeats of a task are resampled together.
    clusters.push(clusterOf(x));
    if (x.cachedCalls === 0 && y.cachedCalls === 0) {
      timed.a.push(x.latencyMs);
      timed.b.push(y.latencyMs);
      timed.clusters.push(clusterOf(x));
    }
  }
  // Cost on every item both recorded: a failed sample costs money and solves nothing, so leaving it
  // out would make the side that fails more look cheaper.
  const recordedRight = new Map(right.all.map((s) => [itemKey(s), s]));
  const spent = { a: [] as number[], b: [] as number[], clusters: [] as string[] };
  for (const x of left.all) {
    const y = recordedRight.get(itemKey(x));
    if (!y) continue;
    spent.a.push(x.costUsd);
    spent.b.push(y.costUsd);
    spent.clusters.push(clusterOf(x));
  }
  const n = correctA.length;
  if (n === 0) throw new UsageError('the two runs share no scored items (same suite, task id and repeat)');
  const seed = seedFrom(
    'compare',
    left.summary.runId,
    left.summary.orchestrator,
    right.summary.runId,
    right.summary.orchestrator,
  );
  const level = options.level;

  let bothCorrect = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < n; i++) {
    if (correctA[i] && correctB[i]) bothCorrect++;
    else if (correctA[i]) onlyA++;
    else if (correctB[i]) onlyB++;
  }
  const boot = pairedBootstrap(
    correctB.map((y, i) => y - (correctA[i] as number)),
    clusters,
    { seed, level, ...(options.resamples ? { resamples: options.resamples } : {}) },
  );
  const tango = tangoInterval(onlyB, onlyA, n, normalQuantile(1 - (1 - level) / 2));
  // Each end the more cautious of the two: Tango's score interval keeps its width when few or no items
  // are discordant (where the bootstrap collapses to a point); the cluster bootstrap widens for
  // correlated repeats (which Tango, counting items as independent, cannot see).
  const ci = { low: Math.min(tango.low, boot.ci.low), high: Math.max(tango.high, boot.ci.high) };
  const evidence = { n, onlyA, onlyB, ci, level, sd: plannedSd(n, onlyA, onlyB, boot.ci, level) };
  const gateOptions = { mode: options.mode, marginPoints: options.marginPoints };
  const accuracy = accuracyGate(evidence, gateOptions);
  const points = (i: Interval) => ({ low: 100 * i.low, high: 100 * i.high });

  const increaseResamples = options.resamples ?? 4000;
  const increase = (
    gate: string,
    { a: xs, b: ys, clusters: clustersOf }: { a: number[]; b: number[]; clusters: string[] },
    stat: (v: Float64Array) => number,
    show: (x: number) => string,
    limit: number | null,
  ) => {
    if (xs.length === 0)
      return unmeasuredIncreaseGate(
        gate,
        'no item both runs answered without cached calls: nothing to time (a run served from the response cache is timed with --no-cache)',
        limit,
      );
    const ratio = (u: Float64Array, v: Float64Array) => {
      const sa = stat(u);
      const sb = stat(v);
      return sa === 0 ? (sb === 0 ? 0 : Number.POSITIVE_INFINITY) : sb / sa - 1;
    };
    const r = pairedBootstrapStatistic(xs, ys, clustersOf, ratio, {
      seed: seedFrom(seed, gate),
      resamples: increaseResamples,
      level,
    });
    return increaseGate(
      {
        gate,
        estimate: r.estimate,
        ci: r.ci,
        level,
        a: show(stat(Float64Array.from(xs))),
        b: show(stat(Float64Array.from(ys))),
      },
      limit,
    );
  };
  const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;
  const usd = (x: number) => `$${x.toPrecision(4)}/item`;
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const p50 = (v: Float64Array) => quantileInPlace(v, 0.5);
  const p95 = (v: Float64Array) => quantileInPlace(v, 0.95);
  const gates = [
    accuracy,
    increase('cost per item', spent, mean, usd, options.maxCostIncreasePercent),
    increase('latency p50', timed, p50, ms, options.maxLatencyIncreasePercent),
    increase('latency p95', timed, p95, ms, options.maxLatencyIncreasePercent),
  ];
  return {
    ...base,
    comparable: true,
    verdict: gates.some((g) => g.verdict === 'fail') ? 'fail' : 'pass',
    accuracy: {
      shared: n,
      bothCorrect,
      onlyA,
      onlyB,
      bothWrong: n - bothCorrect - onlyA - onlyB,
      accuracyA: (bothCorrect + onlyA) / n,
      accuracyB: (bothCorrect + onlyB) / n,
      differencePoints: (100 * (onlyB - onlyA)) / n,
      ciPoints: points(ci),
      interval: {
        tangoPoints: points(tango),
        bootstrapPoints: points(boot.ci),
        resamples: boot.resamples,
        seed,
        clusters: boot.clusters,
      },
      mcnemarP: mcnemarExactP(onlyA, onlyB),
      itemsNeeded: accuracy.verdict === 'pass' ? null : finiteOrNull(itemsNeeded(evidence, gateOptions)),
    },
    cost: { a: mean(Float64Array.from(spent.a)), b: mean(Float64Array.from(spent.b)) },
    latency:
      timed.a.length === 0
        ? null
        : {
            p50A: p50(Float64Array.from(timed.a)),
            p50B: p50(Float64Array.from(timed.b)),
            p95A: p95(Float64Array.from(timed.a)),
            p95B: p95(Float64Array.from(timed.b)),
          },
    gates,
  };
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

function itemKey(s: SampleResult): string {
  return `${s.suite}\u0000${s.taskId}\u0000${s.repeat}`;
}

function readRecords(side: Side): SideRecords {
  const file = join(side.runDir, 'run.sqlite');
  if (!existsSync(file)) throw new UsageError(`${side.runDir} is not a run folder (no run.sqlite)`);
  const store = new RunStore(file);
  try {
    const run = store.getRun();
    if (!run) throw new UsageError(`${side.runDir} holds no run`);
    return { ...side, run, samples: store.samples() };
  } finally {
    store.close();
  }
}

function selectSide({ runDir, orchestrator: chosen, run, samples }: SideRecords): {
  summary: SideSummary;
  run: RunRecord;
  /** Every sample of the orchestrator, and those scored. */
  all: SampleResult[];
  scored: SampleResult[];
} {
  const ids = [...new Set(samples.filter((s) => s.status === 'ok').map((s) => s.orchestrator))];
  const orchestrator = chosen ?? (ids.length === 1 ? ids[0] : undefined);
  if (orchestrator === undefined) {
    throw new UsageError(`${runDir} has orchestrators ${ids.join(', ')}: say which one to compare`);
  }
  if (!ids.includes(orchestrator))
    throw new UsageError(`${runDir} has no scored samples of '${orchestrator}'`);
  const all = samples.filter((s) => s.orchestrator === orchestrator);
  const scored = all.filter((s) => s.status === 'ok');
  return {
    // This orchestrator's answers, not the run's pool: a live orchestrator beside simulated ones is live.
    summary: {
      runId: run.id,
      orchestrator,
      simulated: scored.some((s) => s.simulated),
      scored: scored.length,
      errors: all.length - scored.length,
    },
    run,
    all,
    scored,
  };
}
