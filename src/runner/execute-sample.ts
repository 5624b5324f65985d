import type { PricedPoolMember } from '../config/load.js';
import { CallFailed, OrchestrationError, type Orchestrator } from '../orchestrators/types.js';
import { countProvenance } from '../providers/provenance.js';
import type { CassetteWriter } from '../providers/replay/cassette.js';
import type { Sandbox } from '../sandbox/types.js';
import type { Scorer } from '../scoring/types.js';
import { sampleFailure } from '../store/error-causes.js';
import type { CallEvent, SampleResult, TraceEvent } from '../store/records.js';
import type { RunStore } from '../store/run-store.js';
import { RunFault } from '../util/errors.js';
import { seedFrom } from '../util/random.js';
import type { AdaptiveLimiter } from './aimd.js';
import { BudgetExhausted, type BudgetGuard } from './budget.js';
import {
  type CallTally,
  createSampleContext,
  type ResponseCache,
  RunStopped,
  type SharedResponses,
} from './context.js';
import type { PlannedSample } from './plan.js';
import type { RunSetup } from './setup.js';

/** Executes planned samples somewhere else and hands back what `executeSample` would have returned. */
export interface RemoteExecutor {
  execute(sample: PlannedSample, ctx: RemoteContext): Promise<ExecutedSample | undefined>;
  /** Told once a sample it executed is in the store (it may then forget the sample). */
  recorded?(sample: PlannedSample, ctx: RemoteContext): void;
}

export interface RemoteContext {
  runId: string;
  session: number;
  /** Agent → planned position from which its calls fail (injected outage). */
  outages: ReadonlyMap<string, number>;
  /** The run's store, read-only to executors but for its response cache. */
  store: RunStore;
}

/** What executing a sample takes: the process's setup, and the run's state this sample shares. */
export interface SampleDeps extends Pick<RunSetup, 'config' | 'clients' | 'scrub'> {
  limiters: ReadonlyMap<string, AdaptiveLimiter>;
  session: number;
  budget: BudgetGuard;
  /** Calls are written here as they finish (the sample's own line is written when it is recorded). */
  cassette?: CassetteWriter | undefined;
  /** The response cache: the run store in one process, a per-sample cache on a queue worker. */
  cache: ResponseCache;
  /** The response cache shared across runs, behind `cache` (undefined: off). */
  shared?: SharedResponses | undefined;
  /** Counts the calls by where their answer came from. */
  tally?: CallTally | undefined;
  scorer: Scorer;
  sandbox: Sandbox;
  orchestrators: ReadonlyMap<string, Orchestrator>;
  /** Agent → planned position from which its calls fail (injected outage). */
  outages: ReadonlyMap<string, number>;
  /** The run's stop (signal, storage failure): no call starts once aborted. */
  stop?: AbortSignal | undefined;
}

/** A sample's outcome and its trace, not yet recorded anywhere. */
export interface ExecutedSample {
  result: SampleResult;
  trace: TraceEvent[];
}

/**
 * Executes one sample: the orchestrator's solve through a fresh context, then scoring. Returns
 * undefined when the budget cut it short (left unrecorded so a resume with more money completes it).
 * Writes nothing: the caller records the result (`recordSample`), here or after a queue round trip.
 */
