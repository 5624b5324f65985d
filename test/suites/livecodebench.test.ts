import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/config/errors.js';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { createScorer } from '../../src/scoring/index.js';
import { releaseFiles } from '../../src/suites/livecodebench/releases.js';
import { loadSuite, loadSuiteDetailed } from '../../src/suites/load.js';
import type { SuiteOptions } from '../../src/suites/ref-schema.js';
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
        { args: [[2, 7, 11, 15], 9], expected: [0, 1] },
        { args: [[3, 2, 4], 6], expected: [1, 2] },
        { args: [[3, 3], 6], expected: [0, 1] },
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
