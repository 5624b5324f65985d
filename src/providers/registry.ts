import { openRegistry } from '../util/registry.js';
import { anthropicProvider } from './anthropic/index.js';
import { geminiProvider } from './gemini/index.js';
import { apiKeyNames } from './key-names.js';
import { openaiProvider } from './openai/index.js';
import { openaiCompatibleProvider } from './openai-compatible/index.js';
import { replayProvider } from './replay/index.js';
import { simProvider } from './sim/index.js';
import type { ProviderDefinition } from './types.js';

/** The provider kinds shipped with baton. Adding one: one folder and one line here. */
const builtInKinds: readonly ProviderDefinition[] = [
  simProvider,
  openaiCompatibleProvider,
  openaiProvider,
  anthropicProvider,
  geminiProvider,
  replayProvider,
];

const registry = openRegistry(builtInKinds, (k) => k.kind, 'provider kind');

/** Every provider kind of this process: the built-ins, then those added by a config's plugins. */
export const providerKinds = registry.all;

/** Adds a plugin's provider kind; the same definition twice is a no-op, another under a known name is refused. */
export const addProviderKind = registry.add;

/**
 * The environment variables tried, in order, for a pool member's API key: its own `apiKeyEnv`, else its
 * provider's declared defaults; empty when it needs none. What preflight checks and `k8s manifests` mounts.
 */
export function memberApiKeyNames(agent: { provider: string; apiKeyEnv?: unknown }): readonly string[] {
  return apiKeyNames(agent, providerKinds.find((k) => k.kind === agent.provider)?.defaultApiKeyEnv);
}
