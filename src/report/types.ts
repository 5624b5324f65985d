import type { ProvenanceCounts } from '../providers/provenance.js';
import type { Interval } from '../util/stats/proportion.js';

/** Bumped on any change a consumer could notice; documented in docs/report-schema.md. */
export const REPORT_SCHEMA_VERSION = 4;

export interface AccuracyRow {
  orchestrator: string;
  family: string;
  /** A suite id, or 'all' (samples of every suite pooled). */
  suite: string;
  /** Samples recorded, errors included. */
  samples: number;
  /** Samples scored (no error). */
  scored: number;
  errors: number;
  correct: number;
  accuracy: number | null;
  /** Wilson score interval; assumes independent samples (see clusteredSe). */
  ci95: Interval;
  /** Clusters among the scored samples (tasks, or the task-meta cluster field). */
  clusters: number;
  /** Standard error of accuracy assuming independent samples. */
  iidSe: number | null;
  /** Cluster-robust (CR1) standard error of accuracy. */
  clusteredSe: number | null;
  costUsd: number;
  costPerTaskUsd: number;
  costPerSolvedUsd: number | null;
  /** End-to-end wall time of the orchestrator per sample (samples with cached calls left out). */
  latencyMs: { p50: number | null; p95: number | null; samples: number };
  /** Per sample: time at least one model call was in flight (parallel calls overlap), p50/p95. */
  criticalPathMs: { p50: number | null; p95: number | null };
  /** Per sample: sum of the model calls' latencies (what a sequential run would take), p50/p95. */
  summedModelMs: { p50: number | null; p95: number | null };
  callsPerTask: number;
  tokensPerTask: { input: number; output: number; reasoning: number };
  /** Code samples graded without isolation (local driver). */
  unisolatedCodeSamples: number;
  /** Code samples graded in the Docker sandbox. */
  dockerCodeSamples: number;
  /** True when any of its calls was answered by a simulated agent: its figures are (partly) synthetic. */
  simulated: boolean;
  /**
   * Where its answers came from: model calls per provenance, and samples with at least one call of
   * each provenance (a sample mixing two counts under both; one without calls under none).
   */
  provenance: { calls: ProvenanceCounts; samples: ProvenanceCounts };
}

export interface CategoryRow {
  orchestrator: string;
  suite: string;
  category: string;
  scored: number;
  correct: number;
  accuracy: number | null;
  ci95: Interval;
}

export interface UsageRow {
  orchestrator: string;
  /** Agent id, role, or step number. */
  key: string;
  calls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
}

/**
 * Per orchestrator: what its answers cost, and who paid. Answers from the response cache shared
 * across runs were bought by other runs: their cost stays in `answersUsd` (and in `rows[].costUsd`),
 * so orchestrators compare on equal terms, but not in `spentUsd`.
 */
export interface SpendingRow {
  orchestrator: string;
  /** Every recorded model call's cost at this run's prices, whoever paid it. */
  answersUsd: number;
  /** Calls this run paid for (sent in one of its sessions), and their cost. */
  paidCalls: number;
  spentUsd: number;
  /** Calls answered from the shared cache, and their cost: what the cache saved this run. */
  sharedCacheCalls: number;
  sharedCacheUsd: number;
}

/** A against B on the items both scored (same suite, task id and repeat). */
/** Two orchestrators' answers on the items both scored: how they agree, and each one's accuracy. */
export interface PairCounts {
  shared: number;
  bothCorrect: number;
  onlyA: number;
  onlyB: number;
  bothWrong: number;
  accuracyA: number;
  accuracyB: number;
}

export interface PairedComparison extends PairCounts {
  suite: string;
  a: string;
  b: string;
  /** accuracyA − accuracyB on the shared items. */
  difference: number;
  /** Paired cluster bootstrap percentile interval of the difference. */
  ci95: Interval;
  bootstrap: { resamples: number; seed: number; clusters: number };
  /** McNemar exact two-sided p-value (binomial test on onlyA vs onlyB). */
  mcnemarP: number;
  /**
   * Set when the two tests disagree at the 5 % level (McNemar p < 0.05 but the bootstrap interval
   * holds 0, or the reverse): why, in a sentence. Null when they agree.
   */
  disagreement: string | null;
}

