import { z } from 'zod';
import { MATH_GRADER_IDS } from './types.js';

/** Every suite file format baton reads; `src/suites/registry.ts` has one loader per id. */
export const SUITE_FORMAT_IDS = [
  'baton',
  'livecodebench',
  'humaneval',
  'mbpp',
  'evalplus',
  'math',
  'aime',
  'gsm8k',
  'gpqa',
  'mmlu',
  'mmlu-pro',
] as const;
export type SuiteFormatId = (typeof SUITE_FORMAT_IDS)[number];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'not a calendar date');

const suiteId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore');

/** Options that only some formats understand: naming one for another format is an error. */
export const FORMAT_OPTIONS: Record<string, readonly SuiteFormatId[]> = {
  release: ['livecodebench'],
  startDate: ['livecodebench'],
  endDate: ['livecodebench'],
  platform: ['livecodebench'],
  stdin: ['livecodebench', 'baton'],
  variant: ['evalplus'],
  split: ['mbpp'],
  shuffleSeed: ['gpqa'],
  shufflePass: ['gpqa'],
};

/** A run config's `suites[]` entry: which file(s), read how, and which part of them. */
export const suiteRefSchema = z
  .object({
    path: z
      .string()
      .describe(
        'Suite file (or, for LiveCodeBench, the folder of test*.jsonl), relative to this config file',
      ),
    format: z
      .enum(SUITE_FORMAT_IDS)
      .optional()
      .describe("File format; default: guessed from the file name ('.yaml' is baton's own format)"),
    name: suiteId
      .optional()
      .describe('Suite id in reports and claims (default: from the format and options)'),
    grader: z
      .enum(MATH_GRADER_IDS)
      .optional()
      .describe(
        "Maths grading mode: 'equivalent' (same value however written; default for MATH and baton suites), 'hendrycks' (MATH's own is_equiv), 'aime' (integer 0–999; default for AIME), 'gsm8k' (plain number; default for GSM8K)",
      ),
    scorer: z
      .string()
      .optional()
      .describe(
        "Scorer of every task (a plugin's, docs/extending.md); default: the task kind's (code, math, mcq, text)",
      ),
    limit: z.number().int().positive().optional().describe('Use only the first N tasks (after filters)'),
    ids: z.array(z.string()).min(1).optional().describe('Use only these task ids'),
    strict: z
      .boolean()
      .optional()
      .describe(
        "A malformed row is fatal (default: true for baton's own suites; for public files false: skipped, counted and reported with file:line)",
      ),
    source: z.string().optional().describe('Where to get the file(s): printed when they are missing'),
    release: z
      .string()
      .regex(/^(release_v\d+|release_latest|v\d+|v\d+_v\d+)$/, 'release_vN, release_latest, vN or vX_vY')
      .optional()
      .describe(
        'LiveCodeBench version tag: release_vN = test..testN.jsonl, vN = testN.jsonl only, vX_vY = X..Y',
      ),
    startDate: isoDate
      .optional()
      .describe('LiveCodeBench: keep problems with contest_date >= this day (00:00)'),
    endDate: isoDate
      .optional()
      .describe('LiveCodeBench: keep problems with contest_date <= this day (00:00), as lcb_runner'),
    platform: z
      .array(z.enum(['leetcode', 'codeforces', 'atcoder']))
      .min(1)
      .optional()
      .describe('LiveCodeBench: keep these platforms only'),
    stdin: z
      .enum(['lcb', 'real'])
      .optional()
      .describe(
        "Stdin programs (LiveCodeBench, baton code suites): 'lcb' (default) = LiveCodeBench's runner, the input only through the replaced sys.stdin, open(0) and fd 0 empty, sys.stdout captured; 'real' = as on a judge, the input on a real fd 0 and fd 1 compared",
      ),
    variant: z
      .enum(['base', 'plus'])
      .optional()
      .describe(
        "EvalPlus: 'base' (original tests' inputs) or 'plus' (base and plus inputs: HumanEval+/MBPP+)",
      ),
    split: z
      .enum(['test', 'train', 'validation', 'prompt', 'all'])
      .optional()
      .describe(
        'MBPP: task-id split of the paper (test 11–510, train 601–974, validation 511–600, prompt 1–10)',
      ),
    shuffleSeed: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('GPQA: seed of the Python random.Random that permutes the choices (simple-evals: 0)'),
    shufflePass: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe("GPQA: which of simple-evals' n_repeats passes to reproduce (0 = the first)"),
    window: z
      .object({
        start: isoDate.optional(),
        end: isoDate.optional(),
        note: z.string().optional(),
      })
      .strict()
      .optional()
      .describe('Contamination window the items were published in; default: LiveCodeBench startDate/endDate'),
  })
  .strict()
  .superRefine((ref, ctx) => {
    for (const [option, formats] of Object.entries(FORMAT_OPTIONS)) {
      if (ref[option as keyof typeof ref] === undefined) continue;
      if (ref.format === undefined || !formats.includes(ref.format)) {
        ctx.addIssue({
          code: 'custom',
          path: [option],
          message: `'${option}' applies to format ${formats.join(', ')}: set format: ${formats[0]}`,
        });
      }
    }
    if (ref.startDate && ref.endDate && ref.startDate > ref.endDate)
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'endDate is before startDate' });
  });

export type SuiteRef = z.output<typeof suiteRefSchema>;
/** What loaders accept: a config entry without its path (stored configs of older runs may lack fields). */
export type SuiteOptions = Partial<Omit<SuiteRef, 'path'>>;
