import { z } from 'zod';
import { runConfigSchema } from './schema.js';

/** JSON Schema of run configs, generated from the zod schema (the one source of truth). */
export function configJsonSchema(): unknown {
  return {
    ...(z.toJSONSchema(runConfigSchema, { io: 'input', unrepresentable: 'any' }) as object),
    title: 'baton run config',
  };
}
