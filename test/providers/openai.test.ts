import { afterEach, describe, expect, it } from 'vitest';
import { costUsd } from '../../src/providers/cost.js';
import { createChatCompletionsProvider } from '../../src/providers/openai-compatible/client.js';
import { createResponsesProvider } from '../../src/providers/openai-compatible/responses.js';
import { findPrice, loadPriceTable } from '../../src/providers/prices.js';
import type { Provider } from '../../src/providers/types.js';
import { startOpenAIFake } from '../fakes/openai.js';
import type { FakeOptions, FakeServer } from '../fakes/server.js';
import { failure, fixed, request } from './helpers.js';

const gpt5 = findPrice(loadPriceTable(), 'openai', 'gpt-5');
let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function client(
  api: 'chat' | 'responses',
  opts: Parameters<typeof startOpenAIFake>[0] = {},
  timeoutMs = 30_000,
): Promise<Provider> {
  const started = await startOpenAIFake(opts);
  fake = started;
  const options = { baseURL: started.baseUrl, apiKey: 'sk-test', simulated: false, timeoutMs };
  return api === 'chat' ? createChatCompletionsProvider(options) : createResponsesProvider(options);
}

// 1 200 prompt tokens of which 1 024 cached; 30 visible + 300 reasoning output tokens.
const counts = fixed({ prompt: 1200, cacheRead: 1024, answer: 30, reasoning: 300 });
// GPT-5 list price: $1.25 fresh input, $0.125 cached input, $10 output (reasoning billed as output).
const expectedUsd = (176 * 1.25 + 1024 * 0.125 + 330 * 10) / 1e6;

describe.each(['chat', 'responses'] as const)('openai %s API', (api) => {
  it('reads usage as documented (cached ⊂ prompt, reasoning ⊂ completion) and prices it', async () => {
    const provider = await client(api, { counts });
    const completion = await provider.complete(request());
    expect(completion.text).toMatch(/^Answer [0-9a-f]+: B$/);
    expect(completion.usage).toEqual({
      input: 1200,
      output: 330,
      reasoning: 300,
      cachedInput: 1024,
      cacheWrite: 0,
      cacheWrite1h: 0,
    });
    expect(gpt5).toBeDefined();
    expect(costUsd(completion.usage, gpt5 as never)).toBeCloseTo(expectedUsd, 12);
    expect(expectedUsd).toBeCloseTo(0.003648, 12);
  });

  it.each([
    ['rate_limit', { rateLimit: 1 }, 'rate_limit'],
    ['server errors (500/503)', { serverError: 1 }, 'server'],
    ['truncated JSON', { malformed: 1 }, 'malformed_response'],
  ] as [string, FakeOptions['faults'], string][])('classifies %s', async (_name, faults, kind) => {
    const provider = await client(api, { faults, retryAfterSeconds: 3, seed: 3 });
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe(kind);
    if (kind === 'rate_limit') expect(error.retryAfterMs).toBe(3000);
  });

  it('a hung request times out at the client timeout and is retryable', async () => {
    const provider = await client(api, { faults: { hang: 1 } }, 200);
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  it('a body of the wrong shape is malformed but still billed from its usage', async () => {
    // seed 2 draws the "wrong shape" half of the malformed fault first
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const provider = await client(api, { counts, faults: { malformed: 1 }, seed });
      const error = await failure(provider.complete(request()));
      await fake?.close();
      fake = undefined;
      expect(error.kind).toBe('malformed_response');
      if (error.usage) {
        expect(error.usage.input).toBe(1200);
        return;
      }
    }
    throw new Error('no seed drew a wrong-shape body');
  });
});

describe('openai chat errors with documented bodies', () => {
  it('context_length_exceeded is a context overflow, not retried', async () => {
    const provider = await client('chat', {
      override: () => ({
        status: 400,
        body: {
          error: {
            message:
              "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
            type: 'invalid_request_error',
            param: 'messages',
            code: 'context_length_exceeded',
          },
        },
      }),
    });
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe('context_overflow');
    expect(error.retryable).toBe(false);
  });

  it('finish_reason content_filter is a content filter, billed from its usage', async () => {
    const provider = await client('chat', {
      override: () => ({
        status: 200,
        body: {
          id: 'chatcmpl-x',
          object: 'chat.completion',
          created: 1,
          model: 'gpt-5',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: null, refusal: null },
              finish_reason: 'content_filter',
            },
          ],
          usage: { prompt_tokens: 50, completion_tokens: 7, total_tokens: 57 },
        },
      }),
    });
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe('content_filter');
    expect(error.usage).toMatchObject({ input: 50, output: 7 });
  });

  it('a 401 is an auth error and the key is not in the message', async () => {
    const provider = await client('chat', {
      override: () => ({
        status: 401,
        body: {
          error: {
            message:
              'Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com/account/api-keys.',
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        },
      }),
    });
    const error = await failure(provider.complete(request()));
    expect(error.kind).toBe('auth');
    expect(error.retryable).toBe(false);
  });
});

describe('openai-compatible endpoints reporting their own cost (OpenRouter usage.cost)', () => {
  it('bills the reported cost when the price says reportedCost', async () => {
    const provider = await client('chat', { counts, cost: (tokens) => tokens * 1e-6 });
    const completion = await provider.complete(request());
    expect(completion.usage.reportedCostUsd).toBeCloseTo(1530e-6, 12);
    expect(costUsd(completion.usage, { input: 100, output: 100, reportedCost: true })).toBeCloseTo(
      1530e-6,
      12,
    );
    // Without reportedCost the token prices apply, whatever the endpoint says.
    expect(costUsd(completion.usage, { input: 1, output: 2 })).toBeCloseTo((1200 + 330 * 2) / 1e6, 12);
  });
});
