import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import type { Sandbox, TestStatus } from '../../src/sandbox/types.js';
import type { CodeTests } from '../../src/suites/types.js';
import { dockerDriver, localDriver } from './docker-sandbox.js';

/*
 * LiveCodeBench's comparison rules (lcb_runner/evaluation/testing_util.py: grade_stdio and
 * grade_call_based), as a table. Each row runs in both drivers: a verdict may not depend on where
 * the code ran.
 */
const stdin = (output: string): CodeTests => ({ style: 'stdin', cases: [{ input: '', output }] });
const call = (functionName: string, expected: unknown, args: unknown[] = []): CodeTests => ({
  style: 'call',
  functionName,
  cases: [{ args, expected }],
});

const table: [string, string, CodeTests, TestStatus][] = [
  ['trailing spaces on a line', 'print("1 2   ")', stdin('1 2'), 'passed'],
  ['leading spaces on a line', 'print("   7")', stdin('7'), 'passed'],
  ['1.0 against 1 (exact decimals)', 'print("1.0")', stdin('1'), 'passed'],
  ['1e-9 against 0.000000001', 'print("1e-9")', stdin('0.000000001'), 'passed'],
  ['several numbers compared as decimal lists', 'print("2.50 3")', stdin('2.5 3.0'), 'passed'],
  ['no epsilon: 0.1 + 0.2 is not 0.3', 'print(0.1 + 0.2)', stdin('0.3'), 'wrong_answer'],
  ['extra blank line at the end', 'print(5)\nprint()\nprint()', stdin('5'), 'passed'],
  ['wrong line count', 'print(1)\nprint(2)', stdin('1'), 'wrong_answer'],
  [
    'a blank line in the middle changes the count',
    'print(1)\nprint()\nprint(2)',
    stdin('1\n2'),
    'wrong_answer',
  ],
  ['different token count on a line', 'print("1 2")', stdin('1 2 3'), 'wrong_answer'],
  ['text differing only in case', 'print("yes")', stdin('YES'), 'wrong_answer'],
  ['tuple result against a list', 'def f():\n    return (1, 2)', call('f', [1, 2]), 'passed'],
  [
    'nested tuple is not turned into a list',
    'def f():\n    return [(1, 2)]',
    call('f', [[1, 2]]),
    'wrong_answer',
  ],
  ['int result against a float (Python ==)', 'def f():\n    return 2', call('f', 2.0), 'passed'],
  [
    'class Solution is instantiated',
    'class Solution:\n    def twoSum(self, nums, target):\n        seen = {}\n        for i, x in enumerate(nums):\n            if target - x in seen:\n                return [seen[target - x], i]\n            seen[x] = i',
    call('twoSum', [0, 1], [[2, 7, 11, 15], 9]),
    'passed',
  ],
  [
    'Counter without an import (LCB prelude)',
    'def f(xs):\n    return Counter(xs)["a"]',
    call('f', 2, [['a', 'a', 'b']]),
    'passed',
  ],
  [
    'deep recursion (LCB raises the limit)',
    'def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)',
    call('f', 5000, [5000]),
    'passed',
  ],
  // Return values cross to the judge as plain values: Python's == on them, as LCB computes it.
  ['a set against a list is not equal', 'def f():\n    return {1, 2}', call('f', [1, 2]), 'wrong_answer'],
  [
    'a dict with int keys against JSON string keys',
    'def f():\n    return {1: 2}',
    call('f', { 1: 2 }),
    'wrong_answer',
  ],
  [
    'a dict against a JSON object',
    'def f():\n    return {"a": [1, 2.5, None, True]}',
    call('f', { a: [1, 2.5, null, true] }),
    'passed',
  ],
  ['True equals 1 (Python ==)', 'def f():\n    return True', call('f', 1), 'passed'],
  ['-0.0 equals 0', 'def f():\n    return -0.0', call('f', 0), 'passed'],
  ['NaN equals nothing', 'def f():\n    return float("nan")', call('f', 0), 'wrong_answer'],
  [
    'a string is not a list of characters',
    'def f():\n    return "ab"',
    call('f', ['a', 'b']),
    'wrong_answer',
  ],
  [
    // Deviation: LCB compares in the program's process, where this object passes.
    'an object whose __eq__ always says True fails',
    'class Any:\n    def __eq__(self, other):\n        return True\ndef f():\n    return Any()',
    call('f', [1, 2]),
    'wrong_answer',
  ],
  [
    // Deviation too: exact types only cross to the judge.
    'an int subclass with a lying __eq__ fails',
    'class Liar(int):\n    def __eq__(self, other):\n        return True\ndef f():\n    return Liar(3)',
    call('f', 7),
    'wrong_answer',
  ],
  // JSON numbers reach Python as json.loads reads them; 1e30 is a float, and int == float is exact.
  [
    '10**30 against the float 1e30 (exact Python ==)',
    'def f():\n    return 10**30',
    call('f', 1e30),
    'wrong_answer',
  ],
  ['2**70 against the float 2**70', 'def f():\n    return 2**70', call('f', 2 ** 70), 'passed'],
];

