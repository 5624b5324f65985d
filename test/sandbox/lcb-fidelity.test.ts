import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import type { CodeJob, Sandbox, TestStatus } from '../../src/sandbox/types.js';
import { lcbCallCase } from '../../src/suites/livecodebench/index.js';
import type { CodeTests } from '../../src/suites/types.js';
import { repoRoot } from '../runner/helpers.js';
import { dockerDriver, localDriver } from './docker-sandbox.js';

// LiveCodeBench quirks the harness reproduces on purpose: its verdict is the one that counts.
const sandbox = createLocalSandbox({ concurrency: 2 });
afterAll(() => sandbox.close());

const limits = { timeoutMs: 1000, memoryMb: 256, outputLimitBytes: 1 << 20 };

async function statuses(code: string, tests: CodeTests): Promise<TestStatus[]> {
  const job: CodeJob = { code, tests, ...limits };
  return (await sandbox.run(job)).verdicts.map((v) => v.status);
}

const stdin = (input: string, output: string): CodeTests => ({ style: 'stdin', cases: [{ input, output }] });

describe('LiveCodeBench grading semantics', () => {
  it('unwraps a final __main__ block', async () => {
    const code = "def main():\n    print(int(input()) + 1)\n\nif __name__ == '__main__':\n    main()";
    expect(await statuses(code, stdin('1', '2'))).toEqual(['passed']);
  });

  it('wraps stdin programs in a function, so `global` on top-level names fails as in LCB', async () => {
    const code = 'count = 0\ndef inc():\n    global count\n    count += 1\ninc()\nprint(count)';
    expect(await statuses(code, stdin('', '1'))).toEqual(['runtime_error']);
  });

  it('compares stripped lines, ignoring trailing whitespace and blank tails', async () => {
    expect(await statuses("print('1 2  ')\nprint()\nprint()", stdin('', '1 2'))).toEqual(['passed']);
  });

  it('does not compare floats with tolerance beyond Decimal equality', async () => {
    expect(await statuses('print(0.1 + 0.2)', stdin('', '0.3'))).toEqual(['wrong_answer']);
  });

  it('stops at the first failing case', async () => {
    const tests: CodeTests = {
      style: 'stdin',
      cases: [
        { input: '1', output: '1' },
        { input: '2', output: '3' },
        { input: '3', output: '3' },
      ],
    };
    expect(await statuses('print(input())', tests)).toEqual(['passed', 'wrong_answer']);
  });

  it('calls plain functions with the star imports available', async () => {
    const tests: CodeTests = {
      style: 'call',
      functionName: 'top',
      cases: [{ args: [[1, 1, 2]], expected: 1 }],
    };
    expect(await statuses('def top(xs):\n    return Counter(xs).most_common(1)[0][0]', tests)).toEqual([
      'passed',
    ]);
  });

  it('treats a missing function as runtime_error', async () => {
    const tests: CodeTests = { style: 'call', functionName: 'absent', cases: [{ args: [], expected: 1 }] };
    expect(await statuses('def present():\n    return 1', tests)).toEqual(['runtime_error']);
  });

  it('gives `from sys import stdin` the input, but not its buffer (as LCB does)', async () => {
    expect(
      await statuses(
        'from sys import stdin\nprint(sum(map(int, stdin.read().split())))',
        stdin('1 2 3', '6'),
      ),
    ).toEqual(['passed']);
    const buffer = 'from sys import stdin\nprint(sum(map(int, stdin.buffer.read().split())))';
    expect(await statuses(buffer, stdin('1 2 3', '6'))).toEqual(['wrong_answer']);
    const real: CodeTests = { style: 'stdin', cases: [{ input: '1 2 3', output: '6' }], stdin: 'real' };
    expect(await statuses(buffer, real)).toEqual(['passed']);
  });
});

