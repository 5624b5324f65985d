import { ApiError, GoogleGenAI } from '@google/genai';
import { z } from 'zod';
import {
  billedFailure,
  classifyTransportError,
  errorForStatus,
  malformed,
  malformedBody,
  retryAfterFromHeaders,
} from '../errors.js';
import { sdkFetch } from '../http-transport.js';
import { ifSet, protocolProvider, splitSystem } from '../protocol-provider.js';
import { type Provider, ProviderError, type Usage } from '../types.js';
import { usageOf } from '../usage.js';

const count = z.number().int().nonnegative();

/**
 * generateContent `usageMetadata`: promptTokenCount INCLUDES cachedContentTokenCount, but
 * candidatesTokenCount EXCLUDES thoughtsTokenCount, although thoughts are billed as output.
 */
const usageSchema = z.object({
  promptTokenCount: count.nullish(),
  candidatesTokenCount: count.nullish(),
  thoughtsTokenCount: count.nullish(),
  cachedContentTokenCount: count.nullish(),
  toolUsePromptTokenCount: count.nullish(),
});

const responseSchema = z.object({
  candidates: z
    .array(
      z.object({
        content: z
          .object({
            parts: z
              .array(z.object({ text: z.string().optional(), thought: z.boolean().optional() }))
              .optional(),
          })
          .optional(),
        finishReason: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z.object({ blockReason: z.string().optional() }).optional(),
  usageMetadata: usageSchema,
});

/** Finish reasons that mean Google withheld the answer. */
const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']);

function geminiUsage(u: z.output<typeof usageSchema>): Usage {
  const thoughts = u.thoughtsTokenCount ?? 0;
  return usageOf({
    input: (u.promptTokenCount ?? 0) + (u.toolUsePromptTokenCount ?? 0),
    output: (u.candidatesTokenCount ?? 0) + thoughts,
    reasoning: thoughts,
    cachedInput: u.cachedContentTokenCount ?? 0,
  });
}

export interface GeminiOptions {
  baseURL: string;
  apiKey: string;
  timeoutMs?: number | undefined;
}

/** Gemini through `@google/genai` (generateContent), thinking budget when `thinkingBudget` is set. */
export function createGeminiProvider(opts: GeminiOptions): Provider {
  // No retryOptions: the SDK then makes exactly one attempt; the runner owns retries.
  const client = new GoogleGenAI({
    apiKey: opts.apiKey,
    httpOptions: {
      baseUrl: opts.baseURL,
      ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
      fetch: sdkFetch,
    },
  });
  return protocolProvider({
    simulated: false,
    endpoint: opts.baseURL,
    classify: classifyGeminiError,
    async send({ model, messages, params, seed }) {
      const { system, turns } = splitSystem(messages);
      // The SDK's ApiError keeps no headers: this request's own fetch notes a failed response's
      // Retry-After before the SDK reads its body.
      let retryAfterMs: number | undefined;
      const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const response = await sdkFetch(input, init);
        if (!response.ok) retryAfterMs = retryAfterFromHeaders(response.headers);
        return response;
      };
      let response: Awaited<ReturnType<typeof client.models.generateContent>>;
      try {
        response = await client.models.generateContent({
          model,
          contents: turns.map((m) => ({
            role: m.role === 'assistant' ? 'model' : 'user',
            parts: [{ text: m.content }],
          })),
          config: {
            seed,
            ...ifSet('systemInstruction', system),
            ...ifSet('temperature', params.temperature),
            ...ifSet('topP', params.topP),
            ...ifSet('maxOutputTokens', params.maxTokens),
            ...ifSet(
              'thinkingConfig',
              params.thinkingBudget === undefined ? undefined : { thinkingBudget: params.thinkingBudget },
            ),
            // Per request: the SDK documents `fetch` among the HttpOptions a call may override.
            httpOptions: { fetch },
          },
        });
      } catch (err) {
        throw classifyGeminiError(err, retryAfterMs);
      }
      // The SDK returns a class instance with helper getters; keep the plain JSON body only.
      const { sdkHttpResponse: _http, ...plain } = response;
      return JSON.parse(JSON.stringify(plain)) as unknown;
    },
    read(body) {
      const parsed = responseSchema.safeParse(body);
      if (!parsed.success) throw malformedBody(parsed.error, body, 'usageMetadata', usageSchema, geminiUsage);
      const usage = geminiUsage(parsed.data.usageMetadata);
      const candidate = parsed.data.candidates?.[0];
      const blocked = parsed.data.promptFeedback?.blockReason;
      if (blocked || (candidate?.finishReason && FILTERED.has(candidate.finishReason))) {
        const why = blocked ? `prompt blocked: ${blocked}` : `finishReason ${candidate?.finishReason}`;
        throw billedFailure('content_filter', `the provider filtered the response (${why})`, usage, body);
      }
      if (!candidate) throw malformed('no candidates', body, usage);
      const text = (candidate.content?.parts ?? [])
        .filter((p) => !p.thought)
        .map((p) => p.text ?? '')
        .join('');
      return { text, usage };
    },
  });
}

const errorBodySchema = z.object({
  error: z.object({
    message: z.string().optional(),
    status: z.string().optional(),
    details: z
      .array(z.object({ '@type': z.string().optional(), retryDelay: z.string().optional() }))
      .optional(),
  }),
});

/**
 * The SDK's ApiError carries the status and the JSON error body as its message, but no headers: the
 * server's wish to wait is the longer of the body's google.rpc.RetryInfo `retryDelay` ("37s") and the
 * response's `Retry-After` header (`headerRetryAfterMs`, noted by the client's fetch).
 */
export function classifyGeminiError(err: unknown, headerRetryAfterMs?: number): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof ApiError) {
    let message = err.message;
    let retryAfterMs = headerRetryAfterMs;
    try {
      const body = errorBodySchema.parse(JSON.parse(err.message));
      message = [body.error.status, body.error.message].filter(Boolean).join(': ') || message;
      const delay = body.error.details?.find((d) => d.retryDelay)?.retryDelay;
      const seconds = delay ? Number.parseFloat(delay) : Number.NaN;
      if (Number.isFinite(seconds)) retryAfterMs = Math.max(retryAfterMs ?? 0, seconds * 1000);
    } catch {
      // Not the documented error body: keep the SDK's message as it is.
    }
    return errorForStatus(err.status, message, retryAfterMs);
  }
  return classifyTransportError(err);
}
