import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { createScorer } from '../../src/scoring/index.js';
import { releaseFiles } from '../../src/suites/livecodebench/releases.js';
import { loadSuite, loadSuiteDetailed } from '../../src/suites/load.js';
import { type SuiteOptions, suiteRefSchema } from '../../src/suites/ref-schema.js';
import { InputError } from '../../src/util/errors.js';
import { repoRoot } from '../runner/helpers.js';
import { fenced, fixture } from './helpers.js';

const dir = fixture('livecodebench');
const lcb = (options: SuiteOptions) => loadSuite(dir, { format: 'livecodebench', ...options });
const ids = (options: SuiteOptions) => lcb(options).map((t) => t.id);

describe('LiveCodeBench release tags', () => {
  it('maps tags to files as code_generation_lite does', () => {
    expect(releaseFiles('release_v1')).toEqual(['test.jsonl']);
    expect(releaseFiles('release_v3')).toEqual(['test.jsonl', 'test2.jsonl', 'test3.jsonl']);
    expect(releaseFiles('v1')).toEqual(['test.jsonl']);
    expect(releaseFiles('v6')).toEqual(['test6.jsonl']);
    expect(releaseFiles('v2_v4')).toEqual(['test2.jsonl', 'test3.jsonl', 'test4.jsonl']);
    expect(releaseFiles('release_latest')).toHaveLength(6);
    expect(() => releaseFiles('v4_v2')).toThrow(/names no file/);
  });

  it('loads release_v1 = test.jsonl only (the papers train on it)', () => {
    expect(ids({ release: 'release_v1' })).toEqual(['abc001_a', '1']);
  });

  it('loads v6 = only the problems new in release 6 (the papers test on them)', () => {
    expect(ids({ release: 'v6' })).toEqual(['abc390_a', '3500', '2077B']);
  });

  it('loads release_v6 cumulatively and vX_vY as a range', () => {
    expect(lcb({ release: 'release_v6' })).toHaveLength(9);
    expect(ids({ release: 'v2_v3' })).toEqual(['abc310_a', '1850A']);
  });

  it('filters contest_date inclusively at midnight, like lcb_runner', () => {
    expect(ids({ release: 'release_v6', startDate: '2025-02-08', endDate: '2025-03-01' })).toEqual([
      '3500',
      '2077B',
    ]);
    expect(ids({ release: 'release_v6', startDate: '2025-02-09' })).toEqual(['2077B']);
    expect(ids({ release: 'release_v6', endDate: '2023-05-20' })).toEqual(['abc001_a', '1']);
  });

  it('filters by platform', () => {
    expect(ids({ release: 'release_v6', platform: ['leetcode'] })).toEqual(['1', '3500']);
    expect(ids({ release: 'v6', platform: ['codeforces', 'atcoder'] })).toEqual(['abc390_a', '2077B']);
  });
});

describe('LiveCodeBench rows', () => {
  it('decodes JSON private tests and keeps public then private order (stdin)', () => {
    const task = lcb({ release: 'v1' }).find((t) => t.id === 'abc001_a');
    expect(task?.tests).toEqual({
      style: 'stdin',
      cases: [
        { input: '1 2\n', output: '3\n' },
        { input: '5 7\n', output: '12\n' },
        { input: '-1 1\n', output: '0\n' },
      ],
    });
    expect(task?.meta).toMatchObject({
      platform: 'atcoder',
      difficulty: 'easy',
      contestDate: '2023-05-01T00:00:00',
    });
  });

  it('decodes base64/zlib/pickle (protocol 4) private tests into call-based cases by func_name', () => {
    const task = lcb({ release: 'v1' }).find((t) => t.id === '1');
    expect(task?.tests).toEqual({
      style: 'call',
      functionName: 'twoSum',
      cases: [
        { argsJson: ['[2,7,11,15]', '9'], expectedJson: '[0, 1]' },
        { argsJson: ['[3,2,4]', '6'], expectedJson: '[1, 2]' },
        { argsJson: ['[3,3]', '6'], expectedJson: '[0, 1]' },
      ],
    });
  });

  it('decodes a protocol-5 payload over 64 KiB (pickled outside the frame)', () => {
    const task = lcb({ release: 'v6' }).find((t) => t.id === 'abc390_a');
    const cases = task?.tests?.style === 'stdin' ? task.tests.cases : [];
    expect(cases.map((c) => c.input.length)).toEqual([4, 70004, 4]);
  });

  it("builds lcb_runner's generic prompt, with starter code when there is one", () => {
    const [stdinTask, callTask] = lcb({ release: 'v1' });
    expect(stdinTask?.prompt).toContain(
      '### Question:\nRead two integers A and B and print A+B.\n\n### Format: Read the inputs from stdin',
    );
    expect(stdinTask?.prompt).toContain(
      '```python\n# YOUR CODE HERE\n```\n\n### Answer: (use the provided format with backticks)',
    );
    expect(callTask?.prompt).toContain('### Format: You will use the following starter code');
    expect(callTask?.prompt).toContain('class Solution:\n    def twoSum(self');
  });
});

