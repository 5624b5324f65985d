import { afterAll, describe, expect, it } from 'vitest';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { checkAnswerKeys } from '../../src/scoring/answer-key.js';
import { createScorer } from '../../src/scoring/index.js';
import { loadSuite } from '../../src/suites/load.js';
import type { Task } from '../../src/suites/types.js';
import { fixture } from '../suites/helpers.js';

const sandbox = createLocalSandbox({ concurrency: 2 });
const scorer = createScorer({ sandbox });
afterAll(() => sandbox.close());

const base = { suite: 's', category: 'c', prompt: 'p', distractors: [], meta: {} };
const check = (tasks: Task[], runCode = true) => checkAnswerKeys(tasks, scorer, { runCode, concurrency: 2 });
const listed = async (tasks: Task[]) =>
  (await check(tasks)).findings.map((f) => `${f.taskId}: ${f.what}: ${f.verdict}`);

const double: Task = {
  ...base,
  id: 'double',
  kind: 'code',
  reference: 'print(2 * int(input()))',
  tests: {
    style: 'stdin',
    cases: [
      { input: '2\n', output: '4\n' },
      { input: '5\n', output: '10\n' },
    ],
  },
  distractors: ['print(int(input()) + 2)', 'print(int(input()) ** 2)'],
};

describe('answer keys checked by the grader that grades answers', () => {
  it('runs the reference and every wrong solution; a wrong solution that passes is listed (the simulation would lie)', async () => {
    const result = await check([double]);
    expect(result.codeRuns).toBe(3);
    // `n + 2` and `n ** 2` both give 4 on the first case and fail the second: with it alone, both pass.
    expect(result.findings).toEqual([]);
    const weak: Task = { ...double, tests: { style: 'stdin', cases: [{ input: '2\n', output: '4\n' }] } };
    expect(await listed([weak])).toEqual([
      'double: wrong solution 1: passes all 1 tests',
      'double: wrong solution 2: passes all 1 tests',
    ]);
  });

  it("names a failing reference's verdict, with the expected and actual output", async () => {
    const result = await check([{ ...double, reference: 'print(3 * int(input()))' }]);
    expect(result.findings).toEqual([
      {
        suite: 's',
        taskId: 'double',
        what: 'reference solution',
        verdict: 'wrong_answer on test 1 of 2',
        detail: ['expected: 4', 'got: 6'],
      },
    ]);
    const crash = await check([{ ...double, reference: 'raise SystemExit(f"bad {1/0}")' }]);
    expect(crash.findings[0]?.verdict).toBe('runtime_error on test 1 of 2');
    expect(crash.findings[0]?.detail.join('\n')).toContain('ZeroDivisionError');
  });

  it('runs nothing with runCode false, and skips code without a reference (LiveCodeBench ships none)', async () => {
    expect(await check([{ ...double, reference: 'broken(' }], false)).toMatchObject({
      codeRuns: 0,
      unchecked: 1,
      findings: [],
    });
    expect(await check([{ ...double, reference: '' }])).toMatchObject({ codeRuns: 0, unchecked: 1 });
  });

  it('grades a maths key, its spellings and its distractors under the task’s mode', async () => {
    const math = (reference: string, more: Partial<Task> = {}): Task => ({
      ...base,
      id: 'm',
      kind: 'math',
      reference,
      ...more,
    });
    expect(
      await listed([math('\\frac{1}{2}', { meta: { equivalents: ['0.5'] }, distractors: ['2'] })]),
    ).toEqual([]);
    // A distractor equal to the key would be a "wrong" answer graded right.
    expect(await listed([math('\\frac{1}{2}', { distractors: ['0.50'] })])).toEqual([
      'm: distractor 1: graded correct under the equivalent mode',
    ]);
    expect(await listed([math('\\frac{1}{2}', { meta: { equivalents: ['1/3'] } })])).toEqual([
      'm: equivalent 1: graded wrong under the equivalent mode',
    ]);
    // Unbalanced braces: the boxed key is no answer at all.
    expect(await listed([math('\\frac{1}{2')])).toEqual([
      'm: answer key: graded wrong under the equivalent mode',
      'm: answer key: compared as text only',
    ]);
    // An AIME key must be an integer 0–999; a GSM8K key a plain number.
    expect(await listed([math('\\frac{3}{2}', { grader: 'aime' })])).toEqual([
      'm: answer key: graded wrong under the aime mode',
    ]);
    expect(await listed([math('x+1', { grader: 'gsm8k' })])).toEqual([
      'm: answer key: graded wrong under the gsm8k mode',
    ]);
    // Hendrycks' grader compares strings: any balanced key is read back as itself.
    expect(await listed([math('2\\sqrtt{3}', { grader: 'hendrycks' })])).toEqual([]);
  });

  it('wants an MCQ key among the letters, and its choice not repeated by another', async () => {
    const mcq = (reference: string, choices: string[]): Task => ({
      ...base,
      id: 'q',
      kind: 'mcq',
      reference,
      choices,
    });
    expect(await listed([mcq('B', ['one', 'two', 'three'])])).toEqual([]);
    expect(await listed([mcq('D', ['one', 'two', 'three'])])).toEqual([
      'q: answer key: not among the choices',
    ]);
    expect(await listed([mcq('b', ['one', 'two', 'three'])])).toEqual([
      'q: answer key: not among the choices',
    ]);
    expect(await listed([mcq('B', ['one', 'Two ', 'two'])])).toEqual(['q: answer key: ambiguous']);
  });

  it("runs public formats' own solutions: HumanEval's and EvalPlus' canonical solution, MBPP's code", async () => {
    const tasks = ['HumanEval.jsonl', 'HumanEvalPlus-mini.jsonl.gz', 'sanitized-mbpp.json'].flatMap((f) =>
      loadSuite(fixture(f)),
    );
    expect(tasks.length).toBeGreaterThanOrEqual(4);
    expect(await check(tasks)).toMatchObject({ codeRuns: tasks.length, findings: [] });
    const [first] = tasks as [Task];
    const broken = { ...first, reference: first.reference.replace(/return /g, 'return None and ') };
    expect(await listed([broken])).toEqual([`${first.id}: reference solution: wrong_answer on test 1 of 1`]);
  });

  it("leaves a plugin scorer's tasks alone", async () => {
    expect(await check([{ ...base, id: 'x', kind: 'math', reference: '1', scorer: 'mine' }])).toMatchObject({
      customScorer: 1,
      findings: [],
    });
  });
});
