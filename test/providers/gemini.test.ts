import { afterEach, describe, expect, it } from 'vitest';
import { costUsd } from '../../src/providers/cost.js';
import { createGeminiProvider } from '../../src/providers/gemini/client.js';
import { findPrice, loadPriceTable } from '../../src/providers/prices.js';
import { withRetries } from '../../src/runner/retry.js';
import { startGeminiFake } from '../fakes/gemini.js';
import type { FakeServer } from '../fakes/server.js';
import { failure, fixed, request } from './helpers.js';

const pro = findPrice(loadPriceTable(), 'gemini', 'gemini-2.5-pro');
let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function client(opts: Parameters<typeof startGeminiFake>[0] = {}, timeoutMs = 30_000) {
  const started = await startGeminiFake(opts);
  fake = started;
  return createGeminiProvider({ baseURL: started.baseUrl, apiKey: 'AIza-test', timeoutMs });
}

describe('gemini generateContent', () => {
  it('adds thoughts to output (candidatesTokenCount excludes them) and prices the base tier', async () => {
    const provider = await client({
      counts: fixed({ prompt: 1000, cacheRead: 400, answer: 1000, reasoning: 2000 }),
    });
    const completion = await provider.complete({
      ...request({ thinkingBudget: 4096 }),
      model: 'gemini-2.5-pro',
    });
    expect(completion.text).toMatch(/^Answer [0-9a-f]+: B$/);
    expect(completion.usage).toEqual({
      input: 1000,
      output: 3000,
      reasoning: 2000,
      cachedInput: 400,
      cacheWrite: 0,
      cacheWrite1h: 0,
    });
    // ≤ 200k prompt: $1.25 fresh, $0.125 cached, $10 output.
    const expected = (600 * 1.25 + 400 * 0.125 + 3000 * 10) / 1e6;
    expect(costUsd(completion.usage, pro as never)).toBeCloseTo(expected, 12);
  });

  it('bills the whole call at the higher tier once the prompt exceeds 200k tokens', async () => {
    const provider = await client({
      counts: fixed({ prompt: 250_000, cacheRead: 100_000, answer: 1000, reasoning: 2000 }),
    });
    const completion = await provider.complete({ ...request(), model: 'gemini-2.5-pro' });
    // > 200k: $2.50 fresh, $0.25 cached, $15 output.
    const expected = (150_000 * 2.5 + 100_000 * 0.25 + 3000 * 15) / 1e6;
    expect(expected).toBeCloseTo(0.445, 12);
    expect(costUsd(completion.usage, pro as never)).toBeCloseTo(expected, 12);
    // Exactly 200k is still the base tier.
    expect(costUsd({ ...completion.usage, input: 200_000, cachedInput: 0 }, pro as never)).toBeCloseTo(
      (200_000 * 1.25 + 3000 * 10) / 1e6,
      12,
    );
  });

  it('sends the system instruction, thinking budget and seed the SDK way', async () => {
    let seen: Record<string, unknown> = {};
    const provider = await client({
      override: (_path, body) => {
        seen = body as Record<string, unknown>;
        return undefined;
      },
    });
    await provider.complete({ ...request({ maxTokens: 512, thinkingBudget: 128 }), model: 'gemini-2.5-pro' });
    expect(seen).toMatchObject({
      systemInstruction: { parts: [{ text: 'Answer with one letter.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Which is right, A or B?' }] }],
      generationConfig: { maxOutputTokens: 512, seed: 7, thinkingConfig: { thinkingBudget: 128 } },
    });
  });

  it.each([
    [{ rateLimit: 1 }, 'rate_limit'],
    [{ serverError: 1 }, 'server'],
    [{ malformed: 1 }, 'malformed_response'],
  ] as const)('classifies fault %o as %s', async (faults, kind) => {
    const provider = await client({ faults });
    const error = await failure(provider.complete({ ...request(), model: 'gemini-2.5-pro' }));
    expect(error.kind).toBe(kind);
  });

  it('reads the wait from google.rpc.RetryInfo on a 429', async () => {
    const provider = await client({
      override: () => ({
        status: 429,
        body: {
          error: {
            code: 429,
            message: 'Resource has been exhausted (e.g. check quota).',
            status: 'RESOURCE_EXHAUSTED',
            details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' }],
          },
        },
      }),
    });
    const error = await failure(provider.complete({ ...request(), model: 'gemini-2.5-pro' }));
    expect(error.kind).toBe('rate_limit');
    expect(error.retryAfterMs).toBe(37_000);
  });

  it('honours an HTTP Retry-After header too, taking the longer of header and RetryInfo', async () => {
    const exhausted = (retryDelay: string | undefined, retryAfter: string) => () => ({
      status: 429,
      body: {
        error: {
          code: 429,
          message: 'Resource has been exhausted (e.g. check quota).',
          status: 'RESOURCE_EXHAUSTED',
          ...(retryDelay
            ? { details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }] }
            : {}),
        },
      },
      headers: { 'retry-after': retryAfter },
    });
    for (const [retryDelay, header, expected] of [
      [undefined, '12', 12_000],
      ['3s', '12', 12_000],
      ['37s', '12', 37_000],
      [undefined, new Date(Date.now() + 60_000).toUTCString(), 60_000],
    ] as const) {
      const provider = await client({ override: exhausted(retryDelay, header) });
      const error = await failure(provider.complete({ ...request(), model: 'gemini-2.5-pro' }));
      expect(error.kind).toBe('rate_limit');
      // An HTTP date has a one-second resolution.
      expect(error.retryAfterMs).toBeGreaterThan(expected - 1500);
      expect(error.retryAfterMs).toBeLessThanOrEqual(expected);
      await fake?.close();
      fake = undefined;
    }
    // A 503 may carry one too.
    const provider = await client({
      override: () => ({
        status: 503,
        body: { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } },
        headers: { 'retry-after': '5' },
      }),
    });
    const error = await failure(provider.complete({ ...request(), model: 'gemini-2.5-pro' }));
    expect(error).toMatchObject({ kind: 'server', retryAfterMs: 5000 });
  });

  it('waits at most retries.maxDelayMs whatever the server asks, then tries again', async () => {
    let n = 0;
    const provider = await client({
      override: () =>
        n++ === 0
          ? {
              status: 429,
              body: {
                error: {
                  code: 429,
                  message: 'Quota exceeded for quota metric requests per day.',
                  status: 'RESOURCE_EXHAUSTED',
                  details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3600s' }],
                },
              },
              headers: { 'retry-after': '7200' },
            }
          : undefined,
    });
    const waits: number[] = [];
    const t0 = performance.now();
    const completion = await withRetries(
      { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 50 },
      () => 1,
      (attempt) => provider.complete({ ...request(), model: 'gemini-2.5-pro', attempt }),
      (error, _n, waitMs) => {
        expect(error.retryAfterMs).toBe(7_200_000);
        waits.push(waitMs);
      },
    );
    expect(completion.text).toMatch(/^Answer [0-9a-f]+: B$/);
    expect(waits).toEqual([50]);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(fake?.served).toHaveLength(2);
  });

  it('a SAFETY finish is a content filter, billed', async () => {
    const provider = await client({
      override: () => ({
        status: 200,
        body: {
          candidates: [{ finishReason: 'SAFETY', index: 0 }],
          usageMetadata: { promptTokenCount: 12, totalTokenCount: 12 },
        },
      }),
    });
    const error = await failure(provider.complete({ ...request(), model: 'gemini-2.5-pro' }));
    expect(error.kind).toBe('content_filter');
    expect(error.usage).toMatchObject({ input: 12, output: 0 });
  });

  it('a hang times out at the client timeout', async () => {
    const provider = await client({ faults: { hang: 1 } }, 200);
    const error = await failure(provider.complete({ ...request(), model: 'gemini-2.5-pro' }));
    expect(error.kind).toBe('timeout');
  });
});
