import { z } from 'zod';
import { baseAgentSchema } from '../agent-schema.js';
import { createChatCompletionsProvider } from '../openai-compatible/client.js';
import type { ProviderDefinition } from '../types.js';
import { simProfileSchema } from './profile.js';
import { startSimServer } from './server.js';

const agentSchema = baseAgentSchema.extend({
  provider: z.literal('sim'),
  sim: simProfileSchema,
});

/** The simulated pool (offline default): a local HTTP server reached through the OpenAI SDK. */
export const simProvider: ProviderDefinition<typeof agentSchema> = {
  kind: 'sim',
  agentSchema,
  async start({ agents, tasks }) {
    const server = await startSimServer({
      agents: agents.map((a) => ({ id: a.id, model: a.model, profile: a.sim })),
      tasks,
    });
    const client = createChatCompletionsProvider({ baseURL: server.url, apiKey: 'sim-needs-no-key', simulated: true });
    return { clientFor: () => client, close: () => server.close() };
  },
};
