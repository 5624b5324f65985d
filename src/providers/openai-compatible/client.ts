import OpenAI from 'openai';
import { z } from 'zod';
import { type Completion, type CompletionRequest, type Provider, ProviderError } from '../types.js';

const responseSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  usage: z.object({
    prompt_tokens: z.number().int().nonnegative(),
    completion_tokens: z.number().int().nonnegative(),
    prompt_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative().optional() }).nullish(),
    completion_tokens_details: z
      .object({ reasoning_tokens: z.number().int().nonnegative().optional() })
      .nullish(),
  }),
});

export interface ChatCompletionsOptions {
  baseURL: string;
  apiKey: string;
  simulated: boolean;
  timeoutMs?: number;
}

/** A provider speaking OpenAI Chat Completions through the official SDK (vLLM, OpenRouter, the sim pool…). */
export function createChatCompletionsProvider(opts: ChatCompletionsOptions): Provider {
  const client = new OpenAI({
    baseURL: opts.baseURL,
    apiKey: opts.apiKey,
    maxRetries: 0,
    timeout: opts.timeoutMs ?? 600_000,
  });
  return {
    simulated: opts.simulated,
    endpoint: opts.baseURL,
    async complete(request: CompletionRequest): Promise<Completion> {
      const started = performance.now();
      let body: unknown;
      try {
        body = await client.chat.completions.create(
          {
            model: request.model,
            messages: request.messages,
            seed: request.seed,
            ...(request.params.temperature === undefined ? {} : { temperature: request.params.temperature }),
            ...(request.params.topP === undefined ? {} : { top_p: request.params.topP }),
            ...(request.params.maxTokens === undefined
              ? {}
              : { max_completion_tokens: request.params.maxTokens }),
            ...(request.params.reasoningEffort === undefined
              ? {}
              : { reasoning_effort: request.params.reasoningEffort }),
          },
          request.signal ? { signal: request.signal } : {},
        );
      } catch (err) {
        throw classifyOpenAIError(err);
      }
      const latencyMs = performance.now() - started;
      const parsed = responseSchema.safeParse(body);
      if (!parsed.success) {
        throw new ProviderError(
          'malformed_response',
          `unexpected response shape: ${parsed.error.issues[0]?.message}`,
        );
      }
      const choice = parsed.data.choices[0];
      if (choice?.finish_reason === 'content_filter') {
        throw new ProviderError('content_filter', 'the provider filtered the response');
      }
      const usage = parsed.data.usage;
      return {
        text: choice?.message.content ?? '',
        usage: {
          input: usage.prompt_tokens,
          output: usage.completion_tokens,
          reasoning: usage.completion_tokens_details?.reasoning_tokens ?? 0,
          cachedInput: usage.prompt_tokens_details?.cached_tokens ?? 0,
        },
        latencyMs,
        raw: body,
      };
    },
  };
}

export function classifyOpenAIError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof OpenAI.APIConnectionTimeoutError || err instanceof OpenAI.APIUserAbortError) {
    return new ProviderError('timeout', 'request timed out');
  }
  if (err instanceof OpenAI.APIConnectionError) return new ProviderError('network', err.message);
  if (err instanceof OpenAI.APIError) {
    const status = err.status ?? 0;
    const message = `HTTP ${status}: ${err.message}`;
    if (status === 429) return new ProviderError('rate_limit', message, retryAfterMs(err.headers));
    if (status === 401 || status === 403) return new ProviderError('auth', message);
    if (status >= 500) return new ProviderError('server', message, retryAfterMs(err.headers));
    if (/context|maximum.*tokens|too long/i.test(err.message))
      return new ProviderError('context_overflow', message);
    return new ProviderError('bad_request', message);
  }
  return new ProviderError('network', err instanceof Error ? err.message : String(err));
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