describe('LiveCodeBench tasks graded by the real sandbox', () => {
  const sandbox = createLocalSandbox();
  const scorer = createScorer({ sandbox });
  afterAll(() => sandbox.close());
  const tasks = lcb({ release: 'release_v6' });
  const byId = (id: string) => tasks.find((t) => t.id === id) ?? expect.fail(`no task ${id}`);

  it('passes a stdin solution that relies on LCB star imports and fails a wrong one', async () => {
    const task = byId('abc310_a');
    expect((await scorer.score(task, fenced('a, b = map(int, input().split())\nprint(a + b)'))).correct).toBe(
      true,
    );
    expect((await scorer.score(task, fenced('a, b = map(int, input().split())\nprint(a * b)'))).correct).toBe(
      false,
    );
  });

  it('passes a LeetCode class Solution on call-based cases decoded from the pickle', async () => {
    const task = byId('1');
    const good =
      'class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        seen = {}\n        for i, x in enumerate(nums):\n            if target - x in seen:\n                return [seen[target - x], i]\n            seen[x] = i';
    expect((await scorer.score(task, fenced(good))).correct).toBe(true);
    expect(
      (
        await scorer.score(
          task,
          fenced('class Solution:\n    def twoSum(self, nums, target):\n        return [0, 1]'),
        )
      ).correct,
    ).toBe(false);
  });

  it('grades the large pickled problem on all its cases', async () => {
    const score = await scorer.score(
      byId('abc390_a'),
      fenced('a, b = map(int, input().split())\nprint(a + b)'),
    );
    expect(score.correct).toBe(true);
  });
});

