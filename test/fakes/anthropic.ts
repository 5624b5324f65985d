import { usageOf } from '../../src/providers/usage.js';
import { answerFor, type CountsFor, defaultCounts, lastUserText } from './counts.js';
import { type FakeOptions, type FakeServer, type Protocol, startFake } from './server.js';

interface MessagesRequest {
  model: string;
  system?: string;
  messages: { role: string; content: string }[];
  thinking?: { type: string; budget_tokens: number };
}

/**
 * Anthropic's Messages API as documented (docs.anthropic.com/en/api/messages): `input_tokens`
 * EXCLUDES cache reads and writes (reported in cache_read_input_tokens / cache_creation_input_tokens,
 * split by lifetime in cache_creation); `output_tokens` includes thinking. Errors:
 * {"type":"error","error":{"type":"rate_limit_error"|"overloaded_error"|"api_error", message}}; 529 = overloaded.
 */
export function anthropicProtocol(counts: CountsFor = defaultCounts): Protocol {
  return {
    answer(path, request) {
      if (path !== '/v1/messages') return undefined;
      const r = request as MessagesRequest;
      const text = answerFor(lastUserText(r.messages));
      const c = counts(JSON.stringify([r.system ?? '', r.messages]), text);
      const fresh = c.prompt - c.cacheRead - c.cacheWrite;
      const thinking = r.thinking ? c.reasoning : 0;
      const output = c.answer + thinking;
      return {
        body: {
          id: `msg_fake${c.prompt}`,
          type: 'message',
          role: 'assistant',
          model: r.model,
          content: [
            ...(r.thinking
              ? [{ type: 'thinking', thinking: 'Let me weigh the options.', signature: 'c2lnbmF0dXJl' }]
              : []),
            { type: 'text', text },
          ],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: {
            input_tokens: fresh,
            cache_creation_input_tokens: c.cacheWrite,
            cache_read_input_tokens: c.cacheRead,
            cache_creation: {
              ephemeral_5m_input_tokens: c.cacheWrite - c.cacheWrite1h,
              ephemeral_1h_input_tokens: c.cacheWrite1h,
            },
            output_tokens: output,
            service_tier: 'standard',
          },
        },
        billed: usageOf({
          input: c.prompt,
          output,
          cachedInput: c.cacheRead,
          cacheWrite: c.cacheWrite,
          cacheWrite1h: c.cacheWrite1h,
        }),
      };
    },
    errorBody(status, kind) {
      const error =
        kind === 'rate_limit'
          ? {
              type: 'rate_limit_error',
              message: 'Number of request tokens has exceeded your per-minute rate limit',
            }
          : kind === 'not_found'
            ? { type: 'not_found_error', message: 'Not found' }
            : status === 503
              ? { type: 'overloaded_error', message: 'Overloaded' }
              : { type: 'api_error', message: 'Internal server error' };
      return { body: { type: 'error', error, request_id: 'req_fake' } };
    },
    wrongShape(body) {
      const { content: _content, ...rest } = body as Record<string, unknown>;
      return rest;
    },
  };
}

export async function startAnthropicFake(
  opts: FakeOptions & { counts?: CountsFor } = {},
): Promise<FakeServer & { baseUrl: string }> {
  const fake = await startFake(anthropicProtocol(opts.counts), opts);
  return { ...fake, baseUrl: fake.origin };
}
