import { z } from 'zod';

/** `training:` in a run config: how `baton train` optimises a trinity orchestrator's head. */
export const trainingSchema = z
  .object({
    orchestrator: z.string().describe('id of the trinity orchestrator whose head is trained'),
    output: z
      .string()
      .optional()
      .describe(
        'Head file to write, relative to the config file (`baton train --output` overrides it); default: head.onnx in the training folder',
      ),
    population: z
      .number()
      .int()
      .min(2)
      .max(256)
      .default(32)
      .describe('λ, candidates per generation (TRINITY: 32)'),
    evaluations: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .default(16)
      .describe('Tasks each candidate is scored on per generation (TRINITY: 16); fitness = mean reward'),
    generations: z.number().int().min(1).max(1000).default(60),
    sigma: z.number().positive().default(0.5).describe('Initial step size'),
    parameters: z
      .enum(['all', 'statistics'])
      .default('all')
      .describe("'all' head weights, or only those on the featurizer's 24 transcript statistics (faster)"),
    baseline: z
      .enum(['random-search', 'none'])
      .default('random-search')
      .describe('Random search with the same evaluations, on the same tasks, reported side by side'),
  })
  .strict();

export type TrainingConfig = z.output<typeof trainingSchema>;
