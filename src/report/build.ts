import { armId } from '../orchestrators/ablation.js';
import { exampleLine } from '../store/error-causes.js';
import type { CallFacts, SampleSummary } from '../store/reads.js';
import type { RunRecord } from '../store/records.js';
import { paretoFront } from '../util/stats/pareto.js';
import { ablationSection } from './ablation.js';
import { baselines, singleOrchestrators } from './baselines.js';
import { compareClaims } from './claims/compare.js';
import { chooseBaseline, comparisonOrder, decisionSection } from './decision.js';
import { aggregateCalls } from './event-pass.js';
import { pairedComparisons } from './paired.js';
import { provenanceLabel } from './provenance.js';
import { parseStoredConfig } from './run-config.js';
import { aggregateSamples } from './sample-pass.js';
import { sequentialSection } from './sequential.js';
import { smallSampleCheck } from './small-sample.js';
import { loadTaskInfo, type TaskInfo } from './task-info.js';
import { type ParetoPoint, REPORT_SCHEMA_VERSION, type Report } from './types.js';

export { SIMULATED_LABEL } from './provenance.js';

export interface ReportInput {
  run: RunRecord;
  /** Called once; iterated once. */
  samples: () => Iterable<SampleSummary>;
  /** The model calls (not nested runs' events). Called once; iterated once, ordered by sample then step. */
  calls: () => Iterable<CallFacts>;
  /** Dotted path into task meta naming the cluster of each task (default: each task its own). */
  clusterField?: string | null;
  /** Warnings to print at the top (report/write.ts reads them from the run's head files). */
  warnings?: string[];
  /** Task metadata; read from the run's suite files when absent. */
  taskInfo?: TaskInfo;
  /** A failed sample's stored error message (examples of error causes); none shown when absent. */
  errorMessage?: (sampleId: string) => string | null;
  now?: Date;
}

/** Computes the report from what the store holds (plus the suite and claim files the run names). */
export function buildReport(input: ReportInput): Report {
  const { run } = input;
  const config = parseStoredConfig(run.configJson);
  const tasks = input.taskInfo ?? loadTaskInfo(config, input.clusterField ?? null);
  // Egress by the vendor each pool member declares (else the default for its provider and model).
  const declaredVendor = new Map(config.pool.flatMap((a) => (a.vendor ? [[a.id, a.vendor] as const] : [])));
  const ev = aggregateCalls(input.calls(), (agentId) => declaredVendor.get(agentId));
  const pass = aggregateSamples(input.samples(), tasks.clusterOf, ev.timing);
  // Per call, not per run: a pool mixing real endpoints with simulated members says which is which.
  const simulated = ev.provenance.calls.simulated > 0;
  const provenance = { ...ev.provenance, inferred: run.provenanceInferred === true };
  const overallSuite = pass.suites.length > 1 ? 'all' : (pass.suites[0] ?? 'all');
  const overall = pass.rows.filter((r) => r.suite === overallSuite);
  const points = overall
    .filter((r) => r.accuracy !== null)
    .map((r) => ({
      id: r.orchestrator,
      costUsd: r.costPerTaskUsd,
      accuracy: r.accuracy as number,
      simulated: r.simulated,
    }));
  const front = new Set(paretoFront(points).map((p) => p.id));
  const pareto: ParetoPoint[] = points.map((p) => ({
    orchestrator: p.id,
    costPerTaskUsd: p.costUsd,
    accuracy: p.accuracy,
    onFront: front.has(p.id),
    simulated: p.simulated,
  }));
  const dropped = config.ablation?.drop;
  const ablatedIds = new Set(dropped ? config.orchestrators.map((o) => armId(o.id, dropped)) : []);
  // The baseline of the decision summary; the pairwise matrix follows the same order.
  const baseline = chooseBaseline(overall, config.report?.baseline ?? null, ablatedIds);
  const order = comparisonOrder(pass.orchestrators, overall, baseline.baseline);
  const paired = pairedComparisons(pass, order);
  const singles = [...singleOrchestrators(pass.rows)];
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    simulated,
    label: provenanceLabel(provenance),
    provenance,
    run: {
      id: run.id,
      name: run.name,
      status: run.status,
      createdAt: new Date(run.createdAt).toISOString(),
      configFile: run.configFile,
      configHash: run.configHash,
      selection: config.selection,
      sessions: run.sessions,
      environment: run.environment,
    },
    generatedAt: (input.now ?? new Date()).toISOString(),
    samples: { planned: run.planned, recorded: pass.recorded, errors: pass.errorCount },
    taskIds: pass.taskIds,
    suiteVersions: tasks.suiteVersions,
    grading: tasks.grading,
    clustering: { field: tasks.clusterField, note: tasks.note },
    rows: pass.rows,
    categories: pass.categories,
    paired,
    ...sequentialSection(run.configJson, pass),
    pareto,
    byAgent: ev.byAgent,
    byRole: ev.byRole,
    byStep: ev.byStep,
    spending: ev.spending,
    latencyHistogram: histogram(pass.latencies),
    egress: { rows: ev.egress, vendorSets: ev.vendorSets, sampleVendors: ev.sampleVendors },
    claims: compareClaims({ config, rows: pass.rows, suiteVersions: tasks.suiteVersions }),
    errors: pass.errors,
    errorCauses: pass.errorCauses.map((c) => {
      const message = input.errorMessage?.(c.sampleId) ?? null;
      return { ...c, example: message === null ? null : exampleLine(message) };
    }),
    coordination: pass.coordination,
    baselines: baselines(pass, [
      { without: null, singles: new Set(singles.filter((id) => !ablatedIds.has(id))) },
      ...(dropped
        ? [{ without: dropped, singles: new Set(singles.filter((id) => ablatedIds.has(id))) }]
        : []),
    ]),
    ablation: dropped
      ? ablationSection(dropped, config.orchestrators, pass.rows, paired, overallSuite)
      : null,
    warnings: input.warnings ?? [],
    smallSample: smallSampleCheck(pass.rows, paired, overallSuite),
    decision: decisionSection(pass, overallSuite, overall, baseline, order, paired),
    notes: notes(pass.excludedLatency),
  };
}

