import { anthropicProvider } from './anthropic/index.js';
import { geminiProvider } from './gemini/index.js';
import { apiKeyNames } from './key-names.js';
import { openaiProvider } from './openai/index.js';
import { openaiCompatibleProvider } from './openai-compatible/index.js';
import { replayProvider } from './replay/index.js';
import { simProvider } from './sim/index.js';
import type { ProviderDefinition } from './types.js';

/** The provider kinds shipped with baton. Adding one: one folder and one line here. */
const kinds: ProviderDefinition[] = [
  simProvider,
  openaiCompatibleProvider,
  openaiProvider,
  anthropicProvider,
  geminiProvider,
  replayProvider,
];

/** Every provider kind of this process: the built-ins, then those added by a config's plugins. */
export const providerKinds: readonly ProviderDefinition[] = kinds;

/** Adds a plugin's provider kind; the same definition twice is a no-op, another under a known name is refused. */
export function addProviderKind(definition: ProviderDefinition): void {
  const known = kinds.find((k) => k.kind === definition.kind);
  if (known === definition) return;
  if (known) throw new Error(`provider kind '${definition.kind}' is already defined`);
  kinds.push(definition);
}

/**
 * The environment variables tried, in order, for a pool member's API key: its own `apiKeyEnv`, else its
 * provider's declared defaults; empty when it needs none. What preflight checks and `k8s manifests` mounts.
 */
export function memberApiKeyNames(agent: { provider: string; apiKeyEnv?: unknown }): readonly string[] {
  return apiKeyNames(agent, kinds.find((k) => k.kind === agent.provider)?.defaultApiKeyEnv);
}
