import { z } from 'zod';

/** Where a published figure comes from: enough for a reader to find the number themselves. */
const sourceSchema = z
  .object({
    title: z.string().describe('Paper, product page or article title'),
    publisher: z.string().optional(),
    arxiv: z
      .string()
      .regex(/^\d{4}\.\d{4,5}(v\d+)?$/, 'an arXiv id such as 2512.04695')
      .optional(),
    url: z.url().optional(),
    location: z.string().optional().describe('Table, figure or section, e.g. "Table 8"'),
    retrieved: z
      .string()
      .optional()
      .describe('How the figure reached this file (read in the paper, quoted by an article…)'),
  })
  .strict()
  .refine((s) => s.arxiv !== undefined || s.url !== undefined, { message: 'give an arxiv id or a url' });

const figureSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    system: z.string().describe('The system the figure is about, as the source names it'),
    benchmark: z.string().describe('Benchmark (and split/version) the figure was measured on'),
    suiteVersion: z.union([z.string(), z.number()]).optional(),
    metric: z
      .enum(['accuracy', 'token-ratio'])
      .default('accuracy')
      .describe('accuracy: percent correct; token-ratio: tokens per task of the system / of its baseline'),
    value: z.number().describe('accuracy in percent (70.44), or a ratio (0.167)'),
    approximate: z.boolean().default(false).describe('The source gives the figure loosely ("about 1/6")'),
    baseline: z.string().optional().describe('token-ratio: what the system is compared with'),
    note: z.string().optional(),
  })
  .strict();

export const claimFileSchema = z
  .object({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    source: sourceSchema,
    setup: z
      .object({
        pool: z.array(z.string()).default([]).describe('Models in the pool, as the source names them'),
        notes: z.string().optional(),
      })
      .strict()
      .default({ pool: [] }),
    figures: z.array(figureSchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    for (const [i, f] of file.figures.entries()) {
      if (seen.has(f.id))
        ctx.addIssue({
          code: 'custom',
          path: ['figures', i, 'id'],
          message: `duplicate figure id '${f.id}'`,
        });
      seen.add(f.id);
      if (f.metric === 'token-ratio' && f.baseline === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['figures', i, 'baseline'],
          message: 'a token-ratio figure needs a baseline',
        });
    }
  });

export type ClaimFile = z.output<typeof claimFileSchema>;
export type ClaimFigure = ClaimFile['figures'][number];

/**
 * The run config's `claims` entry: which claim file to check and which measured orchestrator (and
 * suite) each published figure is compared with.
 */
export const claimRefSchema = z
  .object({
    file: z.string().describe('Claim file (configs/claims/*.yaml), relative to this config file'),
    compare: z
      .array(
        z
          .object({
            figure: z.string().describe('Figure id in the claim file'),
            orchestrator: z.string().describe('Orchestrator id in this config measured against it'),
            suite: z
              .string()
              .default('all')
              .describe("Suite id, or 'all' for the average over this run's suites"),
            baseline: z
              .string()
              .optional()
              .describe('token-ratio figures: the orchestrator in the denominator'),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type ClaimRef = z.output<typeof claimRefSchema>;
