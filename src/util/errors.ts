/** A problem in a file the user wrote (config, suite): reported as file:line:col, exit code 2, no stack. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly problems: InputProblem[],
  ) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'InputError';
  }
}

export interface InputProblem {
  line: number;
  col: number;
  /** Dotted field path such as `pool[2].price.input`; empty for syntax errors. */
  field: string;
  message: string;
  /**
   * A problem a `--set` override caused: told by the override (its text, and the field it set)
   * instead of a file line the user did not write.
   */
  override?: { text: string; field: string };
}

function formatProblem(file: string, p: InputProblem): string {
  if (p.override)
    return `--set ${p.override.text}: ${p.field && p.field !== p.override.field ? `${p.field}: ` : ''}${p.message}`;
  const where = `${file}:${p.line}:${p.col}`;
  return p.field ? `${where}: ${p.field}: ${p.message}` : `${where}: ${p.message}`;
}

/**
 * Bad command-line or config input (an option, a file or folder the user named, a run id): exit code 2
 * like InputError. Nothing was run.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The run itself cannot go on (a replay meets a request its cassette lacks, a training generation
 * stopped): not the fault of one sample, so the run stops rather than record it as a sample's error.
 */
export class RunFault extends Error {
  override name = 'RunFault';
}

/** The code sandbox does not start or does not work (no Docker engine, no Python, a broken supervisor). */
export class SandboxError extends Error {
  override name = 'SandboxError';
}

export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/**
 * A run store that is not a readable baton store (truncated, bit-flipped, not SQLite, no run record):
 * bad input, exit 2. Nothing is written to it.
 */
export class CorruptStoreError extends UsageError {
  override name = 'CorruptStoreError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`run store ${file} is unreadable: ${detail}`);
  }
}

/** Another live process owns the run (its lock file names it): exit 2, nothing touched. */
export class RunLockedError extends UsageError {
  override name = 'RunLockedError';
}

/**
 * A write to the run's storage failed (disk full, read-only file system, I/O error) once the run had
 * started: the run stopped buying at once. Exit 5. The message says where, how much space is free,
 * and whether the answers already paid for were saved (then a resume re-buys none of them).
 */
export class StorageFailedError extends Error {
  override name = 'StorageFailedError';
}

/** SIGINT / SIGTERM: no new call started, answers that arrived were stored. Exit 130. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
}

/** The documented exit codes (README "Commands", `baton --help`). */
export const EXIT = {
  ok: 0,
  /** compare: a gate failed, or an internal error (a bug: shown with its stack). */
  regressionOrInternal: 1,
  /**
   * bad input (config, suite, options, run id, an unreadable store, a run locked by another process), or
   * a fault that stops the run (RunFault, SandboxError, a provider failure outside any sample). Faults
   * share 2, the code most of them had as UsageErrors before they had classes of their own.
   */
  badInputOrFault: 2,
  /** stopped by the budget. */
  budget: 3,
  /**
   * completed with errors: failed samples above `--max-error-rate`, or stopped early because an
   * endpoint's first calls all failed (auth, connection); every report is written. Wins over `budget`.
   */
  completedWithErrors: 4,
  /** storage failed mid-run (disk full, read-only, I/O error). */
  storage: 5,
  /** interrupted by SIGINT / SIGTERM. */
  interrupted: 130,
} as const;

/** One line per documented exit code, for `--help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0    done (compare: pass)
  1    compare: a gate failed (accuracy not shown non-inferior, superior or equivalent at the margin; a cost or latency rise not ruled out), or an internal error
  2    bad input: config, suite or option errors, a bad run id, an output folder that refuses writes, an unreadable run store, an unusable shared response cache file, a run in use by another process, two runs compare finds not comparable, a folder runs or view cannot list, a view --port in use, a head file train would replace without --force; or the run cannot go on: a replay meets a request its cassette lacks, a training generation stopped, a sample failed on the queue after its attempts, the code sandbox does not start
  3    stopped by the budget
  4    completed with errors: failed samples (provider error after retries, sandbox or scoring failure) above --max-error-rate (default 0: any), or stopped early because the first 5 calls to an endpoint all failed with auth or connection errors; reports are written and end with the errors by cause (4 wins over 3)
  5    storage failed (disk full, read-only file system, I/O error): answers received are saved when possible; rerun with --resume
  130  interrupted (SIGINT/SIGTERM): answers that arrived are saved; rerun with --resume
`;
