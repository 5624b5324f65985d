import type { OrchestratorMember } from '../orchestrators/member.js';
import {
  CallFailed,
  type CallOutput,
  OrchestrationError,
  type Orchestrator,
  type OrchestratorContext,
} from '../orchestrators/types.js';
import { countProvenance, dominantProvenance, type Provenance } from '../providers/provenance.js';
import { type ChatMessage, ProviderError } from '../providers/types.js';
import { addUsage, ZERO_USAGE } from '../providers/usage.js';
import type { CallEvent, TraceEvent } from '../store/records.js';
import { type EventHead, nestedEndpoint, nestedRunEvent } from './trace-events.js';

/** One level of nesting: the sample's orchestrator (depth 0), or a nested run of an orchestrator member. */
export interface Level {
  depth: number;
  /** The call to the orchestrator member that started this run; null at the top. */
  parentStep: number | null;
  /** Keeps an event here and in every enclosing level. */
  record(event: TraceEvent): void;
}

export interface NestedRunDeps {
  /** The run's orchestrators by id. */
  orchestrators: ReadonlyMap<string, Orchestrator> | undefined;
  /** The `ctx` of a run at this level: the sample's own, one level deeper. */
  contextAt(level: Level, randomLabel: string): OrchestratorContext;
  /** The sample's orchestrator: nested runs draw their randomness under its label. */
  orchestratorId: string;
  seed: number;
  redact: (text: string) => string;
  /** The provenance of a nested run that made no model call: the answers the sample's pool gives. */
  poolProvenance: Provenance;
}

/**
 * A call to an orchestrator member: that orchestrator solves the sample's task again one level
 * deeper, through a `ctx` sharing the sample's step numbers, budget, cache and trace. It gets the task,
 * not the call's messages (an orchestrator takes a task, not a transcript), so it does not see the
 * caller's earlier outputs; the messages stay on this call's trace event, which sums the nested run.
 */
export async function runNested(
  deps: NestedRunDeps,
  level: Level,
  member: OrchestratorMember,
  messages: ChatMessage[],
  head: EventHead,
): Promise<CallOutput> {
  const orchestrator = deps.orchestrators?.get(member.orchestrator);
  if (!orchestrator)
    throw new Error(
      `pool member ${member.id} runs orchestrator '${member.orchestrator}', which this run did not build`,
    );
  const inner: TraceEvent[] = [];
  const child: Level = {
    depth: level.depth + 1,
    parentStep: head.step,
    record: (e) => {
      inner.push(e);
      level.record(e);
    },
  };
  let answer: string | null = null;
  let failure: unknown;
  let meta: Record<string, unknown> = {};
  try {
    const solution = await orchestrator.solve(deps.contextAt(child, `${deps.orchestratorId}/${head.step}`));
    answer = solution.answer;
    meta = solution.meta;
  } catch (err) {
    failure = err;
  }
  const calls = inner.filter((e): e is CallEvent => e.kind === 'call');
  const endedAt = Date.now();
  const reason = failure === undefined ? null : failure instanceof Error ? failure.message : String(failure);
  level.record(
    nestedRunEvent(head, {
      endpoint: nestedEndpoint(member.orchestrator),
      request: { messages, params: member.params, seed: deps.seed },
      response: answer,
      endedAt,
      latencyMs: endedAt - head.startedAt,
      provenance: calls.length > 0 ? dominantProvenance(countProvenance(calls)) : deps.poolProvenance,
      error: reason === null ? null : deps.redact(`nested: ${reason}`),
      nestedOrchestrator: member.orchestrator,
      calls: calls.length,
      meta,
      summedUsage: calls.reduce((u, e) => addUsage(u, e.usage), ZERO_USAGE),
      summedCostUsd: calls.reduce((sum, e) => sum + e.costUsd, 0),
    }),
  );
  // A nested run that failed is a failed call to the caller (as an endpoint answering 500 would be);
  // budget stops and faults of the run itself keep their meaning.
  if (failure instanceof CallFailed || failure instanceof OrchestrationError) {
    throw new CallFailed(new ProviderError('server', `nested ${member.orchestrator} failed: ${reason}`));
  }
  if (failure !== undefined) throw failure;
  return { step: head.step, agentId: member.id, text: answer ?? '' };
}
