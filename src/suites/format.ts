import type { ProblemLog } from './records/problems.js';
import type { SuiteFormatId, SuiteOptions } from './ref-schema.js';
import type { MathGraderId, Task, TaskKind } from './types.js';

export interface LoadContext {
  /** Suite id every task gets (the ref's `name`, else the format's default). */
  suite: string;
  log: ProblemLog;
}

/** One benchmark file format: how to find its files, name it and turn its rows into tasks. */
export interface SuiteFormat {
  id: SuiteFormatId;
  title: string;
  kind: TaskKind;
  /** Grading mode of its maths tasks when the config names none (default `equivalent`). */
  defaultGrader?: MathGraderId;
  /**
   * Whether a malformed row is fatal when the config does not say (`strict:`): true for files you write
   * (fix them), false for public benchmark files (skip and count the rows you cannot fix).
   */
  strictByDefault?: boolean;
  /** Where to get the files, for the missing-files message and `baton suites list`. */
  source: string;
  /** Whether a path looks like this format's file (used when the config names no format). */
  matches(path: string): boolean;
  /** Every file this entry reads: checked before anything is spent, hashed by `suites verify`. */
  files(path: string, options: SuiteOptions): string[];
  defaultName(options: SuiteOptions): string;
  /** Rows that cannot become tasks are logged (file:line, field) and skipped, never dropped silently. */
  load(path: string, options: SuiteOptions, ctx: LoadContext): Task[];
}
