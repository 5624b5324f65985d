import { z } from 'zod';

/** Fields every orchestrator entry has; families extend this with their own options. */
export const baseOrchestratorSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore; no spaces'),
    description: z.string().optional(),
  })
  .strict();
