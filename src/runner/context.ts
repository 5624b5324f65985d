import { hash as digest } from 'node:crypto';
import type { PricedPoolMember } from '../config/load.js';
import { isOrchestratorMember } from '../orchestrators/member.js';
import {
  CallFailed,
  type CallMeta,
  type CallOutput,
  type Orchestrator,
  type OrchestratorContext,
} from '../orchestrators/types.js';
import { costUsd } from '../providers/cost.js';
import { countProvenance, dominantProvenance, provenanceOf } from '../providers/provenance.js';
import type { CassetteWriter } from '../providers/replay/cassette.js';
import { type CachedCompletion, type ChatMessage, type Provider, ProviderError } from '../providers/types.js';
import type { AnswerReader } from '../scoring/types.js';
import type { TraceEvent } from '../store/records.js';
import type { SharedCache } from '../store/shared-cache.js';
import type { Task } from '../suites/types.js';
import { lazyMulberry32, seedFrom } from '../util/random.js';
import type { AdaptiveLimiter } from './aimd.js';
import { cassetteCall, type OutgoingCall, type SendingDeps, type SentCall, sendCall } from './attempts.js';
import { BudgetExhausted, type BudgetGuard } from './budget.js';
import { type Level, type NestedRunDeps, runNested } from './nested-run.js';
import type { RetryPolicy } from './retry.js';
import {
  cachedCallEvent,
  type EventHead,
  nestedEndpoint,
  refusedCallEvent,
  refusedNestedRunEvent,
  sentCallEvent,
} from './trace-events.js';

/**
 * Thrown by `call` once the run is stopping (a signal, a storage failure): no new call, and no retry
 * of a failed one, starts. Like a budget stop it ends the sample unrecorded; a resume redoes it, its
 * answered calls served from the cache.
 */
export class RunStopped extends Error {
  override name = 'RunStopped';
  constructor() {
    super('the run is stopping: no new call starts');
  }
}

export interface ResponseCache {
  cachedResponse(key: string): CachedCompletion | undefined;
  cacheResponse(key: string, completion: CachedCompletion): void;
}

/**
 * The response cache shared across runs, as a run uses it: looked up when the run's own cache misses
 * (unless `read` is false: a recording run must send every call to record it), and given every answer
 * the run buys.
 */
export interface SharedResponses {
  cache: Pick<SharedCache, 'lookup' | 'store'>;
  read: boolean;
  /** The run buying the answers it is given (recorded with them). */
  runId: string;
}

/** What a run's model calls did: sent, or answered from its own store or from the shared cache. */
export interface CallTally {
  /** Calls sent (at least one attempt made). */
  sent: number;
  /** Answered from the run's own store (paid in an earlier session of the run). */
  fromRun: number;
  /** Answered from the shared cache, and what those answers cost (paid by other runs). */
  fromShared: number;
  fromSharedUsd: number;
}

export function newCallTally(): CallTally {
  return { sent: 0, fromRun: 0, fromShared: 0, fromSharedUsd: 0 };
}

export interface SampleContextDeps {
  sampleId: string;
  orchestratorId: string;
  task: Task;
  /** The members this sample may call: an ablation arm's dropped agents are already left out. */
  pool: readonly PricedPoolMember[];
  /** The run's orchestrators by id, for pool members that are orchestrators (nested runs). */
  orchestrators?: ReadonlyMap<string, Orchestrator> | undefined;
  /** Why a call to this agent fails without being sent (an injected outage), or undefined. */
  unavailable?: ((agentId: string) => string | undefined) | undefined;
  seed: number;
  clients: ReadonlyMap<string, Provider>;
  /** Adaptive concurrency per provider endpoint, by agent id. */
  limiters: ReadonlyMap<string, AdaptiveLimiter>;
  cache: ResponseCache;
  /** The cache shared across runs, behind `cache`; undefined when off (--no-cache, a replay, a queue worker). */
  shared?: SharedResponses | undefined;
  /** Counts this sample's calls by where their answer came from (shared by the run's samples). */
  tally?: CallTally | undefined;
  retry: RetryPolicy;
  budget: BudgetGuard;
  /** Output tokens assumed for budget bounds when an agent sets no maxTokens. */
  assumeMaxOutputTokens: number;
  /** Scrubs credentials from text about to be stored (error messages may quote a request). */
  redact: (text: string) => string;
  cassette?: CassetteWriter | undefined;
  /** What a replayed call's trace must repeat from the recording: its timing and each attempt's concurrency limit. */
  recorded?: RecordedCalls | undefined;
  sampleStartedAt: number;
  /** The scorer's reading of answers, handed to orchestrators that compare answers (votes). */
  answers: AnswerReader;
  /** Aborted when the run stops (SIGINT/SIGTERM, a failed write): calls in flight finish, none starts. */
  stop?: AbortSignal | undefined;
}

