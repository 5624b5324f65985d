import { createHash } from 'node:crypto';
import type { PricedPoolMember } from '../config/load.js';
import type { CallMeta, CallOutput, OrchestratorContext } from '../orchestrators/types.js';
import { costUsd } from '../providers/cost.js';
import type { CassetteAttempt, CassetteWriter } from '../providers/replay/cassette.js';
import {
  type ChatMessage,
  type Completion,
  type Provider,
  ProviderError,
  type Usage,
} from '../providers/types.js';
import { addUsage, ZERO_USAGE } from '../providers/usage.js';
import type { Task } from '../suites/types.js';
import type { AdaptiveLimiter } from './aimd.js';
import {
  BudgetExhausted,
  type BudgetGuard,
  callCostBound,
  outputTokenBound,
  promptTokenBound,
} from './budget.js';
import { mulberry32, seedFrom } from './random.js';
import { type RetryPolicy, withRetries } from './retry.js';
import type { AttemptRecord, TraceEvent } from './types.js';

export { BudgetExhausted } from './budget.js';

export interface ResponseCache {
  cachedResponse(key: string): Completion | undefined;
  cacheResponse(key: string, completion: Completion): void;
}

/** A call that failed after its retries: the sample is recorded as an error, never as a wrong answer. */
export class CallFailed extends Error {
  override name = 'CallFailed';
  constructor(readonly error: ProviderError) {
    super(`${error.kind}: ${error.message}`);
  }
}

export interface SampleContextDeps {
  sampleId: string;
  orchestratorId: string;
  task: Task;
  pool: readonly PricedPoolMember[];
  seed: number;
  clients: ReadonlyMap<string, Provider>;
  /** Adaptive concurrency per provider endpoint, by agent id. */
  limiters: ReadonlyMap<string, AdaptiveLimiter>;
  cache: ResponseCache;
  retry: RetryPolicy & { requestTimeoutMs: number };
  budget: BudgetGuard;
  /** Output tokens assumed for budget bounds when an agent sets no maxTokens. */
  assumeMaxOutputTokens: number;
  /** Scrubs credentials from text about to be stored (error messages may quote a request). */
  redact: (text: string) => string;
  cassette?: CassetteWriter | undefined;
  /** What a replayed call's trace must repeat from the recording: its timing and each attempt's concurrency limit. */
  recorded?: RecordedCalls | undefined;
  sampleStartedAt: number;
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
}

/** Builds the `ctx` an orchestrator gets for one sample: the only door to the models. */
export function createSampleContext(deps: SampleContextDeps): SampleContext {
  const poolById = new Map(deps.pool.map((a) => [a.id, a]));
  const random = mulberry32(seedFrom(deps.seed, deps.orchestratorId));
  const backoffRandom = mulberry32(seedFrom(deps.seed, 'backoff'));
  const occurrences = new Map<string, number>();
  const events: TraceEvent[] = [];
  let nextStep = 0;
  let cut = false;

  async function call(agentId: string, messages: ChatMessage[], meta: CallMeta): Promise<CallOutput> {
    const agent = poolById.get(agentId);
    const client = deps.clients.get(agentId);
    const limiter = deps.limiters.get(agentId);
    if (!agent || !client || !limiter)
      throw new Error(`orchestrator ${deps.orchestratorId} called unknown agent '${agentId}'`);
    const step = nextStep++;
    const identity = hash([agentIdentity(agent), messages]);
    const occurrence = occurrences.get(identity) ?? 0;
    occurrences.set(identity, occurrence + 1);
    // Identical requests within a sample (votes, resampled plans) get distinct, reproducible seeds.
    const seed = seedFrom(deps.seed, occurrence);
    // Keyed by sample too: each sample pays for its own calls, as it would if run alone.
    const key = hash([deps.sampleId, identity, seed]);
    // The cassette names a call by what a third party can check: sample, agent, model, parameters, messages, seed.
    const callKey = hash([deps.sampleId, agentId, agent.model, agent.params, messages, seed]);
    const request = { messages, params: agent.params, seed };
    const startedAt = Date.now();
    const base = {
      sampleId: deps.sampleId,
      step,
      parentStep: meta.parentStep ?? null,
      orchestrator: deps.orchestratorId,
      agentId,
      provider: agent.provider,
      endpoint: client.endpoint,
      model: agent.model,
      role: meta.role,
      subtask: meta.subtask ?? null,
      visibleSteps: meta.visibleSteps ?? [],
      request,
      startedAt,
    };
    const cached = deps.cache.cachedResponse(key);
    if (cached) {
      events.push({
        ...base,
        response: cached.text,
        usage: cached.usage,
        costUsd: costUsd(cached.usage, agent.price),
        endedAt: Date.now(),
        latencyMs: cached.latencyMs,
        cached: true,
        attempts: 0,
        attemptErrors: [],
        attemptLog: [],
        error: null,
      });
      return { step, agentId, text: cached.text };
    }

    const worstUsd = callCostBound(
      agent,
      promptTokenBound(messages),
      outputTokenBound(agent, deps.assumeMaxOutputTokens),
    );
    const attemptLog: AttemptRecord[] = [];
    const recorded: CassetteAttempt[] = [];
    let billed: Usage = ZERO_USAGE;
    let spent = 0;
    const finish = (outcome: { completion?: Completion; error?: ProviderError }) => {
      const timing = deps.recorded?.callTiming(callKey);
      const eventStart = timing ? deps.sampleStartedAt + timing.offsetMs : startedAt;
      const endedAt = timing ? eventStart + timing.durationMs : Date.now();
      const error = outcome.error ? deps.redact(`${outcome.error.kind}: ${outcome.error.message}`) : null;
      events.push({
        ...base,
        startedAt: eventStart,
        response: outcome.completion?.text ?? null,
        usage: billed,
        costUsd: spent,
        endedAt,
        latencyMs: outcome.completion?.latencyMs ?? endedAt - eventStart,
        cached: false,
        attempts: attemptLog.length,
        attemptErrors: attemptLog.filter((a) => a.outcome !== 'ok').map((a) => `${a.outcome}: ${a.message}`),
        attemptLog,
        error,
      });
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
      // Each attempt may be billed, so each one must fit under the budget on its own.
      const reservation = deps.budget.beginCall(deps.sampleId, worstUsd);
      const ticket = await limiter.acquire();
      const limit = deps.recorded?.concurrencyLimit(callKey, n) ?? ticket.limit;
      const t0 = performance.now();
      try {
        const completion = await client.complete({
          model: agent.model,
          messages,
          params: agent.params,
          seed,
          signal: AbortSignal.timeout(deps.retry.requestTimeoutMs),
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
        recorded.push({ ok: true, ...completion, concurrencyLimit: limit });
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
      deps.cache.cacheResponse(key, completion);
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

  return {
    ctx: { task: deps.task, pool: deps.pool, random, call },
    events: () => [...events].sort((a, b) => a.step - b.step),
    cutByBudget: () => cut,
  };
}

/** What determines a pool member's answers: everything but its name, description and price. */
function agentIdentity(agent: PricedPoolMember): unknown {
  const { id: _id, description: _description, price: _price, ...rest } = agent;
  return rest;
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
