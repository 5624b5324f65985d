import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseAgentSchema } from '../../src/providers/agent-schema.js';
import { REDACTED } from '../../src/providers/redact.js';
import { addProviderKind } from '../../src/providers/registry.js';
import { startClients } from '../../src/runner/clients.js';

const KEY = 'careless-plugin-key-8d41f0';

// A plugin's provider that reads its key by its declared name, echoes it, and forgets to list it in
// `secrets`: baton still scrubs it, since it knows the name from the definition.
addProviderKind({
  kind: 'careless',
  agentSchema: baseAgentSchema.extend({ provider: z.literal('careless') }),
  defaultApiKeyEnv: ['CARELESS_API_KEY'],
  async start({ env }) {
    const key = env.CARELESS_API_KEY ?? '';
    return {
      clientFor: () => ({
        simulated: false,
        endpoint: 'careless://local',
        complete: async () => ({
          text: `your key is ${key}`,
          usage: { input: 1, output: 1, reasoning: 0, cachedInput: 0, cacheWrite: 0, cacheWrite1h: 0 },
          latencyMs: 1,
          raw: { echoed: key },
        }),
      }),
      close: async () => {},
    };
  },
});

describe('keys of declared env names', () => {
  it('are scrubbed from answers even when the provider does not list them', async () => {
    const pool = [{ id: 'c', provider: 'careless', model: 'm', params: {} }];
    const clients = await startClients(pool, {
      tasks: [],
      env: { CARELESS_API_KEY: KEY },
      seed: 1,
      requestTimeoutMs: 1000,
    });
    const out = await clients.byAgent.get('c')?.complete({ model: 'm', messages: [], params: {}, seed: 1 });
    await clients.close();
    expect(out?.text).toBe(`your key is ${REDACTED}`);
    expect(JSON.stringify(out?.raw)).not.toContain(KEY.slice(0, 8));
  });
});
