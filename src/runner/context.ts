import { createHash } from 'node:crypto';
import type { PoolMember } from '../config/load.js';
import type { CallMeta, CallOutput, OrchestratorContext } from '../orchestrators/types.js';
import { costUsd } from '../providers/cost.js';
import { type ChatMessage, type Completion, type Provider, ProviderError } from '../providers/types.js';
import type { Task } from '../suites/types.js';
import { mulberry32, seedFrom } from './random.js';
import { type RetryPolicy, withRetries } from './retry.js';
import type { TraceEvent } from './types.js';

export interface ResponseCache {
  cachedResponse(key: string): Completion | undefined;
  cacheResponse(key: string, completion: Completion): void;
}

export interface Spending {
  /** Throws BudgetExhausted when no more money may be spent. */
  check(): void;
  add(usd: number): void;
}

export class BudgetExhausted extends Error {
  override name = 'BudgetExhausted';
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
  pool: readonly PoolMember[];
  seed: number;
  clients: ReadonlyMap<string, Provider>;
  cache: ResponseCache;
  retry: RetryPolicy & { requestTimeoutMs: number };
  spending: Spending;
}

export interface SampleContext {
  ctx: OrchestratorContext;
  /** Trace events so far, in step order. */
  events(): TraceEvent[];
}

/** Builds the `ctx` an orchestrator gets for one sample: the only door to the models. */
export function createSampleContext(deps: SampleContextDeps): SampleContext {
  const poolById = new Map(deps.pool.map((a) => [a.id, a]));
  const random = mulberry32(seedFrom(deps.seed, deps.orchestratorId));
  const backoffRandom = mulberry32(seedFrom(deps.seed, 'backoff'));
  const occurrences = new Map<string, number>();
  const events: TraceEvent[] = [];
  let nextStep = 0;

  async function call(agentId: string, messages: ChatMessage[], meta: CallMeta): Promise<CallOutput> {
    const agent = poolById.get(agentId);
    const client = deps.clients.get(agentId);
    if (!agent || !client)
      throw new Error(`orchestrator ${deps.orchestratorId} called unknown agent '${agentId}'`);
    const step = nextStep++;
    const identity = hash([agentIdentity(agent), messages]);
    const occurrence = occurrences.get(identity) ?? 0;
    occurrences.set(identity, occurrence + 1);
    // Identical requests within a sample (votes, resampled plans) get distinct, reproducible seeds.
    const seed = seedFrom(deps.seed, occurrence);
    // Keyed by sample too: each sample pays for its own calls, as it would if run alone.
    const key = hash([deps.sampleId, identity, seed]);
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
        error: null,
      });
      return { step, agentId, text: cached.text };
    }
    const attemptErrors: string[] = [];
    let attempts = 0;
    try {
      const completion = await withRetries(
        deps.retry,
        backoffRandom,
        (n) => {
          deps.spending.check();
          attempts = n;
          return client.complete({
            model: agent.model,
            messages,
            params: agent.params,
            seed,
            signal: AbortSignal.timeout(deps.retry.requestTimeoutMs),
          });
        },
        (error) => attemptErrors.push(`${error.kind}: ${error.message}`),
      );
      deps.cache.cacheResponse(key, completion);
      const cost = costUsd(completion.usage, agent.price);
      deps.spending.add(cost);
      events.push({
        ...base,
        response: completion.text,
        usage: completion.usage,
        costUsd: cost,
        endedAt: Date.now(),
        latencyMs: completion.latencyMs,
        cached: false,
        attempts,
        attemptErrors,
        error: null,
      });
      return { step, agentId, text: completion.text };
    } catch (err) {
      if (err instanceof BudgetExhausted) throw err;
      const error = err instanceof ProviderError ? err : new ProviderError('network', String(err));
      events.push({
        ...base,
        response: null,
        usage: { input: 0, output: 0, reasoning: 0, cachedInput: 0 },
        costUsd: 0,
        endedAt: Date.now(),
        latencyMs: Date.now() - startedAt,
        cached: false,
        attempts,
        attemptErrors,
        error: `${error.kind}: ${error.message}`,
      });
      throw new CallFailed(error);
    }
  }

  return {
    ctx: { task: deps.task, pool: deps.pool, random, call },
    events: () => [...events].sort((a, b) => a.step - b.step),
  };
}

/** What determines a pool member's answers: everything but its name, description and price. */
function agentIdentity(agent: PoolMember): unknown {
  const { id: _id, description: _description, price: _price, ...rest } = agent;
  return rest;
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
