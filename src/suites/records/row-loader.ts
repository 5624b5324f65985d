import type { z } from 'zod';
import type { LoadContext } from '../format.js';
import { parseRecord, type SourceRecord } from './problems.js';

/**
 * The loop every row-per-task loader shares: validate each record with the format's row schema,
 * turn the valid ones into tasks (a converter may still reject a row by logging and returning
 * undefined), and stamp each task with its file and line for error messages and `suites show`.
 */
export function recordsToTasks<S extends z.ZodType, T extends { meta: Record<string, unknown> }>(
  records: SourceRecord[],
  schema: S,
  ctx: LoadContext,
  convert: (row: z.output<S>, record: SourceRecord, index: number) => T | undefined,
): T[] {
  const tasks: T[] = [];
  for (const [index, record] of records.entries()) {
    const row = parseRecord(schema, record, ctx.log);
    if (row === undefined) continue;
    const task = convert(row, record, index);
    if (task) tasks.push({ ...task, meta: { file: record.file, line: record.line, ...task.meta } });
  }
  return tasks;
}
