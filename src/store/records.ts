import type { Role } from '../orchestrators/types.js';
import type { Provenance, ProvenanceCounts } from '../providers/provenance.js';
import type { ChatMessage, ModelParams, SharedCacheOrigin, Usage } from '../providers/types.js';
import type { Isolation } from '../sandbox/types.js';
import type { ScoreDetail } from '../scoring/types.js';

/**
 * A trace event: a model call (`call`), or a call to an orchestrator member, which runs that
 * orchestrator nested under the sample (`nested`). A nested run's calls are events of their own, so
 * only `call` events are counted, priced and billed; the two kinds name their usage apart so that a
 * sum over a trace cannot mix them without narrowing first.
 */
export type TraceEvent = CallEvent | NestedRunEvent;

/** What every trace event says: who was asked, with what, seeing what, what came back, when. */
interface EventCommon {
  sampleId: string;
  step: number;
  /**
   * 0 for calls of the sample's orchestrator; d + 1 for calls of a nested run started by a call to an
   * orchestrator member at depth d. Absent from events stored before recursion existed (read as 0).
   */
  depth?: number;
  /** The call that caused this one: the planner for plan steps, the orchestrator-member call for a nested run. */
  parentStep: number | null;
  /** The sample's (top-level) orchestrator, also for nested calls. */
  orchestrator: string;
  agentId: string;
  provider: string;
  /** Where the request went (base URL); never credentials. */
  endpoint: string;
  model: string;
  role: Role;
  subtask: string | null;
  visibleSteps: number[];
  request: { messages: ChatMessage[]; params: ModelParams; seed: number };
  response: string | null;
  startedAt: number;
  endedAt: number;
  latencyMs: number;
  /**
   * Where the answer came from: a real API (`live`), the simulated pool, or a cassette of real calls
   * (`replayed`). A cached answer keeps the provenance of the call that bought it; a nested run takes
   * its calls' (any simulated → simulated, else any replayed → replayed). Events stored before baton
   * recorded it are stamped when the store is migrated.
   */
  provenance: Provenance;
  error: string | null;
}

/** One model call, exactly as it happened: the layer black-box orchestrators hide. */
export interface CallEvent extends EventCommon {
  kind: 'call';
  /** Billed over its attempts (none when cached or refused unsent). */
  usage: Usage;
  costUsd: number;
  /**
   * Served from a response cache: no request was sent and nothing was paid this time. `costUsd` is
   * still the answer's cost (what the call that bought it cost at the run's prices), so orchestrators
   * compare on what their answers cost whoever paid.
   */
  cached: boolean;
  /**
   * Set when the answer came from the response cache shared across runs (README "Response cache"):
   * the run that bought it, when, and what it paid. This run paid nothing for it. Absent otherwise.
   */
  sharedCache?: SharedCacheOrigin;
  attempts: number;
  /** Errors of failed attempts, then the final error if the call failed. */
  attemptErrors: string[];
  /**
   * Every attempt: outcome, billed tokens and cost, latency, the server's Retry-After, the wait after it.
   * Absent from events stored before baton recorded attempts one by one.
   */
  attemptLog?: AttemptRecord[];
}

/**
 * A call to an orchestrator member: which orchestrator ran nested, how many model calls it made, what
 * it reported, and what its calls add up to. Nothing is sent for it, so it has no attempts; a call
 * refused before the run started (the depth limit, an outage) made no call and sums nothing.
 */
export interface NestedRunEvent extends EventCommon {
  kind: 'nested';
  /** The orchestrator the member runs (`orchestrator` is the sample's). */
  nestedOrchestrator: string;
  /** Model calls of the nested run, at every depth below this event. */
  calls: number;
  /** What the nested orchestrator reported with its answer. */
  meta: Record<string, unknown>;
  /** Sums over the nested run's depth + 1 events: its calls are counted there, never here. */
  summedUsage: Usage;
  summedCostUsd: number;
}

/**
 * One HTTP attempt of a call. A failed attempt the API still billed (a filtered answer, a body that
 * broke validation but reported usage) carries that usage and its cost; the call's `usage` and
 * `costUsd` are the sums over its attempts.
 */
export interface AttemptRecord {
  attempt: number;
  /** 'ok' or the error kind (rate_limit, server, timeout, malformed_response, content_filter…). */
  outcome: string;
  message?: string;
  usage: Usage | null;
  costUsd: number;
  latencyMs: number;
  retryAfterMs?: number;
  /** Backoff slept before the next attempt (0 for the last one). */
  waitMs: number;
  /** The provider endpoint's adaptive concurrency limit when this attempt started. */
  concurrencyLimit: number;
}

export type SampleStatus = 'ok' | 'error';

/** One (orchestrator, task, repeat) outcome. An error is not a wrong answer: it is counted apart. */
export interface SampleResult {
  sampleId: string;
  orchestrator: string;
  family: string;
  taskId: string;
  suite: string;
  category: string;
  kind: string;
  repeat: number;
  seed: number;
  status: SampleStatus;
  answer: string | null;
  correct: boolean | null;
  score: ScoreDetail | null;
  errorCode: string | null;
  errorMessage: string | null;
  /**
   * Root cause of an error, for grouping (`call_failed:auth`, `network`, `sandbox`, …; see
   * store/error-causes.ts). Absent from samples without error and from those stored before it existed.
   */
  errorCause?: string;
  costUsd: number;
  /** Wall time of the orchestrator's solve (model calls), scoring excluded. */
  latencyMs: number;
  scoringMs: number;
  calls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** True when any of its calls was answered by the simulated pool (`provenance.simulated > 0`). */
  simulated: boolean;
  /** Its model calls per provenance (calls to orchestrator members left out, as in `calls`). */
  provenance: ProvenanceCounts;
  isolation: Isolation | null;
  meta: Record<string, unknown>;
  startedAt: number;
  endedAt: number;
  /** Which invocation of `baton run` (1 = first, 2 = first resume…) produced it. */
  session: number;
}

/** A run's own record: what was run, from which config, in which state. */
export interface RunRecord {
  id: string;
  name: string;
  configHash: string;
  configJson: string;
  configFile: string;
  createdAt: number;
  /** True when any pool member was simulated (which ones answered: each trace event's `provenance`). */
  simulated: boolean;
  /**
   * The run was recorded (at least in part) before baton kept provenance per call: its calls were
   * stamped from `simulated` when the store was migrated (store schema 4), not recorded one by one.
   */
  provenanceInferred?: boolean;
  sessions: number;
  /** `stopped_errors`: stopped early because an endpoint's first calls all failed (auth, connection). */
  status: 'running' | 'complete' | 'budget_exhausted' | 'interrupted' | 'stopped_errors';
  planned: number;
  environment: Record<string, unknown>;
}

/** What earlier sessions of a resumed run spent, as its store recorded it. */
export interface PriorSpending {
  /** USD the run paid before this session (failed-but-billed attempts included). */
  usd: number;
  /** Samples recorded per orchestrator and what they cost: the expected cost of the next sample. */
  samples?: ReadonlyMap<string, { n: number; usd: number }>;
}
