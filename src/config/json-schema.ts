import { z } from 'zod';
import { runConfigSchema } from './schema.js';

/**
 * JSON Schema of run configs, generated from the zod schema (the one source of truth), over the
 * registries as they are: the built-ins, plus the plugins of a config loaded before (`baton schema --config`).
 */
export function configJsonSchema(): unknown {
  return {
    ...(z.toJSONSchema(runConfigSchema(), { io: 'input', unrepresentable: 'any' }) as object),
    title: 'baton run config',
  };
}
