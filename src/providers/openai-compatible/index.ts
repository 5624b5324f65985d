import { z } from 'zod';
import { apiKeyEnvSchema, baseAgentSchema, baseUrlSchema } from '../agent-schema.js';
import { apiKeyNames } from '../key-names.js';
import type { ProviderDefinition } from '../types.js';
import { openaiApiSchema, startOpenAIProtocol } from './start.js';

const agentSchema = baseAgentSchema.extend({
  provider: z.literal('openai-compatible'),
  baseUrl: baseUrlSchema.describe('e.g. http://localhost:8000/v1 (vLLM) or https://openrouter.ai/api/v1'),
  apiKeyEnv: apiKeyEnvSchema
    .optional()
    .describe('Environment variable holding the key; omit for keyless local servers'),
  api: openaiApiSchema,
});

/** Any endpoint speaking OpenAI Chat Completions or Responses: vLLM, Ollama, OpenRouter, Sakana's Fugu. */
export const openaiCompatibleProvider: ProviderDefinition<typeof agentSchema> = {
  kind: 'openai-compatible',
  agentSchema,
  async start({ agents, env, requestTimeoutMs }) {
    return startOpenAIProtocol(
      agents.map((a) => ({ ...a, keyNames: [...apiKeyNames(a)] })),
      env,
      requestTimeoutMs,
    );
  },
};
