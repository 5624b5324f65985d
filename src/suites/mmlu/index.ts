import { basename } from 'node:path';
import { z } from 'zod';
import type { SuiteFormat } from '../format.js';
import { mcqPrompt } from '../instructions.js';
import { readCsvRecords } from '../records/csv.js';
import { recordsToTasks } from '../records/row-loader.js';

const rowSchema = z.object({
  Question: z.string().min(1),
  A: z.string(),
  B: z.string(),
  C: z.string(),
  D: z.string(),
  Answer: z.enum(['A', 'B', 'C', 'D']),
  Subject: z.string().default('mmlu'),
});

/**
 * MMLU as simple-evals reads it (mmlu.csv: Question, A–D, Answer, Subject; the first, unnamed
 * column is pandas' index and becomes the task id), with simple-evals' multiple-choice template.
 */
export const mmluFormat: SuiteFormat = {
  id: 'mmlu',
  title: "MMLU (simple-evals' mmlu.csv: Question, A, B, C, D, Answer, Subject)",
  kind: 'mcq',
  source:
    'mmlu.csv as simple-evals downloads it (its mmlu_eval.py names the address); the 14,042 test questions',
  matches: (path) => /^mmlu.*\.csv$/i.test(basename(path)),
  files: (path) => [path],
  defaultName: () => 'mmlu',
  load: (path, _options, ctx) =>
    recordsToTasks(readCsvRecords(path, ctx.log), rowSchema, ctx, (row, record, index) => {
      const indexColumn = (record.value as Record<string, unknown>)[''];
      const choices = [row.A, row.B, row.C, row.D];
      return {
        id: typeof indexColumn === 'string' && indexColumn !== '' ? indexColumn : String(index),
        suite: ctx.suite,
        category: row.Subject,
        kind: 'mcq',
        prompt: mcqPrompt(row.Question, choices),
        reference: row.Answer,
        choices,
        distractors: [],
        meta: { subject: row.Subject },
      };
    }),
};
