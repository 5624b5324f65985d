import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { CassetteMiss } from '../../src/providers/replay/client.js';
import { ProviderError } from '../../src/providers/types.js';
import { PreflightError } from '../../src/runner/preflight.js';
import { ProtocolError, SupervisorLost } from '../../src/sandbox/harness/protocol.js';
import {
  CorruptStoreError,
  EXIT_CODES_HELP,
  InputError,
  InterruptedError,
  RunFault,
  RunLockedError,
  SandboxError,
  StorageFailedError,
  UsageError,
} from '../../src/util/errors.js';

// The one table from error kind to exit code that every command ends through: each kind exits with the
// code README "Exit codes" and `baton --help` document for it, with one `error:` line and no stack;
// anything else is a bug, exit 1 with its stack.

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

/** Each kind of error, the exit code documented for it, and its stderr line (null: said elsewhere). */
const documented: [kind: string, err: unknown, code: number, line: string | null][] = [
  ['--help', new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), 0, null],
  ['a bad option', new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"), 2, null],
  [
    'InputError',
    new InputError('run.yaml', [{ line: 3, col: 5, field: 'seed', message: 'expected a number' }]),
    2,
    'error: run.yaml:3:5: seed: expected a number',
  ],
  [
    'UsageError',
    new UsageError('--max-error-rate must be a fraction'),
    2,
    'error: --max-error-rate must be a fraction',
  ],
  [
    'CorruptStoreError',
    new CorruptStoreError('run.sqlite', 'file is not a database'),
    2,
    'error: run store run.sqlite is unreadable: file is not a database',
  ],
  ['RunLockedError', new RunLockedError('run r is in use by pid 7'), 2, 'error: run r is in use by pid 7'],
  ['PreflightError', new PreflightError(['no API key: set K']), 2, 'error: no API key: set K'],
  [
    'RunFault',
    new RunFault('training stopped in generation 2'),
    2,
    'error: training stopped in generation 2',
  ],
  [
    'CassetteMiss',
    new CassetteMiss('cassette c has no entry for request x'),
    2,
    'error: cassette c has no entry for request x',
  ],
  ['SandboxError', new SandboxError('no Docker engine answers'), 2, 'error: no Docker engine answers'],
  ['SupervisorLost', new SupervisorLost('baton harness ended'), 2, 'error: baton harness ended'],
  ['ProtocolError', new ProtocolError('baton harness: not JSON'), 2, 'error: baton harness: not JSON'],
  [
    'ProviderError',
    new ProviderError('auth', 'HTTP 401: invalid api key'),
    2,
    'error: HTTP 401: invalid api key',
  ],
  [
    'StorageFailedError',
    new StorageFailedError('storage failed: ENOSPC'),
    5,
    'error: storage failed: ENOSPC',
  ],
  ['InterruptedError', new InterruptedError('SIGTERM'), 130, null],
  [
    'a corrupt store (SQLite)',
    withCode('database disk image is malformed', 'SQLITE_CORRUPT'),
    2,
    'error: a run store is unreadable: SQLITE_CORRUPT: database disk image is malformed',
  ],
  [
    'a refused write (node:fs)',
    withCode('ENOSPC: no space left on device, write', 'ENOSPC'),
    5,
    'error: storage failed: ENOSPC: no space left on device, write',
  ],
];

function exit(err: unknown): { code: number; stderr: string } {
  let stderr = '';
  const code = exitCodeFor(err, {
    write: (chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    },
  });
  return { code, stderr };
}

describe('exit codes by error kind', () => {
  it.each(documented)(
    '%s exits with its documented code and one line, no stack',
    (_kind, err, code, line) => {
      const out = exit(err);
      expect(out.code).toBe(code);
      expect(out.stderr).toBe(line === null ? '' : `${line}\n`);
    },
  );

  it('documents every code it uses in `baton --help`', () => {
    const helped = [...EXIT_CODES_HELP.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]));
    for (const [, , code] of documented) expect(helped).toContain(code);
    expect(EXIT_CODES_HELP).toMatch(/^ {2}2 .*the run cannot go on.*cassette.*training generation.*sandbox/m);
  });

  it('shows anything else with its stack as an internal error, exit 1', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const out = exit(bug);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^internal error: TypeError: Cannot read properties of undefined/);
    expect(out.stderr).toMatch(/\n\s+at /);
    // A plain Error stays a bug: classes are what make an error documented.
    expect(exit(new Error('unexpected')).code).toBe(1);
  });
});
