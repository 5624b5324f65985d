import { z } from 'zod';
import { UsageError } from '../../config/errors.js';
import { baseAgentSchema } from '../agent-schema.js';
import type { Provider, ProviderDefinition } from '../types.js';
import { createChatCompletionsProvider } from './client.js';

const agentSchema = baseAgentSchema.extend({
  provider: z.literal('openai-compatible'),
  baseUrl: z.string().url().describe('e.g. http://localhost:8000/v1 (vLLM) or https://openrouter.ai/api/v1'),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/)
    .optional()
    .describe('Name of the environment variable holding the API key'),
});

/** Any endpoint speaking OpenAI Chat Completions: vLLM, Ollama, OpenRouter, Sakana's endpoint. */
export const openaiCompatibleProvider: ProviderDefinition<typeof agentSchema> = {
  kind: 'openai-compatible',
  agentSchema,
  async start({ agents, env }) {
    // One SDK client per (base URL, key), shared by every agent behind it: keep-alive connections are reused.
    const clients = new Map<string, Provider>();
    const byAgent = new Map<string, Provider>();
    for (const agent of agents) {
      const apiKey = agent.apiKeyEnv ? env[agent.apiKeyEnv] : 'none';
      if (!apiKey) {
        throw new UsageError(`pool member '${agent.id}' needs the environment variable ${agent.apiKeyEnv}`);
      }
      const key = `${agent.baseUrl}\u0000${agent.apiKeyEnv ?? ''}`;
      let client = clients.get(key);
      if (!client) {
        client = createChatCompletionsProvider({ baseURL: agent.baseUrl, apiKey, simulated: false });
        clients.set(key, client);
      }
      byAgent.set(agent.id, client);
    }
    return {
      clientFor(agentId) {
        const client = byAgent.get(agentId);
        if (!client) throw new Error(`no openai-compatible client for agent ${agentId}`);
        return client;
      },
      async close() {},
    };
  },
};
