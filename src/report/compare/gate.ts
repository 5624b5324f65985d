import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SampleResult } from '../../store/records.js';
import { RunStore } from '../../store/run-store.js';
import { UsageError } from '../../util/errors.js';
import { seedFrom } from '../../util/random.js';
import { quantile } from '../../util/stats/proportion.js';
import { type PairedOutcome, type PairedStatistics, pairedStatistics } from '../paired.js';

export interface Side {
  runDir: string;
  /** Orchestrator id; may be omitted when the run has only one. */
  orchestrator?: string | undefined;
}

export interface Thresholds {
  /** Largest tolerated accuracy drop of A below B, in percentage points, when significant. */
  maxAccuracyDropPoints: number;
  /** Significance level for the accuracy drop (McNemar exact, two-sided). */
  alpha: number;
  /** Largest tolerated rise of A's cost per task over B's, in percent. */
  maxCostIncreasePercent: number;
}

export interface Comparison extends PairedStatistics {
  a: { runId: string; orchestrator: string; simulated: boolean };
  b: { runId: string; orchestrator: string; simulated: boolean };
  costPerTaskA: number;
  costPerTaskB: number;
  costChangePercent: number;
  latencyP50A: number | null;
  latencyP50B: number | null;
  thresholds: Thresholds;
  accuracyRegression: boolean;
  costRegression: boolean;
}

/**
 * The paired verdict on two runs over the same items (new weights A against old weights B, or any
 * two orchestrators): a regression is a significant accuracy drop beyond the tolerance, or a cost
 * rise beyond it.
 */
export function compareRuns(a: Side, b: Side, thresholds: Thresholds): Comparison {
  const left = readSide(a);
  const right = readSide(b);
  const byItem = new Map(right.samples.map((s) => [itemKey(s), s]));
  const pairs: PairedOutcome[] = [];
  const costA: number[] = [];
  const costB: number[] = [];
  const latencyA: number[] = [];
  const latencyB: number[] = [];
  for (const x of left.samples) {
    const y = byItem.get(itemKey(x));
    if (!y) continue;
    pairs.push({ a: x.correct === true, b: y.correct === true, cluster: `${x.suite}/${x.taskId}` });
    costA.push(x.costUsd);
    costB.push(y.costUsd);
    latencyA.push(x.latencyMs);
    latencyB.push(y.latencyMs);
  }
  if (pairs.length === 0)
    throw new UsageError('the two runs share no scored items (same suite, task id and repeat)');
  const stats = pairedStatistics(pairs, seedFrom('compare', left.orchestrator, right.orchestrator));
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const costPerTaskA = mean(costA);
  const costPerTaskB = mean(costB);
  const costChangePercent = costPerTaskB > 0 ? (100 * (costPerTaskA - costPerTaskB)) / costPerTaskB : 0;
  return {
    a: { runId: left.runId, orchestrator: left.orchestrator, simulated: left.simulated },
    b: { runId: right.runId, orchestrator: right.orchestrator, simulated: right.simulated },
    ...stats,
    costPerTaskA,
    costPerTaskB,
    costChangePercent,
    latencyP50A: quantile(latencyA, 0.5),
    latencyP50B: quantile(latencyB, 0.5),
    thresholds,
    accuracyRegression:
      100 * (stats.accuracyB - stats.accuracyA) > thresholds.maxAccuracyDropPoints &&
      stats.mcnemarP < thresholds.alpha,
    costRegression: costChangePercent > thresholds.maxCostIncreasePercent,
  };
}

function itemKey(s: SampleResult): string {
  return `${s.suite}\u0000${s.taskId}\u0000${s.repeat}`;
}

function readSide(side: Side): {
  runId: string;
  orchestrator: string;
  simulated: boolean;
  samples: SampleResult[];
} {
  const file = join(side.runDir, 'run.sqlite');
  if (!existsSync(file)) throw new UsageError(`${side.runDir} is not a run folder (no run.sqlite)`);
  const store = new RunStore(file);
  try {
    const run = store.getRun();
    if (!run) throw new UsageError(`${side.runDir} holds no run`);
    const scored = store.samples().filter((s) => s.status === 'ok');
    const ids = [...new Set(scored.map((s) => s.orchestrator))];
    const orchestrator = side.orchestrator ?? (ids.length === 1 ? ids[0] : undefined);
    if (orchestrator === undefined) {
      throw new UsageError(`${side.runDir} has orchestrators ${ids.join(', ')}: say which one to compare`);
    }
    if (!ids.includes(orchestrator))
      throw new UsageError(`${side.runDir} has no scored samples of '${orchestrator}'`);
    const samples = scored.filter((s) => s.orchestrator === orchestrator);
    return {
      runId: run.id,
      orchestrator,
      // This orchestrator's answers, not the run's pool: a live orchestrator beside simulated ones is live.
      simulated: samples.some((s) => s.simulated),
      samples,
    };
  } finally {
    store.close();
  }
}
