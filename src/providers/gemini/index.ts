import { z } from 'zod';
import { apiKeyEnvSchema, baseAgentSchema, baseUrlSchema } from '../agent-schema.js';
import { apiKeyNames } from '../key-names.js';
import { startSharedClients } from '../shared-clients.js';
import type { ProviderDefinition } from '../types.js';

const agentSchema = baseAgentSchema.extend({
  provider: z.literal('gemini'),
  baseUrl: baseUrlSchema.default('https://generativelanguage.googleapis.com'),
  apiKeyEnv: apiKeyEnvSchema
    .optional()
    .describe('Environment variable holding the key; default GEMINI_API_KEY, then GOOGLE_API_KEY'),
});

/** Gemini's own SDK reads either name; baton tries them in this order. */
const GEMINI_KEY_NAMES = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'];

/** Google's Gemini API (generateContent) through `@google/genai`. */
export const geminiProvider: ProviderDefinition<typeof agentSchema> = {
  kind: 'gemini',
  agentSchema,
  defaultApiKeyEnv: GEMINI_KEY_NAMES,
  async start({ agents, env, requestTimeoutMs }) {
    // Loaded on use: @google/genai pulls in auth and gRPC modules every other run would pay for.
    const { createGeminiProvider } = await import('./client.js');
    return startSharedClients(
      agents,
      env,
      (a) => ({
        keyNames: apiKeyNames(a, GEMINI_KEY_NAMES),
        sharingKey: a.baseUrl,
      }),
      (a, apiKey) => createGeminiProvider({ baseURL: a.baseUrl, apiKey, timeoutMs: requestTimeoutMs }),
    );
  },
};