export interface ParetoPoint {
  orchestrator: string;
  costPerTaskUsd: number;
  accuracy: number;
  onFront: boolean;
  /** Its row used a simulated agent. */
  simulated: boolean;
}

export interface EgressRow {
  orchestrator: string;
  /**
   * Who received the data: the pool entry's declared `vendor:`, else OpenAI / Anthropic / Google for
   * those providers and the model name behind any other (providers/vendor.ts).
   */
  vendor: string;
  provider: string;
  /** The endpoint's host (never a path or key). */
  host: string;
  /** Pool members (agent ids) whose calls the row counts, sorted. */
  agents: string[];
  /** Models they called, sorted. */
  models: string[];
  calls: number;
  /** Served from the run's response cache: sent in an earlier session of this run. */
  cachedCalls: number;
  samples: number;
  inputBytes: number;
  outputBytes: number;
  inputTokens: number;
  outputTokens: number;
}

export interface ClaimRow {
  claim: string;
  figure: string;
  system: string;
  benchmark: string;
  source: { title: string; arxiv: string | null; url: string | null; location: string | null };
  metric: 'accuracy' | 'token-ratio';
  /** Accuracy as a fraction (0.7044), or a ratio. */
  claimed: number | null;
  approximate: boolean;
  orchestrator: string;
  suite: string;
  baseline: string | null;
  measured: number | null;
  ci95: Interval | null;
  /** measured − claimed (fraction for accuracy). */
  gap: number | null;
  insideCi: boolean | null;
  comparability: {
    /** The measured row (or the ratio's baseline row) used a simulated agent. */
    simulated: boolean;
    pool: 'same' | 'partial' | 'different' | 'unknown';
    poolDetail: string;
    suite: string;
    verdict: 'comparable' | 'partly comparable' | 'not comparable';
  };
  problem: string | null;
}

/** Oracle and random baselines from one arm's `single`-family orchestrators (see report-schema.md). */
export interface BaselineRow {
  /** null for the run's pool; the dropped members for an ablation arm. */
  without: string[] | null;
  suite: string;
  /** The `single` orchestrators (one pool member each) the baselines are computed from. */
  members: string[];
  /** Items (task × repeat) at least one of them scored. */
  items: number;
  /** Share of items some member solved alone. */
  oracle: number | null;
  /** Expected accuracy of a member picked uniformly at random per item. */
  random: number | null;
}

export interface AblationFigures {
  scored: number;
  errors: number;
  accuracy: number | null;
  costPerTaskUsd: number;
}

export interface AblationSection {
  /** Pool members the ablated arm ran without. */
  dropped: string[];
  rows: {
    orchestrator: string;
    family: string;
    /** The ablated arm's orchestrator id, or null when it did not run. */
    arm: string | null;
    /** Why the arm did not run (the orchestrator cannot work without a dropped member). */
    skipped: string | null;
    full: AblationFigures;
    ablated: AblationFigures | null;
    accuracyDelta: number | null;
    costPerTaskDeltaUsd: number | null;
    /** Ablated − full on the items both scored, its paired-bootstrap interval, and McNemar's p. */
    pairedDifference: number | null;
    pairedCi95: Interval | null;
    mcnemarP: number | null;
  }[];
  /** Micro-averages over each family's orchestrators that ran both arms. */
  byFamily: {
    family: string;
    orchestrators: string[];
    full: AblationFigures | null;
    ablated: AblationFigures | null;
  }[];
}

/** One pool member's calls per provenance. */
export interface AgentProvenance {
  agent: string;
  provider: string;
  calls: ProvenanceCounts;
}

/**
 * Whether the run has enough items per orchestrator to detect a 5-point accuracy difference between
 * two orchestrators (report/small-sample.ts); shown as a banner when it has not.
 */
