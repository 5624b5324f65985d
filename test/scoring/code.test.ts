import { afterAll, describe, expect, it } from 'vitest';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { extractCode } from '../../src/scoring/code.js';
import { createScorer } from '../../src/scoring/index.js';
import type { CodeTests, Task } from '../../src/suites/types.js';

const sandbox = createLocalSandbox({ concurrency: 2 });
const scorer = createScorer({ sandbox, limits: { timeoutMs: 1000 } });
afterAll(() => sandbox.close());

const fenced = (code: string) => `Here is my solution.\n\n\`\`\`python\n${code}\n\`\`\`\n`;

function codeTask(tests: CodeTests): Task {
  return {
    id: 'c1',
    suite: 'test',
    category: 'code',
    kind: 'code',
    prompt: '',
    reference: '',
    tests,
    distractors: [],
    meta: {},
  };
}

const doubling = codeTask({
  style: 'stdin',
  cases: [
    { input: '3\n', output: '6\n' },
    { input: '21\n', output: '42' },
  ],
});

describe('code extraction', () => {
  it('takes the last fenced block, whatever its tag', () => {
    expect(extractCode('```python\nprint(1)\n```\ntext\n```\nprint(2)\n```')).toBe('print(2)');
  });

  it('finds nothing without two fences or in a blank block', () => {
    expect(extractCode('print(1)')).toBeNull();
    expect(extractCode('```python\n\n```')).toBeNull();
  });
});

describe('code scoring', () => {
  it('passes a correct stdin solution', async () => {
    const score = await scorer.score(doubling, fenced('n = int(input())\nprint(n * 2)'));
    expect(score.correct).toBe(true);
    expect(score.detail).toMatchObject({
      kind: 'code',
      extracted: true,
      result: { passed: true, isolation: 'none' },
    });
  });

  it('fails a wrong answer with a wrong_answer verdict', async () => {
    const score = await scorer.score(doubling, fenced('n = int(input())\nprint(n * 3)'));
    expect(score.correct).toBe(false);
    if (score.detail.kind !== 'code') throw new Error('expected code detail');
    expect(score.detail.result?.verdicts[0]).toMatchObject({
      index: 0,
      status: 'wrong_answer',
      expected: '6\n',
      got: '9\n',
    });
  });

  it('accepts numerically equal lines like LCB (Decimal fallback)', async () => {
    const task = codeTask({ style: 'stdin', cases: [{ input: '', output: '1 2.50\n' }] });
    expect((await scorer.score(task, fenced('print(1.0, 2.5)'))).correct).toBe(true);
  });

  it('passes a solution using Counter without importing it (LCB star imports)', async () => {
    const task = codeTask({ style: 'stdin', cases: [{ input: 'a b a c a\n', output: 'a 3' }] });
    const code = 'c = Counter(input().split())\nw, k = c.most_common(1)[0]\nprint(w, k)';
    expect((await scorer.score(task, fenced(code))).correct).toBe(true);
  });

  it('grades call-based LeetCode-style solutions, tuples compared as lists', async () => {
    const task = codeTask({
      style: 'call',
      functionName: 'twoSum',
      cases: [
        { args: [[2, 7, 11, 15], 9], expected: [0, 1] },
        { args: [[3, 2, 4], 6], expected: [1, 2] },
      ],
    });
    const good = [
      'class Solution:',
      '    def twoSum(self, nums: List[int], target: int) -> List[int]:',
      '        seen = {}',
      '        for i, x in enumerate(nums):',
      '            if target - x in seen:',
      '                return (seen[target - x], i)',
      '            seen[x] = i',
    ].join('\n');
    expect((await scorer.score(task, fenced(good))).correct).toBe(true);
    const bad = 'class Solution:\n    def twoSum(self, nums, target):\n        return [0, 1]';
    const score = await scorer.score(task, fenced(bad));
    expect(score.correct).toBe(false);
    if (score.detail.kind !== 'code') throw new Error('expected code detail');
    expect(score.detail.result?.verdicts.map((v) => v.status)).toEqual(['passed', 'wrong_answer']);
  });

  it('marks an answer without code as not extracted', async () => {
    const score = await scorer.score(doubling, 'just multiply by two');
    expect(score).toEqual({ correct: false, detail: { kind: 'code', extracted: false, result: null } });
  });
});

describe('text scoring', () => {
  it('matches after trimming and lower-casing', async () => {
    const task: Task = {
      id: 't',
      suite: 's',
      category: 'text',
      kind: 'text',
      prompt: '',
      reference: 'Paris',
      distractors: [],
      meta: {},
    };
    expect((await scorer.score(task, '  paris \n')).correct).toBe(true);
    expect((await scorer.score(task, 'Lyon')).correct).toBe(false);
  });
});
