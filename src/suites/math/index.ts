import { z } from 'zod';
import { answerSuiteFormat } from './answer-suite.js';

/** HuggingFaceH4/MATH-500 test.jsonl (the PRM800K 500-problem subset of Hendrycks MATH). */
export const math500Format = answerSuiteFormat({
  id: 'math',
  title: 'MATH / MATH-500 (problem, answer, subject, level, unique_id)',
  source: 'test.jsonl of the Hugging Face dataset HuggingFaceH4/MATH-500 (or PRM800K math_splits/test.jsonl)',
  fileName: /^(math.*|test)\.jsonl$/i,
  defaultName: 'math500',
  defaultGrader: 'equivalent',
  rowSchema: z.object({
    problem: z.string().min(1),
    answer: z.string().min(1),
    subject: z.string().default('math'),
    level: z.number().int().optional(),
    unique_id: z.string().optional(),
  }),
  toItem: (row, _record, index) => ({
    id: row.unique_id ?? String(index + 1),
    problem: row.problem,
    answer: row.answer,
    category: row.subject,
    meta: { subject: row.subject, level: row.level },
  }),
});

const idValue = z.union([z.string().min(1), z.number().int()]).transform(String);
const answerValue = z.union([z.string().min(1), z.number()]).transform(String);

/**
 * AIME 2024 / 2025 as the usual Hugging Face copies spell them: `problem` (HuggingFaceH4,
 * yentinglin), `Problem`/`Answer`/`ID` (Maxwell-Jia/AIME_2024) or `question` (opencompass/AIME2025).
 * Keys are matched case-insensitively. Answers are integers 0–999, graded by the `aime` mode.
 */
export const aimeFormat = answerSuiteFormat({
  id: 'aime',
  title: 'AIME 2024 / 2025 (problem or question, answer, id)',
  source:
    'the JSONL of an AIME copy on Hugging Face, e.g. HuggingFaceH4/aime_2024, opencompass/AIME2025 (aime2025-I.jsonl, aime2025-II.jsonl)',
  fileName: /aime/i,
  defaultName: 'aime',
  defaultGrader: 'aime',
  rowSchema: z.preprocess(
    lowerCaseKeys,
    z
      .object({
        problem: z.string().min(1).optional(),
        question: z.string().min(1).optional(),
        answer: answerValue,
        id: idValue.optional(),
        year: z.union([z.string(), z.number()]).optional(),
      })
      .refine((r) => r.problem !== undefined || r.question !== undefined, {
        message: "needs 'problem' or 'question'",
        path: ['problem'],
      }),
  ),
  toItem: (row, _record, index) => ({
    id: row.id ?? String(index + 1),
    problem: row.problem ?? row.question ?? '',
    answer: row.answer.trim(),
    category: 'aime',
    meta: { year: row.year },
  }),
});

/** openai/grade-school-math: the final answer follows `#### ` at the end of `answer`. */
export const gsm8kFormat = answerSuiteFormat({
  id: 'gsm8k',
  title: 'GSM8K (question, answer ending in "#### N")',
  source: 'grade_school_math/data/test.jsonl from the openai/grade-school-math repository',
  fileName: /gsm8k|grade.?school/i,
  defaultName: 'gsm8k',
  defaultGrader: 'gsm8k',
  rowSchema: z.object({
    question: z.string().min(1),
    answer: z.string().regex(/####\s*\S/, "the worked answer must end with '#### <number>'"),
  }),
  toItem: (row, _record, index) => ({
    id: String(index + 1),
    problem: row.question,
    // grade_school_math/dataset.py extract_answer: the text after "#### ", commas removed.
    answer: (row.answer.split('####').at(-1) ?? '').trim().replaceAll(',', ''),
    category: 'gsm8k',
    meta: {},
  }),
});

function lowerCaseKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
}
