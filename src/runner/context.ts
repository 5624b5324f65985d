import { hash as digest } from 'node:crypto';
import type { PricedPoolMember } from '../config/load.js';
import {
  isOrchestratorMember,
  isRollup,
  ORCHESTRATOR_PROVIDER,
  type OrchestratorMember,
} from '../orchestrators/member.js';
import {
  CallFailed,
  type CallMeta,
  type CallOutput,
  OrchestrationError,
  type Orchestrator,
  type OrchestratorContext,
} from '../orchestrators/types.js';
import { costUsd } from '../providers/cost.js';
import {
  countProvenance,
  dominantProvenance,
  type Provenance,
  provenanceOf,
} from '../providers/provenance.js';
import type { CassetteAttempt, CassetteWriter } from '../providers/replay/cassette.js';
import {
  type CachedCompletion,
  type ChatMessage,
  type Completion,
  type Provider,
  ProviderError,
  type Usage,
} from '../providers/types.js';
import { addUsage, ZERO_USAGE } from '../providers/usage.js';
import type { AnswerReader } from '../scoring/types.js';
import type { AttemptRecord, TraceEvent } from '../store/records.js';
import type { Task } from '../suites/types.js';
import { lazyMulberry32, seedFrom } from '../util/random.js';
import type { AdaptiveLimiter } from './aimd.js';
import {
  BudgetExhausted,
  type BudgetGuard,
  callCostBound,
  outputTokenBound,
  promptTokenBound,
} from './budget.js';
import { type RetryPolicy, withRetries } from './retry.js';

export { CallFailed } from '../orchestrators/types.js';
export { BudgetExhausted } from './budget.js';

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

/** One level of nesting: the sample's orchestrator (depth 0), or a nested run of an orchestrator member. */
interface Level {
  depth: number;
  /** The call to the orchestrator member that started this run; null at the top. */
  parentStep: number | null;
  /** Keeps an event here and in every enclosing level. */
  record(event: TraceEvent): void;
}

/**
 * Builds the `ctx` an orchestrator gets for one sample: the only door to the models. A call to an
 * orchestrator member runs that orchestrator on the same task through a nested `ctx` sharing this
 * sample's step numbers, budget, cache and trace (see `nestedCall`).
 */