const drivers = [localDriver(2), dockerDriver(2)];

for (const [driver, create, skip] of drivers) {
  describe.skipIf(skip)(`LiveCodeBench comparison rules in the ${driver} driver`, () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await create();
    });
    afterAll(() => sandbox?.close());

    it.each(table)('%s', async (_name, code, tests, expected) => {
      const result = await sandbox.run({
        code,
        tests,
        timeoutMs: 6000,
        memoryMb: 256,
        outputLimitBytes: 1 << 20,
      });
      expect(result.verdicts.map((v) => v.status)).toEqual([expected]);
    });
  });
}

describe('HumanEval check programs', () => {
  const sandbox = createLocalSandbox({ concurrency: 1 });
  afterAll(() => sandbox.close());
  const tests: CodeTests = {
    style: 'check',
    prompt: 'def add(a, b):\n    """Return a + b."""\n',
    cases: [
      {
        test: 'def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n',
        entryPoint: 'add',
      },
    ],
  };
  const job = (code: string) => ({ code, tests, timeoutMs: 3000, memoryMb: 256, outputLimitBytes: 1 << 20 });

  it('passes prompt + completion when check(entry_point) raises nothing', async () => {
    expect((await sandbox.run(job('    return a + b\n'))).passed).toBe(true);
  });

  it('accepts a whole function as the completion', async () => {
    expect((await sandbox.run(job('def add(a, b):\n    return b + a\n'))).passed).toBe(true);
  });

  it('fails a wrong completion as wrong_answer', async () => {
    const result = await sandbox.run(job('    return a - b\n'));
    expect(result.verdicts.map((v) => v.status)).toEqual(['wrong_answer']);
  });
  const checkJob = (code: string, test: string, entryPoint: string, prompt = '') => ({
    code,
    tests: { style: 'check' as const, prompt, cases: [{ test, entryPoint }] },
    timeoutMs: 3000,
    memoryMb: 256,
    outputLimitBytes: 1 << 20,
  });

  it("uses the prompt's own helpers in check() (HumanEval/32's poly)", async () => {
    const prompt =
      'import math\ndef poly(xs, x):\n    return sum(c * math.pow(x, i) for i, c in enumerate(xs))\ndef find_zero(xs):\n    """doc"""\n';
    const test =
      'def check(candidate):\n    xs = [-6, 11, -6, 1]\n    assert abs(poly(xs, candidate(xs))) < 1e-4\n';
    expect((await sandbox.run(checkJob('    return 1.0\n', test, 'find_zero', prompt))).passed).toBe(true);
    expect((await sandbox.run(checkJob('    return 0.5\n', test, 'find_zero', prompt))).passed).toBe(false);
  });

  it('reaches functions the asserts name directly (MBPP), and objects of the program by reference', async () => {
    const code =
      'class Pair:\n    def __init__(self, a, b):\n        self.a, self.b = a, b\ndef longest(pairs):\n    return max(p.b - p.a for p in pairs)\n';
    const test =
      'def check(candidate):\n    assert longest([Pair(1, 5), Pair(2, 3)]) == 4\n    assert candidate([Pair(0, 2)]) == 2\n';
    expect((await sandbox.run(checkJob(code, test, 'longest'))).passed).toBe(true);
  });

  it("keeps the type of the program's exception (a test may expect it)", async () => {
    const test =
      'def check(candidate):\n    try:\n        candidate(-1)\n    except ValueError:\n        return\n    assert False\n';
    const code = 'def root(x):\n    if x < 0:\n        raise ValueError("negative")\n    return x ** 0.5\n';
    expect((await sandbox.run(checkJob(code, test, 'root'))).passed).toBe(true);
  });
});
