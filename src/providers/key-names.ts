/** What a pool member's provider settings say about its key (the fields the agent schemas define). */
interface KeyedAgent {
  apiKeyEnv?: unknown;
}

/**
 * The environment variables tried, in order, for a pool member's API key: the one it names
 * (`apiKeyEnv`), else its provider's defaults (ProviderDefinition.defaultApiKeyEnv); empty when it
 * needs none (the simulated pool, keyless local servers, orchestrator members, replays).
 */
export function apiKeyNames(agent: KeyedAgent, defaults: readonly string[] = []): readonly string[] {
  return typeof agent.apiKeyEnv === 'string' ? [agent.apiKeyEnv] : defaults;
}