export function createSampleContext(deps: SampleContextDeps): SampleContext {
  const poolById = new Map(deps.pool.map((a) => [a.id, a]));
  const backoffRandom = lazyMulberry32(deps.seed, 'backoff');
  const occurrences = new Map<string, number>();
  const events: TraceEvent[] = [];
  /** What a call that reached no client stands for: the answers this sample's pool gives. */
  const poolProvenance = dominantProvenance(
    countProvenance([...deps.clients.values()].map((c) => ({ provenance: provenanceOf(c) }))),
  );
  let nextStep = 0;
  let cut = false;
  let stopped = false;
  const refuseIfStopping = (): void => {
    if (!deps.stop?.aborted) return;
    stopped = true;
    throw new RunStopped();
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
    const step = nextStep++;
    const startedAt = Date.now();
    const head = {
      sampleId: deps.sampleId,
      step,
      depth: level.depth,
      parentStep: meta.parentStep ?? level.parentStep,
      orchestrator: deps.orchestratorId,
      agentId,
      provider: agent.provider,
      model: agent.model,
      role: meta.role,
      subtask: meta.subtask ?? null,
      visibleSteps: meta.visibleSteps ?? [],
      startedAt,
    };
    const refusal =
      isOrchestratorMember(agent) && level.depth >= agent.maxDepth
        ? `recursion depth limit: ${agentId} runs at most ${agent.maxDepth} nested levels`
        : deps.unavailable?.(agentId);
    if (refusal !== undefined) {
      // Nothing was sent: the call is traced as failed, and orchestrators that can route around it do.
      const refused = deps.clients.get(agentId);
      level.record(
        traceEvent(
          head,
          unsentOutcome(
            refused?.endpoint ?? nestedEndpoint(agentId),
            { messages, params: agent.params, seed: deps.seed },
            startedAt,
            `unavailable: ${refusal}`,
            refused ? provenanceOf(refused) : poolProvenance,
          ),
        ),
      );
      throw new CallFailed(new ProviderError('unavailable', refusal));
    }
    if (isOrchestratorMember(agent)) return nestedCall(level, agent, messages, head);

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
    const cached = deps.cache.cachedResponse(key);
    if (cached) {
      level.record(
        traceEvent(head, {
          endpoint: client.endpoint,
          request,
          response: cached.text,
          usage: cached.usage,
          costUsd: costUsd(cached.usage, agent.price),
          endedAt: Date.now(),
          latencyMs: cached.latencyMs,
          cached: true,
          // The call that bought the answer says where it came from (older cache entries: this client).
          provenance: cached.provenance ?? provenance,
          attempts: 0,
          attemptErrors: [],
          attemptLog: [],
          error: null,
        }),
      );
      return { step, agentId, text: cached.text };
    }

    const worstUsd = callCostBound(
      agent,
      promptTokenBound(messages),
      outputTokenBound(agent, deps.assumeMaxOutputTokens),
    );
    const attemptLog: AttemptRecord[] = [];
    /** Each attempt as the cassette keeps it (only when recording). */
    const recorded: CassetteAttempt[] = [];
    let billed: Usage = ZERO_USAGE;
    let spent = 0;
    const finish = (outcome: { completion?: Completion; error?: ProviderError }) => {
      const timing = deps.recorded?.callTiming(callKey);
      const eventStart = timing ? deps.sampleStartedAt + timing.offsetMs : startedAt;
      const endedAt = timing ? eventStart + timing.durationMs : Date.now();
      const error = outcome.error ? deps.redact(`${outcome.error.kind}: ${outcome.error.message}`) : null;
      level.record(
        traceEvent(
          head,
          {
            endpoint: client.endpoint,
            request,
            response: outcome.completion?.text ?? null,
            usage: billed,
            costUsd: spent,
            endedAt,
            latencyMs: outcome.completion?.latencyMs ?? endedAt - eventStart,
            cached: false,
            provenance,
            attempts: attemptLog.length,
            attemptErrors: attemptLog
              .filter((a) => a.outcome !== 'ok')
              .map((a) => `${a.outcome}: ${a.message}`),
            attemptLog,
            error,
          },
          eventStart,
        ),
      );
      deps.cassette?.write({
        type: 'call',
        key: callKey,
        sampleId: deps.sampleId,
        agentId,
        provider: agent.provider,
        endpoint: client.endpoint,
        simulated: client.simulated,
        model: agent.model,
        request: { messages, params: { ...agent.params }, seed },
        attempts: recorded,
        offsetMs: eventStart - deps.sampleStartedAt,
        durationMs: endedAt - eventStart,
      });
    };

    const attempt = async (n: number): Promise<Completion> => {
      // A retry is a new request: none once the run is stopping.
      if (n > 1) refuseIfStopping();
      // Each attempt may be billed, so each one must fit under the budget on its own.
      const reservation = deps.budget.beginCall(deps.sampleId, worstUsd);
      const ticket = await limiter.acquire();
      // The run may have stopped while this call queued for its endpoint: it is not sent.
      if (deps.stop?.aborted) {
        limiter.release(ticket, 'other');
        reservation.settle(0);
        refuseIfStopping();
      }
      const limit = deps.recorded?.concurrencyLimit(callKey, n) ?? ticket.limit;
      const t0 = performance.now();
      // No timer here: every client applies the request timeout as its transport timeout.
      try {
        const completion = await client.complete({
          model: agent.model,
          messages,
          params: agent.params,
          seed,
          callKey,
          attempt: n,
        });
        const usd = costUsd(completion.usage, agent.price);
        limiter.release(ticket, 'success');
        reservation.settle(usd);
        billed = addUsage(billed, completion.usage);
        spent += usd;
        attemptLog.push({
          attempt: n,
          outcome: 'ok',
          usage: completion.usage,
          costUsd: usd,
          latencyMs: completion.latencyMs,
          waitMs: 0,
          concurrencyLimit: limit,
        });
        if (deps.cassette) recorded.push({ ok: true, ...completion, concurrencyLimit: limit });
        return completion;
      } catch (err) {
        const usd = err instanceof ProviderError && err.usage ? costUsd(err.usage, agent.price) : 0;
        limiter.release(
          ticket,
          err instanceof ProviderError && err.kind === 'rate_limit' ? 'rate_limit' : 'other',
        );
        reservation.settle(usd);
        if (err instanceof ProviderError) {
          if (err.usage) billed = addUsage(billed, err.usage);
          spent += usd;
          const latencyMs = err.latencyMs ?? performance.now() - t0;
          attemptLog.push({
            attempt: n,
            outcome: err.kind,
            message: deps.redact(err.message),
            usage: err.usage ?? null,
            costUsd: usd,
            latencyMs,
            ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
            waitMs: 0,
            concurrencyLimit: limit,
          });
          if (deps.cassette)
            recorded.push({
              ok: false,
              concurrencyLimit: limit,
              kind: err.kind,
              message: deps.redact(err.message),
              latencyMs,
              ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
              ...(err.usage ? { usage: err.usage } : {}),
              ...(err.raw === undefined ? {} : { raw: err.raw }),
            });
        }
        throw err;
      }
    };

    try {
      const completion = await withRetries(
        deps.retry,
        backoffRandom,
        attempt,
        (_error, n, waitMs) => {
          const record = attemptLog[n - 1];
          if (record) record.waitMs = waitMs;
        },
        // A replay has nothing to wait for: the recorded waits are in the trace already.
        client.recorded ? async () => {} : undefined,
      );
      const { text, usage, latencyMs } = completion;
      deps.cache.cacheResponse(key, {
        text,
        usage,
        latencyMs,
        provenance,
        // What the call paid (failed-but-billed attempts included; a replay pays nothing): a resume
        // counts it against the budget even if the sample it belonged to was never recorded.
        costUsd: client.recorded ? 0 : spent,
      });
      finish({ completion });
      return { step, agentId, text: completion.text };
    } catch (err) {
      // Budget stops and replay gaps are not provider failures: they end the sample (or the run) unrecorded.
      if (err instanceof BudgetExhausted) cut = true;
      if (err instanceof BudgetExhausted || !(err instanceof ProviderError)) throw err;
      finish({ error: err });
      throw new CallFailed(err);
    }
  }

  /**
   * A call to an orchestrator member: that orchestrator solves the sample's task again one level
   * deeper. It gets the task, not the call's messages (an orchestrator takes a task, not a transcript),
   * so it does not see the caller's earlier outputs; the messages stay on this call's trace event.
   * The event's usage and cost are the sums of the nested run's calls, which sample totals skip.
   */
  async function nestedCall(
    level: Level,
    member: OrchestratorMember & PricedPoolMember,
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
    let nestedMeta: Record<string, unknown> = {};
    try {
      const solution = await orchestrator.solve(contextAt(child, `${deps.orchestratorId}/${head.step}`));
      answer = solution.answer;
      nestedMeta = solution.meta;
    } catch (err) {
      failure = err;
    }
    const children = inner.filter((e) => e.depth === child.depth);
    const calls = inner.filter((e) => !isRollup(e));
    const endedAt = Date.now();
    const reason =
      failure === undefined ? null : failure instanceof Error ? failure.message : String(failure);
    const event = traceEvent(head, {
      endpoint: nestedEndpoint(member.orchestrator),
      request: { messages, params: member.params, seed: deps.seed },
      response: answer,
      usage: children.reduce((u, e) => addUsage(u, e.usage), ZERO_USAGE),
      costUsd: children.reduce((sum, e) => sum + e.costUsd, 0),
      endedAt,
      latencyMs: endedAt - head.startedAt,
      cached: false,
      provenance: calls.length > 0 ? dominantProvenance(countProvenance(calls)) : poolProvenance,
      attempts: 0,
      attemptErrors: reason === null ? [] : [reason],
      attemptLog: [],
      error: reason === null ? null : deps.redact(`nested: ${reason}`),
    });
    event.nested = {
      orchestrator: member.orchestrator,
      calls: calls.length,
      meta: nestedMeta,
    };
    level.record(event);
    // A nested run that failed is a failed call to the caller (as an endpoint answering 500 would be);
    // budget stops and faults of the run itself keep their meaning.
    if (failure instanceof CallFailed || failure instanceof OrchestrationError) {
      throw new CallFailed(new ProviderError('server', `nested ${member.orchestrator} failed: ${reason}`));
    }
    if (failure !== undefined) throw failure;
    return { step: head.step, agentId: member.id, text: answer ?? '' };
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

/** Fields of a trace event known only once the call is over (or, for the endpoint, once it is routed). */
type NotYetKnown =
  | 'endpoint'
  | 'request'
  | 'response'
  | 'usage'
  | 'costUsd'
  | 'endedAt'
  | 'latencyMs'
  | 'cached'
  | 'provenance'
  | 'attempts'
  | 'attemptErrors'
  | 'attemptLog'
  | 'error'
  | 'nested';

/** Where a nested run's calls "go": nowhere outside baton (the data egress of its own calls is traced). */
function nestedEndpoint(orchestratorId: string): string {
  return `baton:${ORCHESTRATOR_PROVIDER}/${orchestratorId}`;
}

/** The fields of a trace event known when the call starts. */
type EventHead = Omit<TraceEvent, NotYetKnown>;
/** The rest of a trace event (a nested run's summary is added by `nestedCall`). */
type EventOutcome = Omit<Pick<TraceEvent, NotYetKnown>, 'nested'>;

/**
 * A trace event, spelled out field by field: built as `{ ...head, endpoint, … }`, an event cost ~13 µs
 * to create on Node 20 (V8 takes a slow path for each property added after a spread; ~0.05 µs spelled
 * out), which bench:runner profiles showed as 2% of a run's CPU. `startedAt` differs from the head's
 * only for a replayed call (the recorded start).
 */
function traceEvent(head: EventHead, outcome: EventOutcome, startedAt = head.startedAt): TraceEvent {
  return {
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

/** The outcome of a call refused before anything was sent: no tokens, no cost, one error. */
function unsentOutcome(
  endpoint: string,
  request: TraceEvent['request'],
  startedAt: number,
  error: string,
  provenance: Provenance,
): EventOutcome {
  return {
    endpoint,
    request,
    response: null,
    usage: ZERO_USAGE,
    costUsd: 0,
    endedAt: startedAt,
    latencyMs: 0,
    cached: false,
    provenance,
    attempts: 0,
    attemptErrors: [error],
    attemptLog: [],
    error,
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