export interface RecordedCalls {
  callTiming(callKey: string): { offsetMs: number; durationMs: number } | undefined;
  concurrencyLimit(callKey: string, attempt: number): number | undefined;
}

export interface SampleContext {
  ctx: OrchestratorContext;
  /** Trace events so far, in step order. */
  events(): TraceEvent[];
  /**
   * True when the budget refused one of this sample's calls. Orchestrators may tolerate failed calls
   * (a Fusion panel), so the sample's outcome would not be what an unconstrained run gives: it is
   * left unrecorded for a resume to redo.
   */
  cutByBudget(): boolean;
  /** True when the run's stop refused one of this sample's calls: the sample is left unrecorded. */
  cutByStop(): boolean;
  /**
   * Resolves once every call this sample started has ended. A sample cut short (a budget refusal in
   * one branch of a parallel panel) must still let its siblings' responses reach the cache, or a
   * resume would pay for them again.
   */
  settled(): Promise<void>;
}

/**
 * Builds the `ctx` an orchestrator gets for one sample: the only door to the models. Each call is
 * answered from the cache, sent (see attempts.ts) or, for an orchestrator member, run nested (see
 * nested-run.ts); either way it is traced as one event.
 */
export function createSampleContext(deps: SampleContextDeps): SampleContext {
  const poolById = new Map(deps.pool.map((a) => [a.id, a]));
  const occurrences = new Map<string, number>();
  const events: TraceEvent[] = [];
  let nextStep = 0;
  let cut = false;
  let stopped = false;
  const refuseIfStopping = (): void => {
    if (!deps.stop?.aborted) return;
    stopped = true;
    throw new RunStopped();
  };
  const sending: SendingDeps = {
    sampleId: deps.sampleId,
    budget: deps.budget,
    retry: deps.retry,
    backoffRandom: lazyMulberry32(deps.seed, 'backoff'),
    assumeMaxOutputTokens: deps.assumeMaxOutputTokens,
    redact: deps.redact,
    stop: deps.stop,
    refuseIfStopping,
  };
  const nesting: NestedRunDeps = {
    orchestrators: deps.orchestrators,
    contextAt,
    orchestratorId: deps.orchestratorId,
    seed: deps.seed,
    redact: deps.redact,
    // What a call that reached no client stands for: the answers this sample's pool gives.
    poolProvenance: dominantProvenance(
      countProvenance([...deps.clients.values()].map((c) => ({ provenance: provenanceOf(c) }))),
    ),
  };

  function contextAt(level: Level, randomLabel: string): OrchestratorContext {
    // At its depth limit an orchestrator member leaves the pool: planners stop offering it.
    const pool = deps.pool.filter((a) => !isOrchestratorMember(a) || level.depth < a.maxDepth);
    return {
      task: deps.task,
      pool,
      random: lazyMulberry32(deps.seed, randomLabel),
      answers: deps.answers,
      call: (agentId, messages, meta) => track(call(level, agentId, messages, meta)),
    };
  }

  const inFlight = new Set<Promise<unknown>>();
  function track<T>(pending: Promise<T>): Promise<T> {
    const forget = (): void => {
      inFlight.delete(settled);
    };
    const settled: Promise<void> = pending.then(forget, forget);
    inFlight.add(settled);
    return pending;
  }

  async function call(
    level: Level,
    agentId: string,
    messages: ChatMessage[],
    meta: CallMeta,
  ): Promise<CallOutput> {
    refuseIfStopping();
    const agent = poolById.get(agentId);
    if (!agent) {
      throw new Error(
        `orchestrator ${deps.orchestratorId} called '${agentId}', which is not in this sample's pool (unknown or dropped)`,
      );
    }
    const head: EventHead = {
      sampleId: deps.sampleId,
      step: nextStep++,
      depth: level.depth,
      parentStep: meta.parentStep ?? level.parentStep,
      orchestrator: deps.orchestratorId,
      agentId,
      provider: agent.provider,
      model: agent.model,
      role: meta.role,
      subtask: meta.subtask ?? null,
      visibleSteps: meta.visibleSteps ?? [],
      startedAt: Date.now(),
    };
    const refusal =
      isOrchestratorMember(agent) && level.depth >= agent.maxDepth
        ? `recursion depth limit: ${agentId} runs at most ${agent.maxDepth} nested levels`
        : deps.unavailable?.(agentId);
    if (refusal !== undefined) {
      // Nothing was sent: the call is traced as failed, and orchestrators that can route around it do.
      const refused = deps.clients.get(agentId);
      const unsent = {
        endpoint: refused?.endpoint ?? nestedEndpoint(agentId),
        request: { messages, params: agent.params, seed: deps.seed },
        error: `unavailable: ${refusal}`,
        provenance: refused ? provenanceOf(refused) : nesting.poolProvenance,
      };
      level.record(
        isOrchestratorMember(agent)
          ? refusedNestedRunEvent(head, unsent, agent.orchestrator)
          : refusedCallEvent(head, unsent),
      );
      throw new CallFailed(new ProviderError('unavailable', refusal));
    }
    if (isOrchestratorMember(agent)) return runNested(nesting, level, agent, messages, head);
    return modelCall(level, agent, messages, head);
  }

  /**
   * An answer from the shared cache, also kept in the run's store — marked as not paid by this run —
   * so that a resume finds it there first and its budget does not count it.
   */
  function sharedAnswer(key: string, sharedKey: string): CachedCompletion | undefined {
    if (!deps.shared?.read) return undefined;
    const hit = deps.shared.cache.lookup(sharedKey);
    if (!hit) return undefined;
    const { sharedCache: _earlier, ...completion } = hit.completion;
    const answer: CachedCompletion = {
      ...completion,
      costUsd: 0,
      sharedCache: { runId: hit.runId, cachedAt: hit.cachedAt, paidUsd: hit.completion.costUsd ?? 0 },
    };
    deps.cache.cacheResponse(key, answer);
    return answer;
  }

  let world: string | undefined;
  /** What the simulated pool answers this sample from besides the request: the task and the pool. */
  function simulatedWorld(): string {
    world ??= hash([deps.task, deps.pool.map(agentIdentity)]);
    return world;
  }

  /**
   * A call to a model: from the run's store when this sample already paid for it, else from the shared
   * cache when another run did, else sent.
   */
  async function modelCall(
    level: Level,
    agent: PricedPoolMember,
    messages: ChatMessage[],
    head: EventHead,
  ): Promise<CallOutput> {
    const { agentId, step } = head;
    const client = deps.clients.get(agentId);
    const limiter = deps.limiters.get(agentId);
    if (!client || !limiter) throw new Error(`no client started for pool member '${agentId}'`);
    const provenance = provenanceOf(client);
    // The messages are serialised and digested once per call; every key below builds on the digest.
    const messagesDigest = hash(messages);
    const identity = hash([agentIdentity(agent), messagesDigest]);
    const occurrence = occurrences.get(identity) ?? 0;
    occurrences.set(identity, occurrence + 1);
    // Identical requests within a sample (votes, resampled plans) get distinct, reproducible seeds.
    const seed = seedFrom(deps.seed, occurrence);
    // Keyed by sample too: each sample pays for its own calls, as it would if run alone.
    const key = hash([deps.sampleId, identity, seed]);
    // The cassette names a call by what a third party can check: sample, agent, model, parameters,
    // sha256 of the JSON messages, seed.
    const callKey = hash([deps.sampleId, agentId, agent.model, agent.params, messagesDigest, seed]);
    const request = { messages, params: agent.params, seed };
    // A simulated member's answer depends on more than its request: the simulated pool reads the
    // task's answer key, and an informed planner every member's skills. Runs share answers only
    // when those are the same too.
    const sharedKey = client.simulated ? hash([key, simulatedWorld()]) : key;
    const cached = deps.cache.cachedResponse(key) ?? sharedAnswer(key, sharedKey);
    if (cached) {
      // The answer's cost at this run's prices, whoever paid it: orchestrators compare on equal terms.
      const usd = costUsd(cached.usage, agent.price);
      if (deps.tally && cached.sharedCache) {
        deps.tally.fromShared++;
        deps.tally.fromSharedUsd += usd;
      } else if (deps.tally) deps.tally.fromRun++;
      level.record(cachedCallEvent(head, { endpoint: client.endpoint, request, provenance }, cached, usd));
      return { step, agentId, text: cached.text };
    }

    const outgoing: OutgoingCall = {
      agent,
      client,
      limiter,
      messages,
      seed,
      callKey,
      recordedLimit: (attempt) => deps.recorded?.concurrencyLimit(callKey, attempt),
    };
    let sent: SentCall;
    try {
      sent = await sendCall(sending, outgoing);
    } catch (err) {
      // Budget stops, a stopping run and replay gaps are not provider failures: they end the sample
      // (or the run) unrecorded.
      if (err instanceof BudgetExhausted) cut = true;
      throw err;
    }
    const { completion, error } = sent;
    if (deps.tally && sent.attempts.length > 0) deps.tally.sent++;
    if (completion) {
      const answer: CachedCompletion = {
        text: completion.text,
        usage: completion.usage,
        latencyMs: completion.latencyMs,
        provenance,
        // What the call paid (failed-but-billed attempts included; a replay pays nothing): a resume
        // counts it against the budget even if the sample it belonged to was never recorded.
        costUsd: client.recorded ? 0 : sent.costUsd,
      };
      deps.cache.cacheResponse(key, answer);
      // Only answers: a failed call, or one refused unsent (an injected outage), is never cached.
      if (deps.shared && !client.recorded)
        deps.shared.cache.store(sharedKey, {
          completion: answer,
          runId: deps.shared.runId,
          provider: agent.provider,
          model: agent.model,
        });
    }
    const timing = deps.recorded?.callTiming(callKey);
    const startedAt = timing ? deps.sampleStartedAt + timing.offsetMs : head.startedAt;
    const endedAt = timing ? startedAt + timing.durationMs : Date.now();
    const sentTo = { endpoint: client.endpoint, request, provenance };
    level.record(sentCallEvent(head, sentTo, sent, { startedAt, endedAt }, deps.redact));
    deps.cassette?.write(
      cassetteCall(deps.sampleId, outgoing, sent, {
        offsetMs: startedAt - deps.sampleStartedAt,
        durationMs: endedAt - startedAt,
      }),
    );
    if (error) throw new CallFailed(error);
    return { step, agentId, text: completion.text };
  }

  const top: Level = { depth: 0, parentStep: null, record: (e) => events.push(e) };
  return {
    ctx: contextAt(top, deps.orchestratorId),
    events: () => [...events].sort((a, b) => a.step - b.step),
    cutByBudget: () => cut,
    cutByStop: () => stopped,
    settled: async () => {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}

/** What determines a pool member's answers: everything but its name, description and price. */
function agentIdentity(agent: PricedPoolMember): unknown {
  const { id: _id, description: _description, price: _price, ...rest } = agent;
  return rest;
}

function hash(value: unknown): string {
  return digest('sha256', JSON.stringify(value));
}
