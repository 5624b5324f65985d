import { z } from 'zod';
import { baseOrchestratorSchema } from '../orchestrators/options-schema.js';
import { solverMessages } from '../orchestrators/prompts.js';
import { CallFailed, callOrNull, OrchestrationError } from '../orchestrators/types.js';
import { apiKeyEnvSchema, baseAgentSchema } from '../providers/agent-schema.js';
import { apiKeyFrom } from '../providers/api-key.js';
import { apiKeyNames } from '../providers/key-names.js';
import { ProviderError } from '../providers/types.js';

/**
 * What a plugin's default export is called with: the pieces the built-in definitions are made of.
 * Schemas must be built with this `z` (baton's own zod, whatever copy the plugin could import), so
 * they validate configs and appear in `baton schema` like the built-ins'. Documented in
 * docs/extending.md; adding a field is a compatible change, renaming one is not.
 */
export const pluginKit = {
  z,
  /** `id` and `description`: extend it with `family: z.literal(...)` and the family's options. */
  baseOrchestratorSchema,
  /** `id`, `model`, `description`, `params`, `price`…: extend it with `provider: z.literal(...)`. */
  baseAgentSchema,
  /** An environment variable name, for an `apiKeyEnv` field. */
  apiKeyEnvSchema,
  /** The built-in solver prompt: the task's prompt as the user message. */
  solverMessages,
  /** A call that failed after its retries, or null: for a family that routes around a lost agent. */
  callOrNull,
  CallFailed,
  OrchestrationError,
  ProviderError,
  /** A member's key env names: its `apiKeyEnv`, else the given defaults. */
  apiKeyNames,
  /** The first of those names set in the environment (or `.env`); a missing key stops the run before any call. */
  apiKeyFrom,
};