export async function executeSample(
  sample: PlannedSample,
  deps: SampleDeps,
): Promise<ExecutedSample | undefined> {
  const { task } = sample;
  const seed = seedFrom(deps.config.seed, task.suite, task.id, sample.repeat);
  const startedAt = Date.now();
  const pool: readonly PricedPoolMember[] = deps.config.pool;
  const { ctx, events, cutByBudget, cutByStop, settled } = createSampleContext({
    sampleId: sample.sampleId,
    orchestratorId: sample.orchestratorId,
    task,
    pool: pool.filter((a) => !sample.dropped.has(a.id)),
    orchestrators: deps.orchestrators,
    unavailable: (agentId) => {
      const from = deps.outages.get(agentId);
      return from !== undefined && sample.index >= from
        ? `outage of ${agentId} injected from sample position ${from} (this sample: ${sample.index})`
        : undefined;
    },
    seed,
    clients: deps.clients.byAgent,
    limiters: deps.limiters,
    cache: deps.cache,
    shared: deps.shared,
    tally: deps.tally,
    retry: deps.config.retries,
    budget: deps.budget,
    assumeMaxOutputTokens: deps.config.budget.assumeMaxOutputTokens,
    answers: deps.scorer,
    redact: deps.scrub,
    cassette: deps.cassette,
    recorded: deps.clients.recorded,
    sampleStartedAt: startedAt,
    stop: deps.stop,
  });
  const t0 = performance.now();
  let answer: string | null = null;
  let meta: Record<string, unknown> = {};
  let error: { code: string; message: string } | null = null;
  let failed: unknown;
  try {
    const solution = await sample.orchestrator.solve(ctx);
    answer = solution.answer;
    meta = solution.meta;
  } catch (err) {
    // Unfinished for lack of money: left unrecorded so a resume with a larger budget completes it.
    if (err instanceof BudgetExhausted) return undefined;
    // Cut by the run's stop: left unrecorded too (its answered calls are in the cache).
    if (err instanceof RunStopped) return undefined;
    // Faults of the run itself (a replay gap) stop the run rather than count as the sample's error.
    if (err instanceof RunFault) throw err;
    error = classifyFailure(err);
    failed = err;
  } finally {
    // Calls still running in a failed parallel branch finish (and reach the cache) before the sample ends.
    await settled();
  }
  // Unfinished for lack of money even if the orchestrator carried on without the refused call; and a
  // stopping run grades nothing more (a resume redoes the sample from the cache, at no cost).
  if (cutByBudget() || cutByStop() || deps.stop?.aborted) return undefined;
  // A replay reports the latency that was recorded, not how fast the cassette was read.
  const latencyMs = deps.clients.recorded?.sampleLatency(sample.sampleId) ?? performance.now() - t0;
  const t1 = performance.now();
  let score = null;
  if (answer !== null) {
    try {
      score = await deps.scorer.score(task, answer);
    } catch (err) {
      error = { code: 'scoring_failed', message: err instanceof Error ? err.message : String(err) };
    }
  }
  const scoringMs = performance.now() - t1;
  const trace = events();
  // Model calls only: a nested run's event sums its calls, which are in the trace too.
  const calls = trace.filter((e): e is CallEvent => e.kind === 'call');
  // Grouped by root cause in reports and on the terminal; every message scrubbed of credentials.
  const failure = error && {
    code: error.code,
    ...sampleFailure(error.code, deps.scrub(error.message), trace, {
      failedCall:
        failed instanceof CallFailed ? calls.find((e) => e.error === deps.scrub(failed.message)) : undefined,
      codeTask: task.kind === 'code',
    }),
  };
  const provenance = countProvenance(calls);
  const result: SampleResult = {
    sampleId: sample.sampleId,
    orchestrator: sample.orchestratorId,
    family: sample.family,
    taskId: task.id,
    suite: task.suite,
    category: task.category,
    kind: task.kind,
    repeat: sample.repeat,
    seed,
    status: failure ? 'error' : 'ok',
    answer,
    correct: failure || !score ? null : score.correct,
    score: failure || !score ? null : score.detail,
    errorCode: failure?.code ?? null,
    errorMessage: failure?.message ?? null,
    ...(failure ? { errorCause: failure.cause } : {}),
    costUsd: calls.reduce((s, e) => s + e.costUsd, 0),
    latencyMs,
    scoringMs,
    calls: calls.length,
    cachedCalls: calls.filter((e) => e.cached).length,
    inputTokens: calls.reduce((s, e) => s + e.usage.input, 0),
    outputTokens: calls.reduce((s, e) => s + e.usage.output, 0),
    reasoningTokens: calls.reduce((s, e) => s + e.usage.reasoning, 0),
    simulated: provenance.simulated > 0,
    provenance,
    isolation: task.kind === 'code' ? deps.sandbox.isolation : null,
    meta,
    startedAt,
    endedAt: Date.now(),
    session: deps.session,
  };
  return { result, trace };
}

function classifyFailure(err: unknown): { code: string; message: string } {
  if (err instanceof CallFailed) return { code: `call_failed:${err.error.kind}`, message: err.message };
  if (err instanceof OrchestrationError) return { code: err.code, message: err.message };
  return { code: 'internal_error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
