import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { billedFailure, classifySdkError, malformedBody } from '../errors.js';
import { sdkFetch } from '../http-transport.js';
import { ifSet, protocolProvider, splitSystem } from '../protocol-provider.js';
import type { Provider, ProviderError, Usage } from '../types.js';
import { usageOf } from '../usage.js';

const count = z.number().int().nonnegative();

/**
 * Messages API `usage`. Unlike OpenAI, `input_tokens` EXCLUDES cache reads and cache writes, which are
 * reported (and billed) apart; `output_tokens` includes thinking. `output_tokens_details.thinking_tokens`
 * exists only in recent API versions.
 */
const usageSchema = z.object({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count.nullish(),
  cache_read_input_tokens: count.nullish(),
  cache_creation: z
    .object({ ephemeral_5m_input_tokens: count.nullish(), ephemeral_1h_input_tokens: count.nullish() })
    .nullish(),
  output_tokens_details: z.object({ thinking_tokens: count.nullish() }).nullish(),
});

const messageSchema = z.object({
  type: z.literal('message'),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  stop_reason: z.string().nullable(),
  usage: usageSchema,
});

function anthropicUsage(u: z.output<typeof usageSchema>): Usage {
  const read = u.cache_read_input_tokens ?? 0;
  const written = u.cache_creation_input_tokens ?? 0;
  return usageOf({
    input: u.input_tokens + read + written,
    output: u.output_tokens,
    reasoning: u.output_tokens_details?.thinking_tokens ?? 0,
    cachedInput: read,
    cacheWrite: written,
    cacheWrite1h: u.cache_creation?.ephemeral_1h_input_tokens ?? 0,
  });
}

/** Anthropic requires max_tokens; used when the config sets none (and assumed by budget estimates). */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

export interface AnthropicOptions {
  baseURL: string;
  apiKey: string;
  timeoutMs?: number | undefined;
}

/** Claude through the official SDK (Messages API), extended thinking when `thinkingBudget` is set. */
export function createAnthropicProvider(opts: AnthropicOptions): Provider {
  const client = new Anthropic({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    maxRetries: 0,
    timeout: opts.timeoutMs ?? 600_000,
    fetch: sdkFetch,
  });
  return protocolProvider({
    simulated: false,
    endpoint: opts.baseURL,
    classify: classifyAnthropicError,
    send({ model, messages, params }) {
      const { system, turns } = splitSystem(messages);
      return client.messages.create({
        model,
        max_tokens: params.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
        messages: turns,
        ...ifSet('system', system),
        ...ifSet('temperature', params.temperature),
        ...ifSet('top_p', params.topP),
        ...ifSet(
          'thinking',
          params.thinkingBudget === undefined
            ? undefined
            : { type: 'enabled' as const, budget_tokens: params.thinkingBudget },
        ),
      });
    },
    read(body) {
      const parsed = messageSchema.safeParse(body);
      if (!parsed.success) throw malformedBody(parsed.error, body, 'usage', usageSchema, anthropicUsage);
      const usage = anthropicUsage(parsed.data.usage);
      if (parsed.data.stop_reason === 'refusal') {
        throw billedFailure('content_filter', 'the model refused (stop_reason: refusal)', usage, body);
      }
      if (parsed.data.stop_reason === 'model_context_window_exceeded') {
        throw billedFailure('context_overflow', 'the context window was exceeded', usage, body);
      }
      const text = parsed.data.content
        .filter((b) => b.type === 'text')
        .map((b) => b.text ?? '')
        .join('');
      return { text, usage };
    },
  });
}

export function classifyAnthropicError(err: unknown): ProviderError {
  return classifySdkError(err, Anthropic);
}
