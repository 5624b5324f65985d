import { z } from 'zod';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore');

const codeTestsSchema = z.discriminatedUnion('style', [
  z
    .object({
      style: z.literal('stdin'),
      cases: z.array(z.object({ input: z.string(), output: z.string() }).strict()).min(1),
    })
    .strict(),
  z
    .object({
      style: z.literal('call'),
      functionName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      cases: z.array(z.object({ args: z.array(z.unknown()), expected: z.unknown() }).strict()).min(1),
    })
    .strict(),
]);

const codeTask = z
  .object({
    id,
    category: z.string().default('code'),
    prompt: z.string().min(1),
    tests: codeTestsSchema,
    reference: z.string().min(1).describe('A solution that passes every test'),
    distractors: z.array(z.string().min(1)).default([]).describe('Plausible solutions that fail'),
  })
  .strict();

const mathTask = z
  .object({
    id,
    category: z.string().default('math'),
    prompt: z.string().min(1),
    answer: z.string().min(1),
    equivalents: z.array(z.string()).default([]).describe('Other spellings that must count as correct'),
    distractors: z.array(z.string()).default([]),
  })
  .strict();

const mcqTask = z
  .object({
    id,
    category: z.string().default('mcq'),
    question: z.string().min(1),
    choices: z.array(z.string().min(1)).min(2).max(10),
    answer: z.string().regex(/^[A-J]$/, 'a single letter A–J'),
  })
  .strict()
  .refine((t) => t.answer.charCodeAt(0) - 65 < t.choices.length, {
    path: ['answer'],
    message: 'answer letter is beyond the last choice',
  });

const header = { suite: id, version: z.number().int().positive(), description: z.string().optional() };

/** baton's own suite file: one YAML document, one kind of task. */
export const suiteFileSchema = z
  .discriminatedUnion('kind', [
    z.object({ ...header, kind: z.literal('code'), tasks: z.array(codeTask).min(1) }).strict(),
    z.object({ ...header, kind: z.literal('math'), tasks: z.array(mathTask).min(1) }).strict(),
    z.object({ ...header, kind: z.literal('mcq'), tasks: z.array(mcqTask).min(1) }).strict(),
  ])
  .superRefine((suite, ctx) => {
    const seen = new Set<string>();
    for (const [i, task] of suite.tasks.entries()) {
      if (seen.has(task.id))
        ctx.addIssue({ code: 'custom', path: ['tasks', i, 'id'], message: `duplicate task id '${task.id}'` });
      seen.add(task.id);
    }
  });

export type SuiteFile = z.output<typeof suiteFileSchema>;
