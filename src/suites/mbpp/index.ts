import { basename } from 'node:path';
import { z } from 'zod';
import type { SuiteFormat } from '../format.js';
import { codeInstruction } from '../instructions.js';
import { readJsonRecords } from '../records/json.js';
import { recordsToTasks } from '../records/row-loader.js';
import type { SuiteOptions } from '../ref-schema.js';
import type { CodeTests } from '../types.js';

/**
 * google-research/mbpp in both spellings: the original `mbpp.jsonl` (`text`, `test_setup_code`)
 * and `sanitized-mbpp.json` (`prompt`, `test_imports`). A solution passes when the task's
 * `test_list` asserts all hold (challenge_test_list is not part of the reported score).
 */
const rowSchema = z
  .object({
    task_id: z.number().int().positive(),
    text: z.string().min(1).optional(),
    prompt: z.string().min(1).optional(),
    code: z.string().min(1),
    test_list: z.array(z.string().min(1)).min(1),
    test_setup_code: z.string().default(''),
    test_imports: z.array(z.string()).default([]),
  })
  .refine((r) => r.text !== undefined || r.prompt !== undefined, {
    message: "needs the task description: 'text' (mbpp.jsonl) or 'prompt' (sanitized-mbpp.json)",
    path: ['text'],
  });

/** Task-id ranges of the MBPP paper (Austin et al. 2021, §2.1). */
const SPLITS: Record<NonNullable<SuiteOptions['split']>, [number, number]> = {
  prompt: [1, 10],
  test: [11, 510],
  validation: [511, 600],
  train: [601, 974],
  all: [1, Number.MAX_SAFE_INTEGER],
};

/**
 * The function the tests call: the first function defined at the top of the reference code whose
 * name the asserts use (reference solutions sometimes define helpers first).
 */
export function mbppEntryPoint(code: string, tests: readonly string[]): string | undefined {
  const defined = [...code.matchAll(/^def\s+([A-Za-z_]\w*)\s*\(/gm)].map((m) => m[1] as string);
  const called = tests.join('\n');
  return defined.find((name) => new RegExp(`\\b${name}\\s*\\(`).test(called));
}

/** A `check(candidate)` program holding the asserts, so the sandbox's HumanEval style runs MBPP. */
export function mbppCheckProgram(setup: string, tests: readonly string[]): string {
  const body = tests.map((t) => `    ${t.trim()}`).join('\n');
  return `${setup.trim()}\n\ndef check(candidate):\n${body}\n`;
}

export const mbppFormat: SuiteFormat = {
  id: 'mbpp',
  title: 'MBPP (google-research mbpp.jsonl, sanitized-mbpp.json)',
  kind: 'code',
  source: 'mbpp/mbpp.jsonl or mbpp/sanitized-mbpp.json from the google-research/google-research repository',
  matches: (path) => /^(sanitized-)?mbpp\.jsonl?$/i.test(basename(path)),
  files: (path) => [path],
  defaultName: (options) => `mbpp-${options.split ?? 'test'}`,
  load(path, options, ctx) {
    const [first, last] = SPLITS[options.split ?? 'test'];
    return recordsToTasks(readJsonRecords(path, ctx.log), rowSchema, ctx, (row, record) => {
      if (row.task_id < first || row.task_id > last) return undefined;
      const entryPoint = mbppEntryPoint(row.code, row.test_list);
      if (!entryPoint) {
        ctx.log.add({
          file: record.file,
          line: record.line,
          col: 1,
          field: 'test_list',
          message: 'the asserts call no function the reference code defines',
        });
        return undefined;
      }
      const setup = [...row.test_imports, row.test_setup_code].join('\n');
      const tests: CodeTests = {
        style: 'check',
        cases: [{ test: mbppCheckProgram(setup, row.test_list), entryPoint }],
      };
      const description = row.prompt ?? row.text ?? '';
      // The MBPP paper's prompt: the description, then the three asserts the code must pass.
      const prompt = `You are an expert Python programmer, and here is your task: ${description} Your code should pass these tests:\n\n${row.test_list.join('\n')}\n\n${codeInstruction(tests)}`;
      return {
        id: `Mbpp/${row.task_id}`,
        suite: ctx.suite,
        category: 'code',
        kind: 'code',
        prompt,
        reference: row.code,
        tests,
        distractors: [],
        meta: { taskId: row.task_id, entryPoint },
      };
    });
  },
};
