import { usageOf } from '../../src/providers/usage.js';
import { answerFor, type CountsFor, defaultCounts } from './counts.js';
import { type FakeOptions, type FakeServer, type Protocol, startFake } from './server.js';

interface GenerateContentRequest {
  contents: { role: string; parts: { text: string }[] }[];
  systemInstruction?: unknown;
}

/**
 * Gemini API generateContent as documented (ai.google.dev/api/generate-content): promptTokenCount
 * INCLUDES cachedContentTokenCount; candidatesTokenCount EXCLUDES thoughtsTokenCount (both billed as
 * output). Errors: {"error": {code, message, status, details}}, 429 with a google.rpc.RetryInfo.
 */
export function geminiProtocol(counts: CountsFor = defaultCounts): Protocol {
  return {
    answer(path, request) {
      const match = /^\/v1beta\/models\/([^:]+):generateContent$/.exec(path);
      if (!match) return undefined;
      const r = request as GenerateContentRequest;
      const lastUser = [...r.contents].reverse().find((c) => c.role === 'user');
      const text = answerFor(lastUser?.parts.map((p) => p.text).join('') ?? '');
      const c = counts(JSON.stringify([r.systemInstruction ?? '', r.contents]), text);
      return {
        body: {
          candidates: [
            {
              content: { parts: [{ text }], role: 'model' },
              finishReason: 'STOP',
              index: 0,
            },
          ],
          usageMetadata: {
            promptTokenCount: c.prompt,
            candidatesTokenCount: c.answer,
            totalTokenCount: c.prompt + c.answer + c.reasoning,
            cachedContentTokenCount: c.cacheRead,
            promptTokensDetails: [{ modality: 'TEXT', tokenCount: c.prompt }],
            thoughtsTokenCount: c.reasoning,
          },
          modelVersion: match[1],
          responseId: `fake${c.prompt}`,
        },
        billed: usageOf({
          input: c.prompt,
          output: c.answer + c.reasoning,
          reasoning: c.reasoning,
          cachedInput: c.cacheRead,
        }),
      };
    },
    errorBody(status, kind) {
      if (kind === 'rate_limit') {
        return {
          body: {
            error: {
              code: 429,
              message: 'You exceeded your current quota, please check your plan and billing details.',
              status: 'RESOURCE_EXHAUSTED',
              details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0s' }],
            },
          },
        };
      }
      if (kind === 'not_found') {
        return { body: { error: { code: 404, message: 'models/x is not found', status: 'NOT_FOUND' } } };
      }
      return {
        body: {
          error:
            status === 503
              ? {
                  code: 503,
                  message: 'The model is overloaded. Please try again later.',
                  status: 'UNAVAILABLE',
                }
              : { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' },
        },
      };
    },
    wrongShape(body) {
      // Keeps usageMetadata; candidates becomes a string, which no documented response has.
      return { ...(body as Record<string, unknown>), candidates: 'unavailable' };
    },
  };
}

export async function startGeminiFake(
  opts: FakeOptions & { counts?: CountsFor } = {},
): Promise<FakeServer & { baseUrl: string }> {
  const fake = await startFake(geminiProtocol(opts.counts), opts);
  return { ...fake, baseUrl: fake.origin };
}
