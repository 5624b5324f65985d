import type { Role } from '../orchestrators/types.js';
import type { Provenance, ProvenanceCounts } from '../providers/provenance.js';
import type { ChatMessage, ModelParams, Usage } from '../providers/types.js';
import type { Isolation } from '../sandbox/types.js';
import type { ScoreDetail } from '../scoring/types.js';

/** One model call, exactly as it happened: the layer black-box orchestrators hide. */
export interface TraceEvent {
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
  usage: Usage;
  costUsd: number;
  startedAt: number;
  endedAt: number;
  latencyMs: number;
  /** Served from the response cache: no request was sent and nothing was paid this time. */
  cached: boolean;
  /**
   * Where the answer came from: a real API (`live`), the simulated pool, or a cassette of real calls
   * (`replayed`). A cached answer keeps the provenance of the call that bought it; a call to an
   * orchestrator member takes its nested calls' (any simulated → simulated, else any replayed →
   * replayed). Events stored before baton recorded it are stamped when the store is migrated.
   */
  provenance: Provenance;
  attempts: number;
  /** Errors of failed attempts, then the final error if the call failed. */
  attemptErrors: string[];
  /**
   * Every attempt: outcome, billed tokens and cost, latency, the server's Retry-After, the wait after it.
   * Absent from events stored before baton recorded attempts one by one.
   */
  attemptLog?: AttemptRecord[];
  error: string | null;
  /**
   * Set on a call to an orchestrator member: which orchestrator ran, how many model calls it made, and
   * what it reported. `usage` and `costUsd` of such an event are the sums over its depth + 1 events.
   */
  nested?: { orchestrator: string; calls: number; meta: Record<string, unknown> };
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

/** What earlier sessions of a resumed run spent, as its store recorded it. */
export interface PriorSpending {
  /** USD the run paid before this session (failed-but-billed attempts included). */
  usd: number;
  /** Samples recorded per orchestrator and what they cost: the expected cost of the next sample. */
  samples?: ReadonlyMap<string, { n: number; usd: number }>;
}
