import { z } from 'zod';
import { billedFailure, malformedBody } from '../errors.js';
import { ifSet, protocolProvider } from '../protocol-provider.js';
import type { Provider, Usage } from '../types.js';
import { usageOf } from '../usage.js';
import { createOpenAIClient, type OpenAIClientOptions } from './client.js';
import { classifyOpenAIError } from './errors.js';

const count = z.number().int().nonnegative();

/** Responses API `usage`: input_tokens includes cached tokens, output_tokens includes reasoning tokens. */
const responsesUsageSchema = z.object({
  input_tokens: count,
  output_tokens: count,
  input_tokens_details: z.object({ cached_tokens: count.nullish() }).nullish(),
  output_tokens_details: z.object({ reasoning_tokens: count.nullish() }).nullish(),
  cost: z.number().nonnegative().nullish(),
});

const outputItemSchema = z.union([
  z.object({
    type: z.literal('message'),
    content: z.array(
      z.union([
        z.object({ type: z.literal('output_text'), text: z.string() }),
        z.object({ type: z.literal('refusal'), refusal: z.string() }),
      ]),
    ),
  }),
  // Reasoning summaries, tool calls and anything newer carry no answer text.
  z.object({ type: z.string() }),
]);

const responseSchema = z.object({
  status: z.string().nullish(),
  output: z.array(outputItemSchema),
  incomplete_details: z.object({ reason: z.string().nullish() }).nullish(),
  usage: responsesUsageSchema,
});

function responsesUsage(usage: z.output<typeof responsesUsageSchema>): Usage {
  return usageOf({
    input: usage.input_tokens,
    output: usage.output_tokens,
    reasoning: usage.output_tokens_details?.reasoning_tokens ?? 0,
    cachedInput: usage.input_tokens_details?.cached_tokens ?? 0,
    ...(usage.cost == null ? {} : { reportedCostUsd: usage.cost }),
  });
}

/** A provider speaking the OpenAI Responses API (`POST /responses`) through the official SDK. */
export function createResponsesProvider(opts: OpenAIClientOptions): Provider {
  const client = createOpenAIClient(opts);
  return protocolProvider({
    simulated: opts.simulated,
    endpoint: opts.baseURL,
    classify: classifyOpenAIError,
    async send({ model, messages, params }) {
      // The raw response: the SDK's own post-processing (output_text) would crash on a malformed
      // body before we could classify it and read its usage.
      const response = await client.responses
        .create({
          model,
          input: messages.map((m) => ({ role: m.role, content: m.content })),
          // Stateless: every call stands alone, as in the trace; nothing is kept server-side.
          store: false,
          ...ifSet('temperature', params.temperature),
          ...ifSet('top_p', params.topP),
          ...ifSet('max_output_tokens', params.maxTokens),
          ...ifSet('reasoning', params.reasoningEffort && { effort: params.reasoningEffort }),
        })
        .asResponse();
      return response.json();
    },
    read(body) {
      const parsed = responseSchema.safeParse(body);
      if (!parsed.success)
        throw malformedBody(parsed.error, body, 'usage', responsesUsageSchema, responsesUsage);
      const usage = responsesUsage(parsed.data.usage);
      let text = '';
      let refused = false;
      for (const item of parsed.data.output) {
        if (item.type !== 'message' || !('content' in item)) continue;
        for (const part of item.content) {
          if (part.type === 'output_text') text += part.text;
          else refused = true;
        }
      }
      if (refused || parsed.data.incomplete_details?.reason === 'content_filter') {
        throw billedFailure('content_filter', 'the provider filtered the response', usage, body);
      }
      if (parsed.data.status === 'failed') throw billedFailure('server', 'the response failed', usage, body);
      return { text, usage };
    },
  });
}
