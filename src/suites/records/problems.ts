import type { z } from 'zod';
import { formatFieldPath, InputError, type InputProblem } from '../../util/errors.js';

/** A row of a suite file that could not become a task: where it is and what is wrong with it. */
export interface RowProblem extends InputProblem {
  file: string;
}

/** A record read from a suite file, with the line it starts on (1-based) for error messages. */
export interface SourceRecord {
  file: string;
  line: number;
  value: unknown;
  /** The record's source text when it is one line (JSONL): used to point at a field's column. */
  text?: string;
}

/**
 * Collects the rows a loader skips. Nothing is dropped silently: in strict mode the first file
 * with problems is fatal (every problem of that file listed); otherwise each problem is kept for
 * `baton suites verify` and announced once on stderr by the caller.
 */
export class ProblemLog {
  readonly problems: RowProblem[] = [];

  constructor(readonly strict: boolean) {}

  add(problem: RowProblem): void {
    this.problems.push(problem);
  }

  /** Records every issue of a failed zod parse of `record`. */
  addZodIssues(record: SourceRecord, issues: readonly z.core.$ZodIssue[]): void {
    for (const issue of issues) {
      const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
      this.add({
        file: record.file,
        line: record.line,
        col: columnOf(record, path[0]),
        field: formatFieldPath(path),
        message: issue.message,
      });
    }
  }

  /** Strict mode: throws an InputError naming every problem of the first file that has any. */
  throwIfStrict(): void {
    if (!this.strict || this.problems.length === 0) return;
    const file = this.problems[0]?.file ?? '';
    throw new InputError(
      file,
      this.problems.filter((p) => p.file === file).map(({ file: _file, ...p }) => p),
    );
  }
}

/** Column (1-based) of a top-level key in a one-line record, else 1. */
function columnOf(record: SourceRecord, key: PropertyKey | undefined): number {
  if (record.text === undefined || typeof key !== 'string') return 1;
  const at = record.text.indexOf(`"${key}"`);
  return at >= 0 ? at + 1 : 1;
}

/** Validates one record against a row schema; a failure is logged and yields undefined. */
export function parseRecord<S extends z.ZodType>(
  schema: S,
  record: SourceRecord,
  log: ProblemLog,
): z.output<S> | undefined {
  const result = schema.safeParse(record.value);
  if (result.success) return result.data;
  log.addZodIssues(record, result.error.issues);
  return undefined;
}
