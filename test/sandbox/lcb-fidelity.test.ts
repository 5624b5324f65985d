import { afterAll, describe, expect, it } from 'vitest';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import type { CodeJob, TestStatus } from '../../src/sandbox/types.js';
import type { CodeTests } from '../../src/suites/types.js';

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

  it('reads real stdin, so `from sys import stdin` works (documented deviation from LCB)', async () => {
    const code = 'from sys import stdin\nprint(sum(map(int, stdin.buffer.read().split())))';
    expect(await statuses(code, stdin('1 2 3', '6'))).toEqual(['passed']);
  });
});
