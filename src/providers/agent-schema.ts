import { z } from 'zod';

export const modelParamsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().min(0).max(1).optional(),
    maxTokens: z.number().int().positive().optional(),
    reasoningEffort: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
  })
  .strict();

export const priceSchema = z
  .object({
    input: z.number().nonnegative().describe('USD per 1M input tokens'),
    output: z.number().nonnegative().describe('USD per 1M output tokens (reasoning included)'),
    cachedInput: z.number().nonnegative().optional().describe('USD per 1M cached input tokens'),
  })
  .strict();

/** Fields shared by every pool member; providers extend this with their own. */
export const baseAgentSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore; no spaces'),
    model: z.string().min(1),
    description: z.string().optional().describe('What a prompted orchestrator is told about this agent'),
    params: modelParamsSchema.default({}),
    price: priceSchema,
  })
  .strict();
