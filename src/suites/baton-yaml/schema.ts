import { z } from 'zod';

/*
 * baton's own suite format (docs/suites.md, "Writing a suite"). The descriptions are what editors show
 * through the JSON Schema (`baton schema --suite`); keep them in step with the docs' field reference.
 */

const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore')
  .describe('Task id, unique in the file: letters, digits, dot, dash, underscore');

const category = (kind: string) =>
  z
    .string()
    .default(kind)
    .describe(
      `Finer than the kind (e.g. 'algebra'): reports break accuracy down by it and the simulated pool looks up its skills by it (default: '${kind}')`,
    );

const timeoutMs = z
  .number()
  .int()
  .positive()
  .max(600_000)
  .optional()
  .describe("Wall-clock limit per test case in ms (default 6000); a config's scoring.timeoutMs overrides it");

const codeTestsSchema = z
  .discriminatedUnion('style', [
    z
      .object({
        style: z
          .literal('stdin')
          .describe("The program reads each case's input on stdin; its stdout must match the case's output"),
        cases: z
          .array(
            z
              .object({
                input: z.string().describe('Text given on stdin'),
                output: z
                  .string()
                  .describe(
                    'Expected stdout, compared as LiveCodeBench does: line by line after stripping whitespace, a line of numbers equal as decimals',
                  ),
              })
              .strict(),
          )
          .min(1),
        timeoutMs,
      })
      .strict(),
    z
      .object({
        style: z
          .literal('call')
          .describe('The solution defines a function; each case calls it and compares the return value'),
        functionName: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a Python identifier')
          .describe("The function the tests call (the entry point named in the task's instruction)"),
        cases: z
          .array(
            z
              .object({
                args: z
                  .array(z.unknown())
                  .describe('Positional arguments, as JSON values (lists, numbers, strings…)'),
                expected: z
                  .unknown()
                  .describe('Expected return value, a JSON value (tuples compare as lists)'),
              })
              .strict(),
          )
          .min(1),
        timeoutMs,
      })
      .strict(),
  ])
  .describe("How the solution is run: 'stdin' programs or 'call'ed functions, in the sandbox");

export const codeTaskSchema = z
  .object({
    id,
    category: category('code'),
    prompt: z
      .string()
      .min(1)
      .describe('The problem statement; baton appends the answer-format instruction for the test style'),
    tests: codeTestsSchema,
    reference: z
      .string()
      .min(1)
      .describe('Python 3 source of a solution that passes every test (checked by `baton suites verify`)'),
    distractors: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "Plausible solutions that fail at least one test: the simulated pool's wrong answers (checked by `baton suites verify`)",
      ),
  })
  .strict();

export const mathTaskSchema = z
  .object({
    id,
    category: category('math'),
    prompt: z
      .string()
      .min(1)
      .describe('The problem; baton appends "Put your final answer within \\boxed{}."'),
    answer: z
      .string()
      .min(1)
      .describe(
        "The exact answer, as LaTeX without \\boxed{} (e.g. '\\frac{2}{9}'), graded by the suite's grader",
      ),
    equivalents: z
      .array(z.string())
      .default([])
      .describe('Other spellings that must count as correct (checked by `baton suites verify`)'),
    distractors: z
      .array(z.string())
      .default([])
      .describe("Plausible wrong values: the simulated pool's wrong answers; each must grade wrong"),
  })
  .strict();

export const mcqTaskSchema = z
  .object({
    id,
    category: category('mcq'),
    question: z.string().min(1).describe('The question; the choices are appended lettered A), B), …'),
    choices: z
      .array(z.string().min(1))
      .min(2)
      .max(10)
      .describe('2 to 10 options, shown in this order as A, B, …; no two alike'),
    answer: z
      .string()
      .regex(/^[A-J]$/, 'a single letter A–J')
      .describe("The correct choice's letter (A is the first choice)"),
  })
  .strict()
  .refine((t) => t.answer.charCodeAt(0) - 65 < t.choices.length, {
    path: ['answer'],
    message: 'answer letter is beyond the last choice',
  });

const header = {
  suite: id.describe("Suite id in reports (a config's `name:` renames it)"),
  version: z
    .number()
    .int()
    .positive()
    .describe("Your version of the file, kept in each task's meta (suiteVersion); bump it when tasks change"),
  description: z.string().optional().describe('What the suite holds, for readers'),
};

export type SuiteKind = 'code' | 'math' | 'mcq';

/** The file without its tasks: a fault here makes the whole file unusable (the loader checks each task alone). */
export const suiteHeaderSchema = z
  .object({
    ...header,
    kind: z.enum(['code', 'math', 'mcq'] satisfies SuiteKind[]),
    tasks: z.array(z.unknown()).min(1, 'at least one task'),
  })
  .strict();

const kindField = (kind: SuiteKind, what: string) =>
  z.literal(kind).describe(`Every task of the file is ${what}`);
const tasksField = <S extends z.ZodType>(task: S) => z.array(task).min(1).describe('The tasks, at least one');

/** baton's own suite file, whole: one YAML document, one kind of task (what `baton schema --suite` prints). */
export const suiteFileSchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        ...header,
        kind: kindField('code', 'a program graded by running its tests'),
        tasks: tasksField(codeTaskSchema),
      })
      .strict(),
    z
      .object({
        ...header,
        kind: kindField('math', 'a maths problem with one exact answer'),
        tasks: tasksField(mathTaskSchema),
      })
      .strict(),
    z
      .object({
        ...header,
        kind: kindField('mcq', 'a multiple-choice question'),
        tasks: tasksField(mcqTaskSchema),
      })
      .strict(),
  ])
  .describe("A baton suite file (docs/suites.md, 'Writing a suite')");
