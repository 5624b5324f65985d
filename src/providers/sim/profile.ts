import { z } from 'zod';

const probability = z.number().min(0).max(1);

/** How a synthetic pool member behaves. Numbers are the simulation's assumptions, not measurements. */
export const simProfileSchema = z
  .object({
    skill: z
      .record(z.string(), probability)
      .describe('P(correct) working alone, by task category or kind; key "default" for the rest'),
    judgment: probability.default(0.7).describe('P(right verdict) as verifier or judge'),
    contextUse: probability
      .default(0.8)
      .describe('P(keeping a correct earlier answer it sees, when its own attempt would have failed)'),
    misled: probability
      .default(0.15)
      .describe('P(an earlier wrong answer spoils an attempt that would succeed)'),
    firstTokenMs: z.number().nonnegative().default(300),
    tokensPerSecond: z.number().positive().default(200),
    outputTokens: z.number().int().positive().default(200).describe('Typical visible answer length'),
    reasoningTokens: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe('Hidden reasoning tokens per call (billed)'),
    planner: z
      .object({
        beliefs: z
          .union([z.literal('informed'), z.record(z.string(), z.record(z.string(), probability))])
          .describe(
            '"informed" = knows every agent\'s true skill (a trained Conductor); else agent → category → belief',
          ),
        malformedRate: probability.default(0).describe('P(a plan that does not parse)'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type SimProfile = z.output<typeof simProfileSchema>;

export function skillFor(profile: SimProfile, category: string, kind: string): number {
  return profile.skill[category] ?? profile.skill[kind] ?? profile.skill.default ?? 0.5;
}
