import { z } from 'zod';
import { apiKeyEnvSchema, baseAgentSchema, baseUrlSchema } from '../agent-schema.js';
import { apiKeyNames } from '../key-names.js';
import { startSharedClients } from '../shared-clients.js';
import type { ProviderDefinition } from '../types.js';

const agentSchema = baseAgentSchema.extend({
  provider: z.literal('anthropic'),
  baseUrl: baseUrlSchema.default('https://api.anthropic.com'),
  apiKeyEnv: apiKeyEnvSchema.default('ANTHROPIC_API_KEY'),
});

/** Anthropic's Messages API through `@anthropic-ai/sdk`. */
export const anthropicProvider: ProviderDefinition<typeof agentSchema> = {
  kind: 'anthropic',
  agentSchema,
  async start({ agents, env, requestTimeoutMs }) {
    const { createAnthropicProvider } = await import('./client.js'); // loaded on use
    return startSharedClients(
      agents,
      env,
      (a) => ({ keyNames: apiKeyNames(a), sharingKey: a.baseUrl }),
      (a, apiKey) => createAnthropicProvider({ baseURL: a.baseUrl, apiKey, timeoutMs: requestTimeoutMs }),
    );
  },
};
