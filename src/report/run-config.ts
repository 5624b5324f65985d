import { z } from 'zod';
import { claimRefSchema } from './claims/schema.js';

/**
 * The parts of the stored run config the report reads. Parsed leniently (unknown fields pass):
 * the report must open runs written by older and newer versions of baton.
 */
const storedConfigSchema = z.looseObject({
  file: z.string().optional(),
  suitePaths: z.array(z.string()).default([]),
  suites: z
    .array(z.looseObject({ limit: z.number().optional(), ids: z.array(z.string()).optional() }))
    .default([]),
  pool: z
    .array(z.looseObject({ id: z.string(), model: z.string(), vendor: z.string().min(1).optional() }))
    .default([]),
  claims: z.array(claimRefSchema).default([]),
  orchestrators: z.array(z.looseObject({ id: z.string(), family: z.string() })).default([]),
  ablation: z.looseObject({ drop: z.array(z.string()) }).optional(),
  report: z.looseObject({ baseline: z.string().optional() }).optional(),
  // Absent from runs made before subsets existed: a whole run.
  selection: z
    .object({
      limit: z.number().optional(),
      sample: z.object({ count: z.number(), seed: z.number() }).optional(),
      only: z.array(z.string()).optional(),
      set: z.array(z.string()).optional(),
    })
    .default({}),
});

export type StoredConfig = z.output<typeof storedConfigSchema>;

export function parseStoredConfig(configJson: string): StoredConfig {
  let value: unknown;
  try {
    value = JSON.parse(configJson);
  } catch {
    value = {};
  }
  const parsed = storedConfigSchema.safeParse(value);
  return parsed.success ? parsed.data : storedConfigSchema.parse({});
}
