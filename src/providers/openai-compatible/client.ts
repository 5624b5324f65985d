import OpenAI from 'openai';
import { z } from 'zod';
import { billedFailure, malformedBody } from '../errors.js';
import { sdkFetch } from '../http-transport.js';
import { ifSet, protocolProvider } from '../protocol-provider.js';
import type { Provider, Usage } from '../types.js';
import { usageOf } from '../usage.js';
import { classifyOpenAIError } from './errors.js';

const count = z.number().int().nonnegative();

/**
 * Chat Completions `usage` as OpenAI documents it (prompt_tokens includes cached tokens,
 * completion_tokens includes reasoning tokens), plus OpenRouter's additions: `cost` in USD credits
 * and `prompt_tokens_details.cache_write_tokens`.
 */
export const chatUsageSchema = z.object({
  prompt_tokens: count,
  completion_tokens: count,
  prompt_tokens_details: z
    .object({ cached_tokens: count.nullish(), cache_write_tokens: count.nullish() })
    .nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: count.nullish() }).nullish(),
  cost: z.number().nonnegative().nullish(),
});

const responseSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable(), refusal: z.string().nullish() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  usage: chatUsageSchema,
});

export function chatUsage(usage: z.output<typeof chatUsageSchema>): Usage {
  return usageOf({
    input: usage.prompt_tokens,
    output: usage.completion_tokens,
    reasoning: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    cachedInput: usage.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWrite: usage.prompt_tokens_details?.cache_write_tokens ?? 0,
    ...(usage.cost == null ? {} : { reportedCostUsd: usage.cost }),
  });
}

export interface OpenAIClientOptions {
  baseURL: string;
  apiKey: string;
  simulated: boolean;
  timeoutMs?: number | undefined;
}

/** The official SDK with its own retries off (the runner owns retries, backoff and concurrency), on baton's transport. */
export function createOpenAIClient(opts: OpenAIClientOptions): OpenAI {
  return new OpenAI({
    baseURL: opts.baseURL,
    apiKey: opts.apiKey,
    maxRetries: 0,
    timeout: opts.timeoutMs ?? 600_000,
    fetch: sdkFetch,
  });
}

/** A provider speaking OpenAI Chat Completions through the official SDK (OpenAI, vLLM, OpenRouter, the sim pool…). */
export function createChatCompletionsProvider(opts: OpenAIClientOptions): Provider {
  const client = createOpenAIClient(opts);
  return protocolProvider({
    simulated: opts.simulated,
    endpoint: opts.baseURL,
    classify: classifyOpenAIError,
    send: ({ model, messages, seed, params }) =>
      client.chat.completions.create({
        model,
        messages,
        seed,
        ...ifSet('temperature', params.temperature),
        ...ifSet('top_p', params.topP),
        ...ifSet('max_completion_tokens', params.maxTokens),
        ...ifSet('reasoning_effort', params.reasoningEffort),
      }),
    read(body) {
      const parsed = responseSchema.safeParse(body);
      if (!parsed.success) throw malformedBody(parsed.error, body, 'usage', chatUsageSchema, chatUsage);
      const choice = parsed.data.choices[0];
      const usage = chatUsage(parsed.data.usage);
      if (choice?.finish_reason === 'content_filter' || choice?.message.refusal) {
        throw billedFailure('content_filter', 'the provider filtered the response', usage, body);
      }
      return { text: choice?.message.content ?? '', usage };
    },
  });
}
