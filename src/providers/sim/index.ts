import { appendFileSync } from 'node:fs';
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
  async start({ agents, tasks, env, requestTimeoutMs }) {
    const log = env.BATON_SIM_LOG;
    const server = await startSimServer({
      agents: agents.map((a) => ({ id: a.id, model: a.model, profile: a.sim })),
      tasks,
      // Debugging aid: one JSON line per answered request, to see exactly what the pool served.
      ...(log ? { onRequest: (r) => appendFileSync(log, `${JSON.stringify(r)}\n`) } : {}),
    });
    const client = createChatCompletionsProvider({
      baseURL: server.url,
      apiKey: 'sim-needs-no-key',
      simulated: true,
      timeoutMs: requestTimeoutMs,
    });
    return { clientFor: () => client, close: () => server.close() };
  },
};
