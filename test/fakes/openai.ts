import { usageOf } from '../../src/providers/usage.js';
import { answerFor, type CountsFor, defaultCounts, lastUserText } from './counts.js';
import { type FakeOptions, type FakeServer, type Protocol, startFake } from './server.js';

interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
}
interface ResponsesRequest {
  model: string;
  input: { role: string; content: string }[];
}

/**
 * OpenAI's API as documented (platform.openai.com/docs/api-reference): POST /v1/chat/completions and
 * POST /v1/responses. Usage: prompt/input tokens include cached_tokens; completion/output tokens
 * include reasoning_tokens. Errors: {"error": {message, type, param, code}}.
 */
export function openaiProtocol(
  counts: CountsFor = defaultCounts,
  extra: { cost?: (billed: number) => number } = {},
): Protocol {
  return {
    answer(path, request) {
      if (path === '/v1/chat/completions') {
        const r = request as ChatRequest;
        const text = answerFor(lastUserText(r.messages));
        const c = counts(JSON.stringify(r.messages), text);
        const completion = c.answer + c.reasoning;
        const usage: Record<string, unknown> = {
          prompt_tokens: c.prompt,
          completion_tokens: completion,
          total_tokens: c.prompt + completion,
          prompt_tokens_details: { cached_tokens: c.cacheRead, audio_tokens: 0 },
          completion_tokens_details: {
            reasoning_tokens: c.reasoning,
            audio_tokens: 0,
            accepted_prediction_tokens: 0,
            rejected_prediction_tokens: 0,
          },
        };
        const reported = extra.cost?.(c.prompt + completion);
        if (reported !== undefined) usage.cost = reported;
        return {
          body: {
            id: `chatcmpl-fake${c.prompt}`,
            object: 'chat.completion',
            created: 1_764_000_000,
            model: r.model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: text, refusal: null, annotations: [] },
                logprobs: null,
                finish_reason: 'stop',
              },
            ],
            usage,
            service_tier: 'default',
            system_fingerprint: null,
          },
          billed: usageOf({
            input: c.prompt,
            output: completion,
            reasoning: c.reasoning,
            cachedInput: c.cacheRead,
            ...(reported === undefined ? {} : { reportedCostUsd: reported }),
          }),
        };
      }
      if (path === '/v1/responses') {
        const r = request as ResponsesRequest;
        const text = answerFor(lastUserText(r.input));
        const c = counts(JSON.stringify(r.input), text);
        const output = c.answer + c.reasoning;
        return {
          body: {
            id: `resp_fake${c.prompt}`,
            object: 'response',
            created_at: 1_764_000_000,
            status: 'completed',
            error: null,
            incomplete_details: null,
            instructions: null,
            max_output_tokens: null,
            model: r.model,
            output: [
              { id: 'rs_fake', type: 'reasoning', summary: [] },
              {
                id: 'msg_fake',
                type: 'message',
                status: 'completed',
                role: 'assistant',
                content: [{ type: 'output_text', annotations: [], logprobs: [], text }],
              },
            ],
            parallel_tool_calls: true,
            reasoning: { effort: 'medium', summary: null },
            store: false,
            temperature: 1,
            text: { format: { type: 'text' } },
            tool_choice: 'auto',
            tools: [],
            top_p: 1,
            truncation: 'disabled',
            usage: {
              input_tokens: c.prompt,
              input_tokens_details: { cached_tokens: c.cacheRead },
              output_tokens: output,
              output_tokens_details: { reasoning_tokens: c.reasoning },
              total_tokens: c.prompt + output,
            },
            user: null,
            metadata: {},
          },
          billed: usageOf({ input: c.prompt, output, reasoning: c.reasoning, cachedInput: c.cacheRead }),
        };
      }
      return undefined;
    },
    errorBody(status, kind) {
      if (kind === 'rate_limit') {
        return {
          body: {
            error: {
              message:
                'Rate limit reached for requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.',
              type: 'requests',
              param: null,
              code: 'rate_limit_exceeded',
            },
          },
          headers: { 'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '0' },
        };
      }
      if (kind === 'not_found') {
        return {
          body: {
            error: { message: 'Unknown route', type: 'invalid_request_error', param: null, code: null },
          },
        };
      }
      return {
        body: {
          error: {
            message:
              status === 503
                ? 'The engine is currently overloaded, please try again later.'
                : 'The server had an error while processing your request. Sorry about that!',
            type: 'server_error',
            param: null,
            code: null,
          },
        },
      };
    },
    wrongShape(body) {
      // Keeps usage, loses the answer: `choices` (chat) or `output` (responses) is missing.
      const { choices: _c, output: _o, ...rest } = body as Record<string, unknown>;
      return rest;
    },
  };
}

export async function startOpenAIFake(
  opts: FakeOptions & { counts?: CountsFor; cost?: (t: number) => number } = {},
): Promise<FakeServer & { baseUrl: string }> {
  const fake = await startFake(openaiProtocol(opts.counts, opts.cost ? { cost: opts.cost } : {}), opts);
  return { ...fake, baseUrl: `${fake.origin}/v1` };
}
