import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costUsd } from '../../src/providers/cost.js';
import { resolvePrices } from '../../src/providers/prices.js';
import { runBenchmark } from '../../src/runner/run.js';
import type { CallEvent } from '../../src/store/records.js';
import { RunStore } from '../../src/store/run-store.js';
import type { Fault } from '../fakes/server.js';
import { type FakePool, faultRunConfig, KEYS, sandbox, scorer, startFakePool } from './fault-run.js';

/** The attempt outcome baton must record for each fault a fake injected. */
const EXPECTED_OUTCOME: Record<Fault, string> = {
  none: 'ok',
  rate_limit: 'rate_limit',
  server_error: 'server',
  hang: 'timeout',
  truncated: 'malformed_response',
  wrong_shape: 'malformed_response',
  slow_body: 'ok',
};

let pool: FakePool;
beforeAll(async () => {
  pool = await startFakePool({
    faults: { rateLimit: 0.1, serverError: 0.05, hang: 0.02, malformed: 0.01 },
    retryAfterSeconds: 1,
    seed: 11,
  });
});
afterAll(() => pool.close());

describe('500 samples against faulty fakes of the four protocols', () => {
  it('completes every sample, traces every attempt, and costs exactly the billed attempts', async () => {
    // maxDelayMs above the fakes' Retry-After (1 s): a server's wait is honoured in full up to it.
    const { config } = await faultRunConfig(pool, 125, {
      retries: { maxAttempts: 8, initialDelayMs: 1, maxDelayMs: 1000, requestTimeoutMs: 3000 },
    });
    const outcome = await runBenchmark({
      config,
      env: KEYS,
      command: 'test',
      sandbox,
      scorer,
      runId: 'faults',
    });
    expect(outcome.status).toBe('complete');

    const store = new RunStore(join(outcome.runDir, 'run.sqlite'));
    const samples = store.samples();
    const events = store.events().filter((e): e is CallEvent => e.kind === 'call');
    store.close();

    // Every sample finished, none as an error.
    expect(samples).toHaveLength(500);
    expect(samples.filter((s) => s.status !== 'ok')).toEqual([]);

    // Every HTTP request any fake received is one attempt in the trace, with the matching outcome.
    const served = [pool.openai, pool.anthropic, pool.gemini].flatMap((f) => f.served);
    const attempts = events.flatMap((e) => e.attemptLog ?? []);
    expect(attempts).toHaveLength(served.length);
    const tally = (xs: string[]) =>
      Object.fromEntries([...new Set(xs)].sort().map((k) => [k, xs.filter((x) => x === k).length]));
    expect(tally(attempts.map((a) => a.outcome))).toEqual(
      tally(served.map((s) => EXPECTED_OUTCOME[s.fault])),
    );
    // The injection really happened, at about the configured rates (10% 429, 5% 5xx, 2% hangs, 1% malformed).
    const faults = tally(served.map((s) => s.fault));
    for (const fault of ['rate_limit', 'server_error', 'hang', 'truncated', 'wrong_shape'])
      expect(faults[fault]).toBeGreaterThan(0);
    expect((faults.rate_limit ?? 0) / served.length).toBeGreaterThan(0.06);
    expect((faults.rate_limit ?? 0) / served.length).toBeLessThan(0.14);
    // Retries are counted per call: attempts = 1 + failures before the success.
    for (const e of events) expect(e.attempts).toBe(e.attemptLog?.length);
    expect(events.some((e) => e.attempts > 1)).toBe(true);

    // Retry-After (1 s on every 429 here, = maxDelayMs) is never cut short, and no wait is longer.
    const retried429 = attempts.filter((a) => a.outcome === 'rate_limit' && a.waitMs > 0);
    expect(retried429.length).toBeGreaterThan(0);
    for (const a of retried429)
      expect(a.waitMs).toBeGreaterThanOrEqual(a.retryAfterMs ?? Number.POSITIVE_INFINITY);
    for (const a of attempts) expect(a.waitMs).toBeLessThanOrEqual(config.retries.maxDelayMs);
    // AIMD: rate limits pulled some endpoint's concurrency below its starting 16.
    expect(Math.min(...attempts.map((a) => a.concurrencyLimit))).toBeLessThan(16);

    // Cost: the sum over samples equals what the fakes billed, failed-but-billed bodies included.
    const { pool: priced } = resolvePrices(config.pool);
    const priceOf = (agentId: string) =>
      priced.find((a) => a.id === agentId)?.price ?? { input: Number.NaN, output: Number.NaN };
    const billedUsd = [
      ...pool.openai.served.map((s) => ({
        s,
        agent: s.path.endsWith('/responses') ? 'gpt5mini-responses' : 'gpt5-chat',
      })),
      ...pool.anthropic.served.map((s) => ({ s, agent: 'sonnet' })),
      ...pool.gemini.served.map((s) => ({ s, agent: 'gemini-pro' })),
    ].reduce((sum, { s, agent }) => sum + (s.billed ? costUsd(s.billed, priceOf(agent)) : 0), 0);
    const recordedUsd = samples.reduce((sum, s) => sum + s.costUsd, 0);
    expect(billedUsd).toBeGreaterThan(0);
    expect(recordedUsd).toBeCloseTo(billedUsd, 10);
    // Some of that money went to failed attempts (wrong-shape bodies that reported usage).
    const failedButBilled = attempts.filter((a) => a.outcome !== 'ok' && a.costUsd > 0);
    expect(failedButBilled.length).toBe(served.filter((s) => s.fault === 'wrong_shape').length);
    expect(outcome.spentUsd).toBeCloseTo(billedUsd, 10);
    console.info(
      `fault run: ${samples.length} samples, ${events.length} calls, ${served.length} HTTP attempts, faults ${JSON.stringify(faults)}, ` +
        `billed $${billedUsd.toFixed(6)} (failed-but-billed attempts: ${failedButBilled.length}), ` +
        `lowest AIMD limit ${Math.min(...attempts.map((a) => a.concurrencyLimit))}`,
    );
  }, 120_000);
});
