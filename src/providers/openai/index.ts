import { z } from 'zod';
import { apiKeyEnvSchema, baseAgentSchema, baseUrlSchema } from '../agent-schema.js';
import { apiKeyNames } from '../key-names.js';
import { openaiApiSchema, startOpenAIProtocol } from '../openai-compatible/start.js';
import type { ProviderDefinition } from '../types.js';

const agentSchema = baseAgentSchema.extend({
  provider: z.literal('openai'),
  api: openaiApiSchema,
  baseUrl: baseUrlSchema.default('https://api.openai.com/v1'),
  apiKeyEnv: apiKeyEnvSchema.default('OPENAI_API_KEY'),
});

/** OpenAI's own API (Chat Completions or Responses), priced from configs/prices.yaml. */
export const openaiProvider: ProviderDefinition<typeof agentSchema> = {
  kind: 'openai',
  agentSchema,
  async start({ agents, env, requestTimeoutMs }) {
    return startOpenAIProtocol(
      agents.map((a) => ({ ...a, keyNames: [...apiKeyNames(a)] })),
      env,
      requestTimeoutMs,
    );
  },
};