function notes(excludedLatency: number): string[] {
  return [
    'Two accuracies: in the results table `accuracy` is correct / n, n counting every recorded sample (a sample that failed — provider error after retries, orchestration, sandbox or scoring failure — counts as not solved); `scored accuracy`, its Wilson 95% interval and clustered SE are correct / (n − errors), and so are report.json `rows[].accuracy`, paired comparisons, claims and the Pareto front. Failed samples are listed by cause and under errors. Samples never run (a run stopped early) are in neither.',
    'The 95% interval on accuracy is the Wilson score interval, which treats samples as independent; the clustered SE (CR1) accounts for tasks that share a cluster and for repeats of one task.',
    'Paired comparisons use only items both orchestrators scored (same suite, task id and repeat): McNemar exact two-sided p on the discordant pairs, and a percentile interval from a seeded paired bootstrap (10 000 resamples of clusters).',
    'The pairwise table is ordered baseline first, then by scored accuracy; its p-values are not corrected for multiple comparisons. The decision summary at the top adjusts its own (Holm). Where McNemar and the bootstrap disagree, the table says why.',
    'Cost per task divides all money spent, failed samples included, by samples recorded; cost per solved task divides it by correct answers.',
    'Latency is the wall time of the orchestrator (model calls), scoring excluded. Critical path = time at least one model call was in flight (parallel calls overlap); summed model time = what the same calls would take one after another.',
    "Spending: a call answered from the response cache shared across runs was paid by the run that bought it; its cost stays in the answers' cost ($/task, $/solved, so orchestrators compare on equal terms) and is shown apart from what this run spent.",
    'Data egress counts every request a vendor received for the run, cached answers included (their request was sent in an earlier session of the run, or by another run for the shared cache); input bytes are the UTF-8 bytes of the message contents. Rows are per vendor: the `vendor:` a pool entry declares, else OpenAI, Anthropic or Google for their own APIs and the model name behind any other provider (openai-compatible, sim, replay, plugins), so several models behind one endpoint are several rows; the host the requests went to is shown beside it.',
    ...(excludedLatency > 0
      ? [
          `${excludedLatency} samples reused cached responses (after a resume, or from the shared cache) and are left out of latency percentiles.`,
        ]
      : []),
  ];
}

/** 24 shared bins from 0 to the largest p99 over orchestrators; slower samples fall in the last bin. */
function histogram(latencies: Map<string, number[]>): Report['latencyHistogram'] {
  const bins = 24;
  let top = 0;
  for (const values of latencies.values()) {
    const sorted = Float64Array.from(values).sort();
    top = Math.max(top, sorted[Math.floor(0.99 * (sorted.length - 1))] ?? 0);
  }
  const width = top > 0 ? top / bins : 1;
  const binEdgesMs = Array.from({ length: bins + 1 }, (_, i) => i * width);
  const counts: Record<string, number[]> = {};
  for (const [o, values] of latencies) {
    const c = new Array<number>(bins).fill(0);
    for (const v of values) {
      const i = Math.min(bins - 1, Math.floor(v / width));
      c[i] = (c[i] ?? 0) + 1;
    }
    counts[o] = c;
  }
  return { binEdgesMs, counts };
}
