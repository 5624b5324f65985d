import { CommanderError } from 'commander';
import { ProviderError } from '../providers/types.js';
import {
  EXIT,
  InputError,
  InterruptedError,
  RunFault,
  SandboxError,
  StorageFailedError,
  UsageError,
} from '../util/errors.js';
import { describeFault, isCorruption, isStorageFault } from '../util/storage-fault.js';

/** One kind of error a command can end with: its documented exit code and its one stderr line. */
export interface ErrorExit {
  matches: (err: unknown) => boolean;
  code: number;
  /** The stderr line; none when it was said already (by commander, or by the run's interrupt notice). */
  line?: (err: Error) => string;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** Errors of `cls` exit `code` with their message as the one line. */
const saying = (cls: ErrorClass, code: number): ErrorExit => ({
  matches: (err) => err instanceof cls,
  code,
  line: (err) => `error: ${err.message}`,
});

/**
 * Every kind of error a command can end with, by meaning, and its documented exit code (EXIT, `--help`,
 * README "Exit codes"); the first match wins. Subclasses share their parent's row: CorruptStoreError,
 * RunLockedError and PreflightError are UsageErrors, the harness's ProtocolError and SupervisorLost
 * SandboxErrors.
 */
export const ERROR_EXITS: readonly ErrorExit[] = [
  { matches: (err) => err instanceof CommanderError && err.exitCode === 0, code: EXIT.ok }, // --help, --version
  { matches: (err) => err instanceof CommanderError, code: EXIT.badInputOrFault }, // a bad option
  saying(InputError, EXIT.badInputOrFault),
  saying(UsageError, EXIT.badInputOrFault),
  saying(RunFault, EXIT.badInputOrFault),
  saying(SandboxError, EXIT.badInputOrFault),
  // Inside a run a provider failure is a sample's error; one that reaches the command stopped it.
  saying(ProviderError, EXIT.badInputOrFault),
  saying(StorageFailedError, EXIT.storage),
  { matches: (err) => err instanceof InterruptedError, code: EXIT.interrupted },
  {
    // A store damaged under a command that reads it (report, compare).
    matches: isCorruption,
    code: EXIT.badInputOrFault,
    line: (err) => `error: a run store is unreadable: ${describeFault(err)}`,
  },
  {
    // A write refused outside a run's store (report files on a full disk).
    matches: isStorageFault,
    code: EXIT.storage,
    line: (err) => `error: storage failed: ${describeFault(err)}`,
  },
];

/**
 * The exit code of a command that threw `err`, after writing its one line to `stderr`. Anything not in
 * ERROR_EXITS is a bug: shown with its stack, exit 1.
 */
export function exitCodeFor(
  err: unknown,
  stderr: Pick<NodeJS.WritableStream, 'write'> = process.stderr,
): number {
  const known = ERROR_EXITS.find((e) => e.matches(err));
  if (known) {
    if (known.line) stderr.write(`${known.line(err as Error)}\n`);
    return known.code;
  }
  stderr.write(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.regressionOrInternal;
}
