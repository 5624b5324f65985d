import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/providers/anthropic/client.js';
import { costUsd } from '../../src/providers/cost.js';
import { findPrice, loadPriceTable } from '../../src/providers/prices.js';
import { startAnthropicFake } from '../fakes/anthropic.js';
import type { FakeServer } from '../fakes/server.js';
import { failure, fixed, request } from './helpers.js';

const sonnet = findPrice(loadPriceTable(), 'anthropic', 'claude-sonnet-4-20250514');
let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function client(opts: Parameters<typeof startAnthropicFake>[0] = {}, timeoutMs = 30_000) {
  const started = await startAnthropicFake(opts);
  fake = started;
  return createAnthropicProvider({ baseURL: started.baseUrl, apiKey: 'sk-ant-test', timeoutMs });
}

describe('anthropic messages API', () => {
  it('adds cache reads and writes to input (the API reports them apart) and prices each bucket', async () => {
    // On the wire: input_tokens 500, cache_read 3 000, cache_creation 1 500 (1 000 at 5 min, 500 at 1 h),
    // output_tokens 1 000 (200 visible + 800 thinking).
    const provider = await client({
      counts: fixed({
        prompt: 5000,
        cacheRead: 3000,
        cacheWrite: 1500,
        cacheWrite1h: 500,
        answer: 200,
        reasoning: 800,
      }),
    });
    const completion = await provider.complete(request({ maxTokens: 4000, thinkingBudget: 2048 }));
    expect(completion.text).toMatch(/^Answer [0-9a-f]+: B$/);
    expect(completion.usage).toEqual({
      input: 5000,
      output: 1000,
      reasoning: 0, // not reported apart by this API version: it is inside output_tokens
      cachedInput: 3000,
      cacheWrite: 1500,
      cacheWrite1h: 500,
    });
    // Sonnet 4: $3 fresh, $0.30 cache read, $3.75 5-minute write, $6 1-hour write, $15 output.
    const expected = (500 * 3 + 3000 * 0.3 + 1000 * 3.75 + 500 * 6 + 1000 * 15) / 1e6;
    expect(expected).toBeCloseTo(0.02415, 12);
    expect(costUsd(completion.usage, sonnet as never)).toBeCloseTo(expected, 12);
  });

  it('sends the system prompt apart, max_tokens and the thinking budget', async () => {
    let seen: Record<string, unknown> = {};
    const provider = await client({
      override: (_path, body) => {
        seen = body as Record<string, unknown>;
        return undefined;
      },
    });
    await provider.complete(request({ maxTokens: 4000, thinkingBudget: 2048 }));
    expect(seen).toMatchObject({
      system: 'Answer with one letter.',
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: 'Which is right, A or B?' }],
    });
  });

  it.each([
    [{ rateLimit: 1 }, 'rate_limit'],
    [{ serverError: 1 }, 'server'],
    [{ malformed: 1 }, 'malformed_response'],
  ] as const)('classifies fault %o as %s', async (faults, kind) => {
    const provider = await client({ faults, retryAfterSeconds: 2 });
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe(kind);
    if (kind === 'rate_limit') expect(error.retryAfterMs).toBe(2000);
  });

  it('529 overloaded_error is a retryable server error', async () => {
    const provider = await client({
      override: () => ({
        status: 529,
        body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      }),
    });
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe('server');
    expect(error.retryable).toBe(true);
  });

  it('a too-long prompt is a context overflow', async () => {
    const provider = await client({
      override: () => ({
        status: 400,
        body: {
          type: 'error',
          error: {
            type: 'invalid_request_error',
            message: 'prompt is too long: 210000 tokens > 200000 maximum',
          },
        },
      }),
    });
    expect((await failure(provider.complete(request()))).kind).toBe('context_overflow');
  });

  it('stop_reason refusal is a content filter, billed', async () => {
    const provider = await client({
      override: () => ({
        status: 200,
        body: {
          id: 'msg_x',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-20250514',
          content: [],
          stop_reason: 'refusal',
          stop_sequence: null,
          usage: {
            input_tokens: 40,
            output_tokens: 3,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
          },
        },
      }),
    });
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe('content_filter');
    expect(error.usage).toMatchObject({ input: 40, output: 3 });
  });

  it('a hang times out at the client timeout', async () => {
    const provider = await client({ faults: { hang: 1 } }, 200);
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe('timeout');
  });
});