describe('LiveCodeBench bad rows', () => {
  const bad = fixture('livecodebench-bad');

  it('skips and reports each malformed row with file:line and field', () => {
    const loaded = loadSuiteDetailed(bad, { format: 'livecodebench', release: 'v6' });
    expect(loaded.tasks.map((t) => t.id)).toEqual(['abc390_a']);
    const where = loaded.problems.map((p) => `${p.line}:${p.field}`);
    expect(where).toEqual(['2:difficulty', '3:private_test_cases', '4:']);
    expect(loaded.problems[0]?.file).toBe(fixture('livecodebench-bad', 'test6.jsonl'));
  });

  it('makes them fatal under strict: true, listing every problem of the file', () => {
    let error: unknown;
    try {
      loadSuite(bad, { format: 'livecodebench', release: 'v6', strict: true });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    expect(message).toContain('test6.jsonl:2:');
    expect(message).toContain('difficulty');
    expect(message).toContain('test6.jsonl:3:1: private_test_cases: neither JSON nor base64/zlib/pickle');
    expect(message).toContain('test6.jsonl:4:');
  });
});

describe('LiveCodeBench integers beyond 2^53 and the stdin option', () => {
  // test/fixtures/lcb-fidelity/make-fixture.py: one call-based row (public tests JSON, private tests
  // pickled) whose arguments and outputs exceed 2^53, and one stdin row.
  const dir = join(repoRoot, 'test/fixtures/lcb-fidelity/livecodebench');
  const load = (options: SuiteOptions = {}) => loadSuite(dir, { format: 'livecodebench', ...options });
  const sandbox = createLocalSandbox();
  const scorer = createScorer({ sandbox });
  afterAll(() => sandbox.close());

  it("keeps the benchmark's JSON text of call-based cases, digit for digit", () => {
    const task = load().find((t) => t.id === 'bigsum');
    expect(task?.tests).toEqual({
      style: 'call',
      functionName: 'bigSum',
      cases: [
        { argsJson: ['18446744073709551616', '1'], expectedJson: '18446744073709551617' },
        { argsJson: ['100000000000000000000', '1'], expectedJson: '100000000000000000001' },
        {
          argsJson: ['123456789012345678901234567890', '-1'],
          expectedJson: '123456789012345678901234567889',
        },
      ],
    });
  });

  it('grades them exactly: the sum passes, an answer off in the last digit fails', async () => {
    const task = load().find((t) => t.id === 'bigsum') ?? expect.fail('no task bigsum');
    const good = 'class Solution:\n    def bigSum(self, a, b):\n        return a + b';
    // float arithmetic agrees with a + b to within a double's precision, as JSON numbers in JavaScript would.
    const rounded = 'class Solution:\n    def bigSum(self, a, b):\n        return int(float(a) + b)';
    expect((await scorer.score(task, fenced(good))).correct).toBe(true);
    expect((await scorer.score(task, fenced(rounded))).correct).toBe(false);
  });

  it("keeps LCB's stdio by default and records `stdin: real` in the tests (and the content hash)", async () => {
    const byDefault = load().find((t) => t.id === 'abc999_a');
    const sum = { input: '3\n1 2 3\n', output: '6\n' };
    expect(byDefault?.tests).toEqual({ style: 'stdin', cases: [sum, sum] });
    expect(load({ stdin: 'lcb' }).find((t) => t.id === 'abc999_a')?.tests).toEqual(byDefault?.tests);
    const real = load({ stdin: 'real' }).find((t) => t.id === 'abc999_a') ?? expect.fail('no task abc999_a');
    expect(real.tests).toMatchObject({ style: 'stdin', stdin: 'real' });
    const hash = (options: SuiteOptions) =>
      loadSuiteDetailed(dir, { format: 'livecodebench', ...options }).contentHash;
    expect(hash({ stdin: 'real' })).not.toBe(hash({}));
    expect(hash({ stdin: 'lcb' })).toBe(hash({}));
    const openZero = fenced('d = open(0).read().split()\nprint(sum(map(int, d[1:])))');
    expect((await scorer.score(byDefault ?? expect.fail('no task'), openZero)).correct).toBe(false);
    expect((await scorer.score(real, openZero)).correct).toBe(true);
  });

  it('accepts `stdin` for livecodebench and baton suites only', () => {
    expect(suiteRefSchema.safeParse({ path: 'x', format: 'livecodebench', stdin: 'real' }).success).toBe(
      true,
    );
    expect(suiteRefSchema.safeParse({ path: 'x.yaml', format: 'baton', stdin: 'real' }).success).toBe(true);
    expect(suiteRefSchema.safeParse({ path: 'x', format: 'livecodebench', stdin: 'judge' }).success).toBe(
      false,
    );
    const other = suiteRefSchema.safeParse({ path: 'x.jsonl', format: 'humaneval', stdin: 'real' });
    expect(other.error?.issues[0]?.message).toContain("'stdin' applies to format livecodebench, baton");
  });

  it("applies `stdin: real` to a baton suite's stdin tasks only", () => {
    const file = join(repoRoot, 'suites/demo/code.yaml');
    const tasks = loadSuite(file, { format: 'baton', stdin: 'real' });
    const styles = new Set(
      tasks.map((t) => `${t.tests?.style}:${t.tests?.style === 'stdin' ? t.tests.stdin : '-'}`),
    );
    expect(styles).toEqual(new Set(['stdin:real', 'call:-']));
    expect(
      loadSuite(file, { format: 'baton' }).every(
        (t) => t.tests?.style !== 'stdin' || t.tests.stdin === undefined,
      ),
    ).toBe(true);
  });
});
