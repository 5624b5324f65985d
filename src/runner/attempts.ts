import { costUsd } from '../providers/cost.js';
import type { CassetteAttempt, CassetteCall } from '../providers/replay/cassette.js';
import {
  type ChatMessage,
  type Completion,
  type PricedAgent,
  type Provider,
  ProviderError,
  type Usage,
} from '../providers/types.js';
import { addUsage, ZERO_USAGE } from '../providers/usage.js';
import type { AttemptRecord } from '../store/records.js';
import type { AdaptiveLimiter } from './aimd.js';
import { type BudgetGuard, callCostBound, outputTokenBound, promptTokenBound } from './budget.js';
import { type RetryPolicy, withRetries } from './retry.js';

/** What every call of a sample is sent under: its budget, retry policy and the run's stop. */
export interface SendingDeps {
  sampleId: string;
  budget: BudgetGuard;
  retry: RetryPolicy;
  /** Jitter of backoff waits (seeded per sample). */
  backoffRandom: () => number;
  /** Output tokens assumed for budget bounds when an agent sets no maxTokens. */
  assumeMaxOutputTokens: number;
  /** Scrubs credentials from error messages (they may quote a request). */
  redact: (text: string) => string;
  stop: AbortSignal | undefined;
  /** Throws (and marks the sample cut) once the run is stopping. */
  refuseIfStopping: () => void;
}

/** One call to send: to whom, through which client and limiter, with what. */
export interface OutgoingCall {
  agent: PricedAgent;
  client: Provider;
  limiter: AdaptiveLimiter;
  messages: ChatMessage[];
  seed: number;
  /** Names the call in cassettes (a replay client serves attempt n of it). */
  callKey: string;
  /** A replayed attempt's recorded concurrency limit, so its trace repeats the recording's. */
  recordedLimit: (attempt: number) => number | undefined;
}

/**
 * One attempt as it happened: the trace keeps its record; a cassette derives its entry from the record
 * and what came back (the answer, or the classified error with its body).
 */
export type Attempt =
  | { record: AttemptRecord; completion: Completion }
  | { record: AttemptRecord & { message: string }; error: ProviderError };

/** A call's attempts, what they were billed in total, and how the last one ended. */
export type SentCall = {
  attempts: Attempt[];
  usage: Usage;
  costUsd: number;
} & ({ completion: Completion; error?: undefined } | { completion?: undefined; error: ProviderError });

/**
 * Sends a call, retrying as the policy says. Each attempt reserves its worst-case cost under the
 * budget and waits for a slot of its endpoint's limiter. Resolves with the answer or the last provider
 * error; rejects on a budget refusal, a stopping run or a fault that is not the provider's.
 */
export async function sendCall(deps: SendingDeps, call: OutgoingCall): Promise<SentCall> {
  const { agent, client, limiter, messages, seed, callKey } = call;
  const worstUsd = callCostBound(
    agent,
    promptTokenBound(messages),
    outputTokenBound(agent, deps.assumeMaxOutputTokens),
  );
  const attempts: Attempt[] = [];
  let billed: Usage = ZERO_USAGE;
  let spent = 0;

  const attempt = async (n: number): Promise<Completion> => {
    // A retry is a new request: none once the run is stopping.
    if (n > 1) deps.refuseIfStopping();
    // Each attempt may be billed, so each one must fit under the budget on its own.
    const reservation = deps.budget.beginCall(deps.sampleId, worstUsd);
    const ticket = await limiter.acquire();
    // The run may have stopped while this call queued for its endpoint: it is not sent.
    if (deps.stop?.aborted) {
      limiter.release(ticket, 'other');
      reservation.settle(0);
      deps.refuseIfStopping();
    }
    const limit = call.recordedLimit(n) ?? ticket.limit;
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
      attempts.push({
        record: {
          attempt: n,
          outcome: 'ok',
          usage: completion.usage,
          costUsd: usd,
          latencyMs: completion.latencyMs,
          waitMs: 0,
          concurrencyLimit: limit,
        },
        completion,
      });
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
        attempts.push({
          record: {
            attempt: n,
            outcome: err.kind,
            message: deps.redact(err.message),
            usage: err.usage ?? null,
            costUsd: usd,
            latencyMs: err.latencyMs ?? performance.now() - t0,
            ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
            waitMs: 0,
            concurrencyLimit: limit,
          },
          error: err,
        });
      }
      throw err;
    }
  };

  try {
    const completion = await withRetries(
      deps.retry,
      deps.backoffRandom,
      attempt,
      (_error, n, waitMs) => {
        const sent = attempts[n - 1];
        if (sent) sent.record.waitMs = waitMs;
      },
      // A replay has nothing to wait for: the recorded waits are in the trace already.
      client.recorded ? async () => {} : undefined,
    );
    return { attempts, usage: billed, costUsd: spent, completion };
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    return { attempts, usage: billed, costUsd: spent, error: err };
  }
}

/** An attempt as a cassette keeps it: enough for a replay client to give the same answer or error. */
export function cassetteAttempt(attempt: Attempt): CassetteAttempt {
  if ('completion' in attempt) {
    const { text, usage, latencyMs, raw } = attempt.completion;
    return { ok: true, text, usage, latencyMs, raw, concurrencyLimit: attempt.record.concurrencyLimit };
  }
  const { record, error } = attempt;
  return {
    ok: false,
    concurrencyLimit: record.concurrencyLimit,
    kind: error.kind,
    message: record.message,
    latencyMs: record.latencyMs,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.usage ? { usage: error.usage } : {}),
    ...(error.raw === undefined ? {} : { raw: error.raw }),
  };
}

/** A sent call as a cassette keeps it: the request, every attempt, its timing within the sample. */
export function cassetteCall(
  sampleId: string,
  call: OutgoingCall,
  sent: SentCall,
  timing: { offsetMs: number; durationMs: number },
): CassetteCall {
  const { agent, client, messages, seed } = call;
  return {
    type: 'call',
    key: call.callKey,
    sampleId,
    agentId: agent.id,
    provider: agent.provider,
    endpoint: client.endpoint,
    simulated: client.simulated,
    model: agent.model,
    request: { messages, params: { ...agent.params }, seed },
    attempts: sent.attempts.map(cassetteAttempt),
    offsetMs: timing.offsetMs,
    durationMs: timing.durationMs,
  };
}
