import { z } from 'zod';
import { suiteFileSchema } from './schema.js';

/**
 * JSON Schema of baton's own suite files, generated from the zod schema the loader uses (editor
 * completion and hover text: `# yaml-language-server: $schema=…/baton-suite.schema.json`).
 */
export function suiteJsonSchema(): unknown {
  return {
    ...(z.toJSONSchema(suiteFileSchema, { io: 'input', unrepresentable: 'any' }) as object),
    title: 'baton suite',
  };
}
