import { noProvenance, PROVENANCES, type ProvenanceCounts } from '../providers/provenance.js';
import { causeOfCode } from '../store/error-causes.js';
import type { SampleSummary } from '../store/reads.js';
import { clusteredMean } from '../util/stats/clustered.js';
import { quantile, sum, wilsonInterval } from '../util/stats/proportion.js';
import type { SampleTiming } from './event-pass.js';
import type { AccuracyRow, CategoryRow } from './types.js';

/** Everything one (orchestrator, suite) cell needs, gathered sample by sample. */
class Cell {
  family = '';
  samples = 0;
  errors = 0;
  correct = 0;
  readonly costs: number[] = [];
  readonly outcomes: number[] = [];
  readonly clusters: string[] = [];
  readonly latencies: number[] = [];
  readonly criticalPaths: number[] = [];
  readonly summedModel: number[] = [];
  calls = 0;
  inputTokens = 0;
  outputTokens = 0;
  reasoningTokens = 0;
  unisolatedCode = 0;
  dockerCode = 0;
  readonly provenanceCalls = noProvenance();
  readonly provenanceSamples = noProvenance();

  add(s: SampleSummary, cluster: string, timing: SampleTiming | undefined): void {
    this.family = s.family;
    this.samples++;
    this.costs.push(s.costUsd);
    this.calls += s.calls;
    this.inputTokens += s.inputTokens;
    this.outputTokens += s.outputTokens;
    this.reasoningTokens += s.reasoningTokens;
    if (s.kind === 'code' && s.isolation === 'none') this.unisolatedCode++;
    if (s.kind === 'code' && s.isolation === 'docker') this.dockerCode++;
    const provenance = provenanceOfSample(s);
    for (const p of PROVENANCES) {
      this.provenanceCalls[p] += provenance[p];
      if (provenance[p] > 0) this.provenanceSamples[p]++;
    }
    if (s.status !== 'ok') {
      this.errors++;
      return;
    }
    const right = s.correct === true ? 1 : 0;
    this.correct += right;
    this.outcomes.push(right);
    this.clusters.push(cluster);
    // A resumed sample's cached calls took no time: its wall time would flatter the orchestrator.
    if (s.cachedCalls === 0) {
      this.latencies.push(s.latencyMs);
      if (timing) {
        this.criticalPaths.push(timing.criticalPathMs);
        this.summedModel.push(timing.summedModelMs);
      }
    }
  }

  row(orchestrator: string, suite: string): AccuracyRow {
    const scored = this.outcomes.length;
    const n = this.samples || 1;
    const costUsd = sum(this.costs);
    const c = clusteredMean(this.outcomes, this.clusters);
    const finite = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      orchestrator,
      family: this.family,
      suite,
      samples: this.samples,
      scored,
      errors: this.errors,
      correct: this.correct,
      accuracy: scored > 0 ? this.correct / scored : null,
      ci95: wilsonInterval(this.correct, scored),
      clusters: c.clusters,
      iidSe: finite(c.iidSe),
      clusteredSe: finite(c.clusteredSe),
      costUsd,
      costPerTaskUsd: costUsd / n,
      costPerSolvedUsd: this.correct > 0 ? costUsd / this.correct : null,
      latencyMs: {
        p50: quantile(this.latencies, 0.5),
        p95: quantile(this.latencies, 0.95),
        samples: this.latencies.length,
      },
      criticalPathMs: { p50: quantile(this.criticalPaths, 0.5), p95: quantile(this.criticalPaths, 0.95) },
      summedModelMs: { p50: quantile(this.summedModel, 0.5), p95: quantile(this.summedModel, 0.95) },
      callsPerTask: this.calls / n,
      tokensPerTask: {
        input: this.inputTokens / n,
        output: this.outputTokens / n,
        reasoning: this.reasoningTokens / n,
      },
      unisolatedCodeSamples: this.unisolatedCode,
      dockerCodeSamples: this.dockerCode,
      simulated: this.provenanceCalls.simulated > 0,
      provenance: { calls: { ...this.provenanceCalls }, samples: { ...this.provenanceSamples } },
    };
  }
}

