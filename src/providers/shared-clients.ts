import { apiKeyFrom } from './api-key.js';
import type { AgentConfig, Provider, ProviderInstance } from './types.js';

export interface ClientSpec {
  /** Environment variables to try for the key, in order; empty = the endpoint needs no key. */
  keyNames: readonly string[];
  /** Agents with the same sharing key get one client (and reuse its keep-alive connections). */
  sharingKey: string;
}

/**
 * One client per distinct endpoint and key, shared by every agent behind it; keys are read here, once,
 * and reported as secrets so the runner can scrub them from everything it writes.
 */
export function startSharedClients<A extends AgentConfig>(
  agents: readonly A[],
  env: NodeJS.ProcessEnv,
  spec: (agent: A) => ClientSpec,
  create: (agent: A, apiKey: string) => Provider,
): ProviderInstance {
  const clients = new Map<string, Provider>();
  const byAgent = new Map<string, Provider>();
  const secrets = new Set<string>();
  for (const agent of agents) {
    const { keyNames, sharingKey } = spec(agent);
    // Local servers (vLLM, Ollama) take any key; the SDKs insist on a non-empty one.
    const apiKey = keyNames.length > 0 ? apiKeyFrom(env, agent.id, keyNames) : 'none';
    if (keyNames.length > 0) secrets.add(apiKey);
    const key = `${sharingKey}\u0000${keyNames.join(',')}`;
    const client = clients.get(key) ?? create(agent, apiKey);
    clients.set(key, client);
    byAgent.set(agent.id, client);
  }
  return {
    clientFor(agentId) {
      const client = byAgent.get(agentId);
      if (!client) throw new Error(`no client for agent ${agentId}`);
      return client;
    },
    secrets: [...secrets],
    async close() {},
  };
}
