import { basename } from 'node:path';
import { z } from 'zod';
import type { SuiteFormat } from '../format.js';
import { codeInstruction } from '../instructions.js';
import { readJsonRecords } from '../records/json.js';
import { recordsToTasks } from '../records/row-loader.js';
import type { CodeTests } from '../types.js';

const rowSchema = z.object({
  task_id: z.string().min(1),
  prompt: z.string().min(1),
  canonical_solution: z.string(),
  test: z.string().includes('def check('),
  entry_point: z.string().regex(/^[A-Za-z_]\w*$/),
});

/** simple-evals humaneval_eval.py's instruction, sent before the signature and docstring. */
const INSTRUCTION =
  'Read the following function signature and docstring, and fully implement the function described. Your response should only contain the code for this function.\n';

/**
 * openai/human-eval: a solution passes when `prompt + completion + test + check(entry_point)`
 * raises nothing within 3 s (execution.py). The sandbox's `check` style runs exactly that.
 */
export const humanevalFormat: SuiteFormat = {
  id: 'humaneval',
  title: 'HumanEval (openai/human-eval HumanEval.jsonl[.gz])',
  kind: 'code',
  source: 'HumanEval.jsonl.gz from the openai/human-eval repository (data/HumanEval.jsonl.gz)',
  matches: (path) => /^HumanEval\.jsonl(\.gz)?$/i.test(basename(path)),
  files: (path) => [path],
  defaultName: () => 'humaneval',
  load: (path, _options, ctx) =>
    recordsToTasks(readJsonRecords(path, ctx.log), rowSchema, ctx, (row) => {
      const tests: CodeTests = {
        style: 'check',
        prompt: row.prompt,
        cases: [{ test: row.test, entryPoint: row.entry_point }],
      };
      return {
        id: row.task_id,
        suite: ctx.suite,
        category: 'code',
        kind: 'code',
        prompt: `${INSTRUCTION}${row.prompt}\n\n${codeInstruction(tests)}`,
        reference: row.prompt + row.canonical_solution,
        tests,
        distractors: [],
        meta: { entryPoint: row.entry_point },
      };
    }),
};