/**
 * A sample's calls per provenance. Stores are migrated to carry them; a sample from elsewhere without
 * them counts all its calls as its `simulated` flag says.
 */
function provenanceOfSample(s: SampleSummary): ProvenanceCounts {
  if (s.provenance) return s.provenance;
  const counts = noProvenance();
  counts[s.simulated ? 'simulated' : 'live'] = s.calls;
  return counts;
}

/** One recorded sample, as the decision summary pairs it with another orchestrator's on the same item. */
export interface ItemFacts {
  /** 1 right, 0 wrong, null failed (not scored). */
  correct: 0 | 1 | null;
  costUsd: number;
  /** Wall time, or null when it reused cached calls (left out of latency, as in the rows). */
  latencyMs: number | null;
  cluster: string;
}

export interface SamplePass {
  orchestrators: string[];
  suites: string[];
  rows: AccuracyRow[];
  categories: CategoryRow[];
  taskIds: Record<string, string[]>;
  /** suite → orchestrator → item key (task id # repeat) → 1 right / 0 wrong; scored samples only. */
  outcomes: Map<string, Map<string, Map<string, number>>>;
  /** item key (suite/task#repeat) → cluster. */
  clusterOfItem: Map<string, string>;
  /** suite → orchestrator → item key (task id # repeat) → its sample's facts; every recorded sample. */
  items: Map<string, Map<string, Map<string, ItemFacts>>>;
  /** All scored latencies per orchestrator (for the distribution chart). */
  latencies: Map<string, number[]>;
  errors: { orchestrator: string; code: string; count: number }[];
  /** Failed samples by root cause, most frequent first (ties by cause), with the first sample of each. */
  errorCauses: { cause: string; count: number; sampleId: string }[];
  coordination: { orchestrator: string; fact: string; total: number }[];
  recorded: number;
  errorCount: number;
  simulated: boolean;
  excludedLatency: number;
}