export interface SmallSampleCheck {
  /** The accuracy difference to detect (0.05). */
  effect: number;
  alpha: number;
  power: number;
  test: 'McNemar, two-sided';
  /** Where the sample-size formula comes from. */
  source: string;
  /** ψ, the share of items two orchestrators disagree on, as used (at least `effect`); null without scored rows. */
  discordant: number | null;
  /** `paired`: pooled over the run's paired comparisons; `accuracy`: 2p(1 − p) at the pooled accuracy. */
  discordantFrom: 'paired' | 'accuracy' | null;
  /** Items per orchestrator the test needs. */
  requiredItems: number | null;
  /** Fewest scored items of any orchestrator. */
  fewestItems: number | null;
  /** Orchestrators with fewer scored items than required. */
  below: string[];
  /** The smallest difference detectable with `fewestItems` items (at most ψ). */
  minimumDetectableEffect: number | null;
  /** `below` is not empty: the banner is shown. */
  small: boolean;
  /** The banner's text, or null. */
  message: string | null;
}

/** better: more accurate, cheaper per solved task, or faster; worse: the opposite; at Holm-adjusted α. */
export type DecisionVerdict = 'better' | 'worse' | 'not distinguishable';

/** One figure of an orchestrator against the baseline in the decision summary. */
export interface DecisionMetric {
  /** Items (task × repeat) the figure is computed on: both sides have them (see report-schema.md). */
  items: number;
  baseline: number | null;
  value: number | null;
  /** value − baseline (accuracy: fraction, i.e. points / 100; cost: USD; latency: ms). */
  difference: number | null;
  /** value / baseline − 1 (cost and latency); null for accuracy or a zero baseline. */
  relative: number | null;
  /**
   * 95 % interval: accuracy on `difference` (paired cluster bootstrap, as `paired[]`); cost and latency
   * on `relative` (paired cluster bootstrap of the ratio). Unadjusted for multiplicity.
   */
  ci95: Interval | null;
  /**
   * Unadjusted two-sided p: McNemar exact for accuracy; otherwise the Wald test of log(value / baseline)
   * with the bootstrap standard error (the percentile inversion when a resample is unbounded).
   */
  p: number | null;
  /** Holm-adjusted over every p of the summary (`decision.comparisons`). */
  holmP: number | null;
  verdict: DecisionVerdict;
}

export interface DecisionRow {
  orchestrator: string;
  family: string;
  /** Accuracy (scored items both scored): `difference` in fractions, shown as points. */
  accuracy: DecisionMetric & {
    /** Shared items only this orchestrator / only the baseline got right. */
    onlyOrchestrator: number;
    onlyBaseline: number;
  };
  /** $/solved (items both recorded: all money over correct answers, failures cost and solve nothing). */
  costPerSolved: DecisionMetric;
  /** Median latency (items both scored, samples that reused cached calls left out). */
  latencyP50: DecisionMetric;
  /**
   * Smallest accuracy difference (fraction) McNemar's two-sided test at α = 0.05 detects with 80 %
   * power on `accuracy.items` items at this pair's discordant share (Connor 1987); null without
   * discordant items. When `mdeAtLeast`, even a difference as large as the discordant share is not
   * detectable and the figure is a lower bound.
   */
  minimumDetectableEffect: number | null;
  mdeAtLeast: boolean;
  /** Share of shared items exactly one of the two got right (ψ). */
  discordant: number | null;
  /** The accuracy verdict: the row's answer to "is it better than the baseline?". */
  verdict: DecisionVerdict;
  /** The row in one plain sentence. */
  summary: string;
}

/** The decision summary against a baseline (report.md and report.html open with it). */
export interface DecisionSection {
  /** Suite the summary is over: 'all' when the run has several suites. */
  suite: string;
  /** Orchestrator id every row is compared with; null when the run has no orchestrator with samples. */
  baseline: string | null;
  /** `configured`: `report.baseline` in the run config; else the default rule that chose it. */
  baselineRule: 'configured' | 'cheapest single' | 'cheapest';
  /** How the baseline was chosen, in a sentence. */
  baselineNote: string;
  alpha: number;
  power: number;
  /** p-values in the Holm family: three per row (accuracy, $/solved, p50 latency), those computed. */
  comparisons: number;
  correction: string;
  rows: DecisionRow[];
  /** How to read it: the tests, intervals and rules, one sentence each. */
  method: string[];
}

