import type { z } from 'zod';
import type { LoadContext, SuiteFormat } from '../format.js';
import { MATH_INSTRUCTION } from '../instructions.js';
import { readJsonRecords } from '../records/json.js';
import type { SourceRecord } from '../records/problems.js';
import { recordsToTasks } from '../records/row-loader.js';
import type { MathGraderId } from '../types.js';

export interface MathItem {
  id: string;
  problem: string;
  answer: string;
  category: string;
  meta: Record<string, unknown>;
}

/**
 * A benchmark whose rows are (problem, final answer) pairs graded by math equivalence
 * (MATH-500, AIME, GSM8K): each format only says how to read its row.
 */
export function answerSuiteFormat<S extends z.ZodType>(spec: {
  id: SuiteFormat['id'];
  title: string;
  source: string;
  fileName: RegExp;
  defaultName: string;
  defaultGrader: MathGraderId;
  rowSchema: S;
  toItem: (row: z.output<S>, record: SourceRecord, index: number, ctx: LoadContext) => MathItem | undefined;
}): SuiteFormat {
  return {
    id: spec.id,
    title: spec.title,
    kind: 'math',
    defaultGrader: spec.defaultGrader,
    source: spec.source,
    matches: (path) => spec.fileName.test(path.split('/').at(-1) ?? ''),
    files: (path) => [path],
    defaultName: () => spec.defaultName,
    load: (path, _options, ctx) =>
      recordsToTasks(readJsonRecords(path, ctx.log), spec.rowSchema, ctx, (row, record, index) => {
        const item = spec.toItem(row, record, index, ctx);
        if (!item) return undefined;
        return {
          id: item.id,
          suite: ctx.suite,
          category: item.category,
          kind: 'math' as const,
          prompt: `${item.problem.trimEnd()}\n\n${MATH_INSTRUCTION}`,
          reference: item.answer,
          distractors: [],
          meta: item.meta,
        };
      }),
  };
}
