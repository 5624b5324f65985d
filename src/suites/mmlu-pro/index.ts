import { basename } from 'node:path';
import { z } from 'zod';
import type { SuiteFormat } from '../format.js';
import { readJsonRecords } from '../records/json.js';
import { recordsToTasks } from '../records/row-loader.js';

const LETTERS = 'ABCDEFGHIJ';

const rowSchema = z
  .object({
    question_id: z.union([z.number().int(), z.string().min(1)]).transform(String),
    question: z.string().min(1),
    options: z.array(z.string()).min(2).max(10),
    answer: z.string().regex(/^[A-J]$/, 'a letter A–J'),
    answer_index: z.number().int().nonnegative().optional(),
    category: z.string().default('mmlu-pro'),
    src: z.string().optional(),
  })
  .refine((r) => LETTERS.indexOf(r.answer) < r.options.length, {
    message: 'answer is beyond the last option',
    path: ['answer'],
  })
  .refine((r) => r.answer_index === undefined || LETTERS[r.answer_index] === r.answer, {
    message: 'answer and answer_index disagree',
    path: ['answer_index'],
  });

/**
 * TIGER-Lab/MMLU-Pro's evaluate_from_api.py prompt, zero-shot (the official run adds five CoT
 * examples of the category from the validation split): the instruction, then `Question:`,
 * `Options:` lettered A–J and "Answer: Let's think step by step."
 */
export function mmluProPrompt(category: string, question: string, options: readonly string[]): string {
  const lines = options.map((o, i) => `${LETTERS[i]}. ${o}`).join('\n');
  return `The following are multiple choice questions (with answers) about ${category}. Think step by step and then finish your answer with "the answer is (X)" where X is the correct letter choice.\n\nQuestion:\n${question}\nOptions:\n${lines}\nAnswer: Let's think step by step.`;
}

/** MMLU-Pro as JSON Lines (the dataset's parquet converted once; see docs/suites.md). */
export const mmluProFormat: SuiteFormat = {
  id: 'mmlu-pro',
  title: 'MMLU-Pro (JSONL: question_id, question, options[≤10], answer, category)',
  kind: 'mcq',
  source:
    "the test split of the Hugging Face dataset TIGER-Lab/MMLU-Pro, as JSONL: python3 -c \"import pandas; pandas.read_parquet('test-00000-of-00001.parquet').to_json('mmlu_pro_test.jsonl', orient='records', lines=True)\"",
  matches: (path) => /mmlu.?pro.*\.jsonl$/i.test(basename(path)),
  files: (path) => [path],
  defaultName: () => 'mmlu-pro',
  load: (path, _options, ctx) =>
    recordsToTasks(readJsonRecords(path, ctx.log), rowSchema, ctx, (row) => ({
      id: row.question_id,
      suite: ctx.suite,
      category: row.category,
      kind: 'mcq',
      prompt: mmluProPrompt(row.category, row.question, row.options),
      reference: row.answer,
      choices: row.options,
      distractors: [],
      meta: { src: row.src },
    })),
};
