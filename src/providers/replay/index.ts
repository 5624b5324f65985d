import { resolve } from 'node:path';
import { z } from 'zod';
import { baseAgentSchema } from '../agent-schema.js';
import type { ProviderDefinition } from '../types.js';
import { type Cassette, readCassette } from './cassette.js';
import { createReplayClient } from './client.js';

const agentSchema = baseAgentSchema.extend({
  provider: z.literal('replay'),
  cassette: z
    .string()
    .min(1)
    .describe('Cassette file (JSONL) recorded with `baton run --record`, relative to the working directory'),
});

/**
 * A pool member served entirely from a cassette: re-grade or re-report someone else's run offline,
 * at $0 (costs shown are those recorded). To replay a whole run unchanged, prefer `baton run
 * <config> --replay <cassette>`, which keeps the config (and its hash) as it was.
 */
export const replayProvider: ProviderDefinition<typeof agentSchema> = {
  kind: 'replay',
  agentSchema,
  async start({ agents }) {
    const cassettes = new Map<string, Cassette>();
    const clients = new Map(
      agents.map((agent) => {
        const file = resolve(agent.cassette);
        const cassette = cassettes.get(file) ?? readCassette(file);
        cassettes.set(file, cassette);
        return [agent.id, createReplayClient(cassette, recordedAgent(cassette, agent.id))] as const;
      }),
    );
    return {
      clientFor(agentId) {
        const client = clients.get(agentId);
        if (!client) throw new Error(`no replay client for agent ${agentId}`);
        return client;
      },
      async close() {},
    };
  },
};

/** Where the recorded agent's requests went and whether it was simulated, as the cassette says. */
export function recordedAgent(
  cassette: Cassette,
  agentId: string,
): { id: string; endpoint?: string; simulated?: boolean } {
  for (const call of cassette.calls.values()) {
    if (call.agentId === agentId) return { id: agentId, endpoint: call.endpoint, simulated: call.simulated };
  }
  return { id: agentId };
}
