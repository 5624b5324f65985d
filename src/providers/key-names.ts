/** What a pool member's provider settings say about its key (the fields the agent schemas define). */
interface KeyedAgent {
  provider: string;
  apiKeyEnv?: unknown;
}

/** Gemini's own SDK reads either name; baton tries them in this order. */
const GEMINI_KEY_NAMES = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] as const;

/**
 * The environment variables tried, in order, for a pool member's API key; empty when it needs none
 * (the simulated pool, keyless local servers, orchestrator members, replays). The providers read keys
 * by these names, and preflight checks them all before a run.
 */
export function apiKeyNames(agent: KeyedAgent): readonly string[] {
  const named = typeof agent.apiKeyEnv === 'string' ? [agent.apiKeyEnv] : [];
  switch (agent.provider) {
    case 'openai':
    case 'anthropic':
    case 'openai-compatible':
      return named; // openai and anthropic default apiKeyEnv in their schemas; openai-compatible may be keyless
    case 'gemini':
      return named.length > 0 ? named : GEMINI_KEY_NAMES;
    default:
      return [];
  }
}
