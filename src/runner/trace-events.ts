import { ORCHESTRATOR_PROVIDER } from '../orchestrators/member.js';
import type { Provenance } from '../providers/provenance.js';
import type { CachedCompletion } from '../providers/types.js';
import { ZERO_USAGE } from '../providers/usage.js';
import type { CallEvent, NestedRunEvent, TraceEvent } from '../store/records.js';
import type { SentCall } from './attempts.js';

/** The fields of a trace event known when the call starts. */
export type EventHead = Pick<
  TraceEvent,
  | 'sampleId'
  | 'step'
  | 'depth'
  | 'parentStep'
  | 'orchestrator'
  | 'agentId'
  | 'provider'
  | 'model'
  | 'role'
  | 'subtask'
  | 'visibleSteps'
  | 'startedAt'
>;
/** The rest of a model call's event, known once it is over. */
export type CallOutcome = Omit<CallEvent, keyof EventHead | 'kind'>;
/** The rest of a nested run's event, known once the run is over. */
export type NestedRunOutcome = Omit<NestedRunEvent, keyof EventHead | 'kind'>;

/**
 * A model call's event, spelled out field by field: built as `{ ...head, endpoint, … }`, an event cost
 * ~13 µs to create on Node 20 (V8 takes a slow path for each property added after a spread; ~0.05 µs
 * spelled out), which bench:runner profiles showed as 2% of a run's CPU. `startedAt` differs from the
 * head's only for a replayed call (the recorded start).
 */
export function callEvent(head: EventHead, outcome: CallOutcome, startedAt = head.startedAt): CallEvent {
  return {
    kind: 'call',
    sampleId: head.sampleId,
    step: head.step,
    depth: head.depth,
    parentStep: head.parentStep,
    orchestrator: head.orchestrator,
    agentId: head.agentId,
    provider: head.provider,
    model: head.model,
    role: head.role,
    subtask: head.subtask,
    visibleSteps: head.visibleSteps,
    startedAt,
    endpoint: outcome.endpoint,
    request: outcome.request,
    response: outcome.response,
    usage: outcome.usage,
    costUsd: outcome.costUsd,
    endedAt: outcome.endedAt,
    latencyMs: outcome.latencyMs,
    cached: outcome.cached,
    provenance: outcome.provenance,
    attempts: outcome.attempts,
    attemptErrors: outcome.attemptErrors,
    attemptLog: outcome.attemptLog,
    error: outcome.error,
  };
}

export function nestedRunEvent(head: EventHead, outcome: NestedRunOutcome): NestedRunEvent {
  return {
    kind: 'nested',
    sampleId: head.sampleId,
    step: head.step,
    depth: head.depth,
    parentStep: head.parentStep,
    orchestrator: head.orchestrator,
    agentId: head.agentId,
    provider: head.provider,
    model: head.model,
    role: head.role,
    subtask: head.subtask,
    visibleSteps: head.visibleSteps,
    startedAt: head.startedAt,
    endpoint: outcome.endpoint,
    request: outcome.request,
    response: outcome.response,
    endedAt: outcome.endedAt,
    latencyMs: outcome.latencyMs,
    provenance: outcome.provenance,
    error: outcome.error,
    nestedOrchestrator: outcome.nestedOrchestrator,
    calls: outcome.calls,
    meta: outcome.meta,
    summedUsage: outcome.summedUsage,
    summedCostUsd: outcome.summedCostUsd,
  };
}

/** Where a model call went and with what, whether it was sent or answered from the cache. */
export interface CallTarget {
  endpoint: string;
  request: TraceEvent['request'];
  /** Where its answer came from (a cached one: where the call that bought it got it). */
  provenance: Provenance;
}

/**
 * A call answered from a response cache: nothing sent, nothing paid this time; `costUsd` is the
 * answer's cost. From the shared cache, it says which run bought the answer, when, for how much.
 */
export function cachedCallEvent(
  head: EventHead,
  target: CallTarget,
  cached: CachedCompletion,
  costUsd: number,
): CallEvent {
  const event = callEvent(head, {
    endpoint: target.endpoint,
    request: target.request,
    response: cached.text,
    usage: cached.usage,
    costUsd,
    endedAt: Date.now(),
    latencyMs: cached.latencyMs,
    cached: true,
    // The call that bought the answer says where it came from (older cache entries: this client).
    provenance: cached.provenance ?? target.provenance,
    attempts: 0,
    attemptErrors: [],
    attemptLog: [],
    error: null,
  });
  if (cached.sharedCache) event.sharedCache = cached.sharedCache;
  return event;
}

/** A sent call: its attempts, what they were billed, the answer or the last error (redacted). */
export function sentCallEvent(
  head: EventHead,
  target: CallTarget,
  sent: SentCall,
  timing: { startedAt: number; endedAt: number },
  redact: (text: string) => string,
): CallEvent {
  const attemptLog = sent.attempts.map((a) => a.record);
  return callEvent(
    head,
    {
      endpoint: target.endpoint,
      request: target.request,
      response: sent.completion?.text ?? null,
      usage: sent.usage,
      costUsd: sent.costUsd,
      endedAt: timing.endedAt,
      latencyMs: sent.completion?.latencyMs ?? timing.endedAt - timing.startedAt,
      cached: false,
      provenance: target.provenance,
      attempts: attemptLog.length,
      attemptErrors: attemptLog.filter((a) => a.outcome !== 'ok').map((a) => `${a.outcome}: ${a.message}`),
      attemptLog,
      error: sent.error ? redact(`${sent.error.kind}: ${sent.error.message}`) : null,
    },
    timing.startedAt,
  );
}

/** A call refused before anything was sent: no tokens, no cost, one error. */
export interface Refusal {
  endpoint: string;
  request: TraceEvent['request'];
  error: string;
  provenance: Provenance;
}

/** A model call refused unsent (an injected outage). */
export function refusedCallEvent(head: EventHead, refusal: Refusal): CallEvent {
  return callEvent(head, {
    ...unsentFields(head, refusal),
    usage: ZERO_USAGE,
    costUsd: 0,
    cached: false,
    attempts: 0,
    attemptErrors: [refusal.error],
    attemptLog: [],
  });
}

/** A call to an orchestrator member refused before its run started (the depth limit, an outage). */
export function refusedNestedRunEvent(
  head: EventHead,
  refusal: Refusal,
  nestedOrchestrator: string,
): NestedRunEvent {
  return nestedRunEvent(head, {
    ...unsentFields(head, refusal),
    nestedOrchestrator,
    calls: 0,
    meta: {},
    summedUsage: ZERO_USAGE,
    summedCostUsd: 0,
  });
}

/** What a refused call's event says, whichever its kind. */
function unsentFields(head: EventHead, refusal: Refusal) {
  return {
    endpoint: refusal.endpoint,
    request: refusal.request,
    response: null,
    endedAt: head.startedAt,
    latencyMs: 0,
    provenance: refusal.provenance,
    error: refusal.error,
  };
}

/** Where a nested run's calls "go": nowhere outside baton (the data egress of its own calls is traced). */
export function nestedEndpoint(orchestratorId: string): string {
  return `baton:${ORCHESTRATOR_PROVIDER}/${orchestratorId}`;
}
