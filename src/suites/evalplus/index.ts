import { basename } from 'node:path';
import { z } from 'zod';
import type { SuiteFormat } from '../format.js';
import { codeInstruction } from '../instructions.js';
import { readJsonRecords } from '../records/json.js';
import { recordsToTasks } from '../records/row-loader.js';
import type { CheckCase, CodeTests } from '../types.js';
import { EVALPLUS_CHECK_PROGRAM } from './check-program.py.js';

const rowSchema = z.object({
  task_id: z.string().regex(/^(HumanEval|Mbpp)\/\d+$/, "'HumanEval/N' or 'Mbpp/N'"),
  prompt: z.string().min(1),
  entry_point: z.string().regex(/^[A-Za-z_]\w*$/),
  canonical_solution: z.string().min(1),
  base_input: z.array(z.array(z.unknown())),
  plus_input: z.array(z.array(z.unknown())),
  atol: z.number().nonnegative().default(0),
});

/** evalplus codegen's instruction prefix for chat models; the task prompt follows in a fence. */
const INSTRUCTION =
  'Please provide a self-contained Python script that solves the following problem in a markdown code block:';

/**
 * EvalPlus allows min(60 s, Σ per-input limits) + 1 s per task (untrusted_check); here each
 * input set (base, plus) is one check case under that whole-task limit. Per-input limits
 * (max(4 s, 4 × the canonical solution's time)) are not applied: a deviation documented in docs/suites.md.
 */
const EVALPLUS_TASK_TIMEOUT_MS = 61_000;

function checkCase(
  dataset: string,
  taskNumber: number,
  row: z.output<typeof rowSchema>,
  inputs: unknown[],
): CheckCase {
  const call = `_ep_check(candidate, ${JSON.stringify(dataset)}, ${taskNumber}, ${JSON.stringify(row.entry_point)}, ${pythonFloat(row.atol)}, ${JSON.stringify(row.prompt + row.canonical_solution)}, ${JSON.stringify(JSON.stringify(inputs))})`;
  return {
    test: `${EVALPLUS_CHECK_PROGRAM}\n\ndef check(candidate):\n    ${call}\n`,
    entryPoint: row.entry_point,
  };
}

function pythonFloat(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/**
 * EvalPlus HumanEval+ / MBPP+ (`HumanEvalPlus.jsonl.gz`, `MbppPlus.jsonl.gz`). `variant: base`
 * grades on the original inputs (the HumanEval/MBPP score under EvalPlus's harness); `plus`
 * (default) needs base and plus inputs to pass, as EvalPlus's "plus" pass@1.
 */
export const evalplusFormat: SuiteFormat = {
  id: 'evalplus',
  title: 'EvalPlus HumanEval+ / MBPP+ (HumanEvalPlus.jsonl[.gz], MbppPlus.jsonl[.gz])',
  kind: 'code',
  source:
    'HumanEvalPlus.jsonl.gz / MbppPlus.jsonl.gz from the evalplus/humanevalplus_release and evalplus/mbppplus_release GitHub releases',
  matches: (path) => /^(HumanEval|Mbpp)Plus.*\.jsonl(\.gz)?$/i.test(basename(path)),
  files: (path) => [path],
  defaultName: (options) => `evalplus-${options.variant ?? 'plus'}`,
  load: (path, options, ctx) =>
    recordsToTasks(readJsonRecords(path, ctx.log), rowSchema, ctx, (row) => {
      const [prefix, number] = row.task_id.split('/') as [string, string];
      const dataset = prefix === 'HumanEval' ? 'humaneval' : 'mbpp';
      const variant = options.variant ?? 'plus';
      const cases = [checkCase(dataset, Number(number), row, row.base_input)];
      if (variant === 'plus') cases.push(checkCase(dataset, Number(number), row, row.plus_input));
      const tests: CodeTests = { style: 'check', cases, timeoutMs: EVALPLUS_TASK_TIMEOUT_MS };
      return {
        id: row.task_id,
        suite: ctx.suite,
        category: 'code',
        kind: 'code',
        prompt: `${INSTRUCTION}\n\`\`\`\n${row.prompt.trim()}\n\`\`\`\n\n${codeInstruction(tests)}`,
        reference: row.prompt + row.canonical_solution,
        tests,
        distractors: [],
        meta: {
          entryPoint: row.entry_point,
          atol: row.atol,
          baseInputs: row.base_input.length,
          plusInputs: row.plus_input.length,
          variant,
        },
      };
    }),
};