/** Samples that failed for one root cause. */
export interface ErrorCauseRow {
  cause: string;
  count: number;
  /** The first such sample (by id) and its error message, as an example. */
  sampleId: string;
  example: string | null;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  /** True when any answer came from the simulated pool (which agents: `provenance`). */
  simulated: boolean;
  /** Which agents answered from where, by name (see provenanceLabel). */
  label: string;
  /** Where the run's answers came from, per call and per agent (orchestrator members left out). */
  provenance: {
    calls: ProvenanceCounts;
    agents: AgentProvenance[];
    /** Agent ids with at least one call of each provenance. */
    simulated: string[];
    live: string[];
    replayed: string[];
    /**
     * The run was recorded before baton kept provenance per call: every call of a run that had a
     * simulated member counts as simulated (it did not record which members answered).
     */
    inferred: boolean;
  };
  run: {
    id: string;
    name: string;
    status: string;
    createdAt: string;
    configFile: string;
    configHash: string;
    /**
     * The command line's subset and overrides: `limit` (first N tasks per suite), `sample` (N per
     * suite in the seeded order of `seed`), `only` (orchestrators run), `set` (`--set` texts); `{}`
     * for a whole run as configured.
     */
    selection: { limit?: number; sample?: { count: number; seed: number }; only?: string[]; set?: string[] };
    sessions: number;
    environment: Record<string, unknown>;
  };
  generatedAt: string;
  samples: { planned: number; recorded: number; errors: number };
  /** The task ids every orchestrator ran, per suite. */
  taskIds: Record<string, string[]>;
  /** Suite versions from the task files, when they could be read. */
  suiteVersions: Record<string, string | number | null>;
  /** Suite → how its answers were graded (`maths: <mode>`, `multiple choice: letter`, `code: <style> tests in the sandbox`…). */
  grading: Record<string, string[]>;
  clustering: { field: string | null; note: string };
  rows: AccuracyRow[];
  categories: CategoryRow[];
  paired: PairedComparison[];
  /** The config's `decide:` comparisons as anytime-valid confidence sequences in the seeded task order; absent without `decide:`. */
  sequential?: import('./sequential.js').SequentialReport;
  /** Over all suites pooled. */
  pareto: ParetoPoint[];
  byAgent: UsageRow[];
  byRole: UsageRow[];
  byStep: UsageRow[];
  /** Per orchestrator: the cost of its answers, what this run spent, what the shared cache saved. */
  spending: SpendingRow[];
  /** Latency histogram per orchestrator on shared bins (ms), for charts. */
  latencyHistogram: { binEdgesMs: number[]; counts: Record<string, number[]> };
  egress: {
    rows: EgressRow[];
    /** Distinct sets of vendors that saw one sample's data. */
    vendorSets: string[][];
    /** Sample id → index into vendorSets. */
    sampleVendors: Record<string, number>;
  };
  claims: ClaimRow[];
  errors: { orchestrator: string; code: string; count: number }[];
  /**
   * Failed samples of every orchestrator grouped by root cause (`call_failed:auth`, `network`,
   * `sandbox`, `scoring`…; store/error-causes.ts), most frequent first, with one example message
   * (credentials scrubbed when it was stored; its first line, at most 240 characters).
   */
  errorCauses: ErrorCauseRow[];
  /** Per orchestrator, totals of what its samples reported: numbers summed, flags counted (e.g. plan resamples). */
  coordination: { orchestrator: string; fact: string; total: number }[];
  /** Oracle and random baselines from `single`-family results, per arm and suite. */
  baselines: BaselineRow[];
  /** Full pool vs without the dropped members, when the run config declares `ablation`; else null. */
  ablation: AblationSection | null;
  /**
   * What the reader must know before trusting the figures, beyond the label: e.g. a TRINITY head trained
   * on the simulated pool that here drives live agents. Empty when there is nothing to say.
   */
  warnings: string[];
  /** Too few items per orchestrator to detect a 5-point difference? (banner under the label when so) */
  smallSample: SmallSampleCheck;
  /** Every orchestrator against the baseline: deltas with intervals, Holm-adjusted p, verdicts, MDE. */
  decision: DecisionSection;
  notes: string[];
}
