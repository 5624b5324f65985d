import { z } from 'zod';

export const modelParamsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().min(0).max(1).optional(),
    maxTokens: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Cap on generated tokens, reasoning included (bounds the budget estimate)'),
    reasoningEffort: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
    thinkingBudget: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Thinking tokens: Anthropic extended thinking budget_tokens, Gemini thinkingBudget'),
  })
  .strict();

const usdPerMillion = (what: string) => z.number().nonnegative().describe(`USD per 1M ${what}`);

const tierPriceFields = {
  input: usdPerMillion('input tokens'),
  output: usdPerMillion('output tokens (reasoning included)'),
  cachedInput: usdPerMillion('cached input tokens (cache reads)').optional(),
  cacheWrite: usdPerMillion('input tokens written to the cache (5-minute lifetime)').optional(),
  cacheWrite1h: usdPerMillion('input tokens written to the cache with the 1-hour lifetime').optional(),
};

export const priceSchema = z
  .object({
    ...tierPriceFields,
    tiers: z
      .array(
        z
          .object({
            abovePromptTokens: z.number().int().positive(),
            ...tierPriceFields,
          })
          .strict(),
      )
      .optional()
      .describe('Prices for prompts longer than abovePromptTokens (whole call billed at that tier)'),
    reportedCost: z
      .boolean()
      .optional()
      .describe('Bill the cost the endpoint reports (usage.cost); input/output then only bound budgets'),
  })
  .strict();

/** Fields shared by every pool member; providers extend this with their own. */
export const baseAgentSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore; no spaces')
      .describe('The name orchestrators and reports use for this member'),
    model: z.string().min(1).describe('A model name, as the provider spells it (e.g. gpt-5)'),
    description: z.string().optional().describe('What a prompted orchestrator is told about this agent'),
    vendor: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Who receives this member's requests, as the data-egress table names it. Default: OpenAI, Anthropic or Google for those providers; the model name behind openai-compatible, sim, replay and plugin providers",
      ),
    params: modelParamsSchema.default({}),
    expectedOutputTokens: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "Typical output tokens per call, reasoning included: the dry-run estimate's expected figure (default: a simulated agent's profile, else params.maxTokens as the high end)",
      ),
    price: priceSchema
      .optional()
      .describe(
        'USD per 1M tokens; overrides configs/prices.yaml field by field. Required when the table lacks the model.',
      ),
  })
  .strict();

/** The name of an environment variable (or `.env` entry) holding an API key. */
export const apiKeyEnvSchema = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/)
  .describe('Name of the environment variable holding the API key');

/**
 * An endpoint's base URL. Credentials in it (`https://user:key@host`) are refused: the URL is echoed
 * in stores, traces and reports and hashed into cache keys, where a key must never go.
 */
export const baseUrlSchema = z
  .string()
  .url()
  .refine(
    (url) => !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url),
    'no credentials in the URL (user:key@): put the key in the environment variable apiKeyEnv names',
  );