/** One pass over the samples (any order). */
export function aggregateSamples(
  samples: Iterable<SampleSummary>,
  clusterOf: (suite: string, taskId: string) => string,
  timing: Map<string, SampleTiming>,
): SamplePass {
  const cells = new Map<string, Cell>();
  const cell = (key: string) => {
    let c = cells.get(key);
    if (!c) {
      c = new Cell();
      cells.set(key, c);
    }
    return c;
  };
  const categories = new Map<string, CategoryRow>();
  const taskIds = new Map<string, Set<string>>();
  const outcomes: SamplePass['outcomes'] = new Map();
  const clusterOfItem = new Map<string, string>();
  const items: SamplePass['items'] = new Map();
  const errors = new Map<string, { orchestrator: string; code: string; count: number }>();
  const causes = new Map<string, { cause: string; count: number; sampleId: string }>();
  const coordination = new Map<string, { orchestrator: string; fact: string; total: number }>();
  const orchestrators = new Set<string>();
  let recorded = 0;
  let errorCount = 0;
  let simulated = false;
  let excludedLatency = 0;

  for (const s of samples) {
    recorded++;
    simulated ||= s.simulated;
    if (s.cachedCalls > 0) excludedLatency++;
    orchestrators.add(s.orchestrator);
    const ids = taskIds.get(s.suite) ?? new Set<string>();
    ids.add(s.taskId);
    taskIds.set(s.suite, ids);
    const cluster = clusterOf(s.suite, s.taskId);
    const t = timing.get(s.sampleId);
    cell(`${s.orchestrator}\u0000${s.suite}`).add(s, cluster, t);
    cell(`${s.orchestrator}\u0000all`).add(s, cluster, t);
    const itemsOfSuite = items.get(s.suite) ?? new Map<string, Map<string, ItemFacts>>();
    items.set(s.suite, itemsOfSuite);
    const itemsOf = itemsOfSuite.get(s.orchestrator) ?? new Map<string, ItemFacts>();
    itemsOfSuite.set(s.orchestrator, itemsOf);
    itemsOf.set(`${s.taskId}#${s.repeat}`, {
      correct: s.status !== 'ok' ? null : s.correct ? 1 : 0,
      costUsd: s.costUsd,
      latencyMs: s.cachedCalls === 0 ? s.latencyMs : null,
      cluster,
    });
    for (const [k, v] of Object.entries(s.meta)) {
      const amount = typeof v === 'number' ? v : v === true ? 1 : undefined;
      if (amount === undefined) continue;
      const key = `${s.orchestrator}\u0000${k}`;
      const row = coordination.get(key) ?? { orchestrator: s.orchestrator, fact: k, total: 0 };
      row.total += amount;
      coordination.set(key, row);
    }
    if (s.status !== 'ok') {
      errorCount++;
      const key = `${s.orchestrator}\u0000${s.errorCode}`;
      const row = errors.get(key) ?? {
        orchestrator: s.orchestrator,
        code: s.errorCode ?? 'unknown',
        count: 0,
      };
      row.count++;
      errors.set(key, row);
      const cause = s.errorCause ?? causeOfCode(s.errorCode);
      const byCause = causes.get(cause) ?? { cause, count: 0, sampleId: s.sampleId };
      byCause.count++;
      if (s.sampleId < byCause.sampleId) byCause.sampleId = s.sampleId;
      causes.set(cause, byCause);
      continue;
    }
    const item = `${s.taskId}#${s.repeat}`;
    clusterOfItem.set(`${s.suite}/${item}`, cluster);
    const bySuite = outcomes.get(s.suite) ?? new Map<string, Map<string, number>>();
    outcomes.set(s.suite, bySuite);
    const mine = bySuite.get(s.orchestrator) ?? new Map<string, number>();
    bySuite.set(s.orchestrator, mine);
    mine.set(item, s.correct ? 1 : 0);
    const catKey = `${s.orchestrator}\u0000${s.suite}\u0000${s.category}`;
    const cat = categories.get(catKey) ?? {
      orchestrator: s.orchestrator,
      suite: s.suite,
      category: s.category,
      scored: 0,
      correct: 0,
      accuracy: null,
      ci95: { low: 0, high: 1 },
    };
    cat.scored++;
    if (s.correct) cat.correct++;
    categories.set(catKey, cat);
  }

  const orchestratorList = [...orchestrators].sort();
  const suites = [...taskIds.keys()].sort();
  const rows: AccuracyRow[] = [];
  const latencies = new Map<string, number[]>();
  for (const o of orchestratorList) {
    for (const suite of suites) {
      const c = cells.get(`${o}\u0000${suite}`);
      if (c) rows.push(c.row(o, suite));
    }
    const all = cells.get(`${o}\u0000all`);
    if (all && suites.length > 1) rows.push(all.row(o, 'all'));
    latencies.set(o, all?.latencies ?? []);
  }
  return {
    orchestrators: orchestratorList,
    suites,
    rows,
    categories: [...categories.values()]
      .map((c) => ({ ...c, accuracy: c.correct / c.scored, ci95: wilsonInterval(c.correct, c.scored) }))
      .sort(
        (a, b) =>
          a.orchestrator.localeCompare(b.orchestrator) ||
          a.suite.localeCompare(b.suite) ||
          a.category.localeCompare(b.category),
      ),
    taskIds: Object.fromEntries(suites.map((s) => [s, [...(taskIds.get(s) ?? [])].sort()])),
    outcomes,
    clusterOfItem,
    items,
    latencies,
    errors: [...errors.values()],
    errorCauses: [...causes.values()].sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause)),
    coordination: [...coordination.values()].sort(
      (a, b) => a.orchestrator.localeCompare(b.orchestrator) || a.fact.localeCompare(b.fact),
    ),
    recorded,
    errorCount,
    simulated,
    excludedLatency,
  };
}