/*
 * How programs read their input and write their output, against LiveCodeBench's own verdicts.
 * Every row of test/fixtures/lcb-fidelity/programs.json was graded by LCB's own grader
 * (lcb_runner/evaluation/testing_util.py and compute_code_generation_metrics.py at LiveCodeBench
 * commit 28fef95ea8c9f7a547c8329f2cd3d32b92c1fa24, run unmodified through codegen_metrics with
 * CPython 3.11 and the command's stdin on /dev/null); its `lcb` field is the verdict LCB gave, and
 * baton must give the same one. Call-style rows hold LCB's text (one JSON argument per line), with
 * integers beyond 2^53: a JavaScript number would round them, so an answer off in the last digit
 * would pass and the right one fail.
 */
interface ProgramRow {
  name: string;
  style: 'stdin' | 'call';
  code: string;
  input: string;
  output: string;
  fnName?: string;
  lcb: TestStatus;
}

const fixture = JSON.parse(
  readFileSync(join(repoRoot, 'test/fixtures/lcb-fidelity/programs.json'), 'utf8'),
) as { rows: ProgramRow[] };

function testsOf(row: ProgramRow): CodeTests {
  return row.style === 'stdin'
    ? { style: 'stdin', cases: [{ input: row.input, output: row.output }] }
    : { style: 'call', functionName: row.fnName ?? '', cases: [lcbCallCase(row.input, row.output)] };
}

const lcbRows = fixture.rows.map((r): [string, ProgramRow, TestStatus] => [r.name, r, r.lcb]);

/*
 * The opt-in `stdin: real` (a judge's stdio): the input on a real fd 0, fd 1 compared. These
 * verdicts are baton's own, by design different from LCB's where a row reads fd 0 or writes fd 1.
 */
const REAL: Record<string, TestStatus> = {
  'input()': 'passed',
  'sys.stdin.readline()': 'passed',
  'for line in sys.stdin': 'passed',
  'open(0).read()': 'passed',
  'for line in open(0)': 'passed',
  "open('/dev/stdin').read()": 'passed',
  'io.open(0).read()': 'passed',
  'from sys import stdin; stdin.readline()': 'passed',
  'from sys import stdin; stdin.buffer.read()': 'passed',
  'sys.stdin.buffer.readline() twice': 'passed',
  'os.read(0, ...)': 'passed',
  'sys.__stdin__.read()': 'passed',
  'sys.stdin.fileno()': 'passed',
  'sys.stdout.buffer.write': 'passed',
  'os.write(1, ...)': 'passed',
  'from sys import stdout; stdout.write': 'passed',
  'print(file=sys.stderr)': 'wrong_answer',
};
const realRows = fixture.rows
  .filter((r) => r.name in REAL)
  .map((r): [string, ProgramRow, TestStatus] => [r.name, r, REAL[r.name] as TestStatus]);

const drivers = [localDriver(4), dockerDriver(2)];

for (const [driver, create, skip] of drivers) {
  describe.skipIf(skip)(`LiveCodeBench stdio and big integers in the ${driver} driver`, () => {
    let box: Sandbox;
    beforeAll(async () => {
      box = await create();
    });
    afterAll(() => box?.close());
    const run = async (tests: CodeTests, code: string) =>
      (
        await box.run({ code, tests, timeoutMs: 6000, memoryMb: 256, outputLimitBytes: 1 << 20 })
      ).verdicts.map((v) => v.status);

    it.each(lcbRows)("%s: LCB's verdict", async (_name, row, expected) => {
      expect(await run(testsOf(row), row.code)).toEqual([expected]);
    });

    it.each(realRows)('stdin: real, %s', async (_name, row, expected) => {
      expect(await run({ ...testsOf(row), stdin: 'real' } as CodeTests, row.code)).toEqual([expected]);
    });

    it('stdin: real caps a stdout flood as output_limit', async () => {
      const flood =
        'import sys\nchunk = "x" * 2 ** 20\nfor _ in range(1024):\n    sys.stdout.buffer.write(chunk.encode())';
      const tests: CodeTests = { style: 'stdin', cases: [{ input: '', output: 'ok' }], stdin: 'real' };
      expect(await run(tests, flood)).toEqual(['output_limit']);
    });
  });
}
