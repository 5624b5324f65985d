import { afterAll, describe, expect, it } from 'vitest';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { createScorer } from '../../src/scoring/index.js';
import { loadSuite } from '../../src/suites/load.js';
import { mbppEntryPoint } from '../../src/suites/mbpp/index.js';
import type { Task } from '../../src/suites/types.js';
import { fenced, fixture } from './helpers.js';

const sandbox = createLocalSandbox();
const scorer = createScorer({ sandbox });
afterAll(() => sandbox.close());
const passes = async (task: Task, code: string) => (await scorer.score(task, fenced(code))).correct;
const byId = (tasks: Task[], id: string) => tasks.find((t) => t.id === id) ?? expect.fail(`no task ${id}`);

describe('HumanEval', () => {
  const plain = loadSuite(fixture('HumanEval.jsonl'));
  const gzipped = loadSuite(fixture('HumanEval.jsonl.gz'));

  it('reads HumanEval.jsonl and HumanEval.jsonl.gz to the same tasks', () => {
    expect(plain.map((t) => t.id)).toEqual(['HumanEval/0', 'HumanEval/2']);
    expect(gzipped).toEqual(
      plain.map((t) => ({ ...t, meta: { ...t.meta, file: fixture('HumanEval.jsonl.gz') } })),
    );
  });

  it("uses simple-evals' instruction and check(entry_point) tests with the prompt prefixed", () => {
    const task = byId(plain, 'HumanEval/0');
    expect(task.prompt.startsWith('Read the following function signature and docstring')).toBe(true);
    expect(task.tests).toMatchObject({ style: 'check', cases: [{ entryPoint: 'has_close_elements' }] });
    expect(task.tests?.style === 'check' && task.tests.prompt).toContain('def has_close_elements(');
  });

  it('passes the canonical solution, a body-only completion, and fails a wrong one', async () => {
    const task = byId(plain, 'HumanEval/2');
    expect(await passes(task, task.reference)).toBe(true);
    // A bare body completes the prompt, as HumanEval's own completions do.
    expect(await passes(task, '    return number - int(number)')).toBe(true);
    expect(await passes(task, 'def truncate_number(number: float) -> float:\n    return round(number)')).toBe(
      false,
    );
  });
});

describe('MBPP', () => {
  const original = loadSuite(fixture('mbpp.jsonl'));
  const sanitized = loadSuite(fixture('sanitized-mbpp.json'));

  it('keeps the test split (task ids 11–510) by default and other splits on request', () => {
    expect(original.map((t) => t.id)).toEqual([]);
    expect(loadSuite(fixture('mbpp.jsonl'), { format: 'mbpp', split: 'prompt' }).map((t) => t.id)).toEqual([
      'Mbpp/2',
      'Mbpp/3',
      'Mbpp/1',
    ]);
    expect(loadSuite(fixture('mbpp.jsonl'), { format: 'mbpp', split: 'train' }).map((t) => t.id)).toEqual([
      'Mbpp/601',
    ]);
    expect(sanitized.map((t) => t.id)).toEqual(['Mbpp/17']);
  });

  it('finds the function the asserts call, skipping helpers defined first', () => {
    expect(
      mbppEntryPoint('def helper(x):\n  return x\ndef main_fn(a):\n  return helper(a)', [
        'assert main_fn(1) == 1',
      ]),
    ).toBe('main_fn');
  });

  it("uses the paper's prompt with the asserts and grades the asserts (test_imports included)", async () => {
    const task = byId(sanitized, 'Mbpp/17');
    expect(task.prompt).toContain(
      'You are an expert Python programmer, and here is your task: Write a function that returns the perimeter',
    );
    expect(task.prompt).toContain('assert square_perimeter(10)==40');
    expect(await passes(task, task.reference)).toBe(true);
    expect(await passes(task, 'def square_perimeter(a):\n    return 2 * a')).toBe(false);
  });

  it('grades original-format rows (CRLF reference code) the same way', async () => {
    const [task] = loadSuite(fixture('mbpp.jsonl'), { format: 'mbpp', split: 'all', ids: ['Mbpp/3'] });
    expect(await passes(task as Task, (task as Task).reference)).toBe(true);
    expect(await passes(task as Task, 'def is_not_prime(n):\n    return False')).toBe(false);
  });
});

describe('EvalPlus', () => {
  const humanevalPlus = loadSuite(fixture('HumanEvalPlus-mini.jsonl.gz'));
  const humanevalBase = loadSuite(fixture('HumanEvalPlus-mini.jsonl.gz'), {
    format: 'evalplus',
    variant: 'base',
  });
  const mbppPlus = loadSuite(fixture('MbppPlus-mini.jsonl'));

  it('grades base inputs only for variant base, base then plus for plus', () => {
    expect(humanevalBase[0]?.tests?.cases).toHaveLength(1);
    expect(humanevalPlus[0]?.tests?.cases).toHaveLength(2);
    expect(humanevalPlus[0]?.suite).toBe('evalplus-plus');
  });

  it('passes the canonical solution on base and plus inputs', async () => {
    for (const task of [...humanevalPlus, ...mbppPlus]) expect(await passes(task, task.reference)).toBe(true);
  });

  it('accepts float outputs within atol and rejects ones outside it', async () => {
    const task = byId(humanevalPlus, 'HumanEval/2');
    expect(await passes(task, 'def truncate_number(number):\n    return number % 1.0 + 1e-9')).toBe(true);
    expect(await passes(task, 'def truncate_number(number):\n    return number % 1.0 + 1e-3')).toBe(false);
  });

  it('fails a solution that is right on base inputs but wrong on plus inputs only under plus', async () => {
    const wrongOnPlus =
      'def has_close_elements(numbers, threshold):\n    if not numbers:\n        return None\n    return any(abs(a - b) < threshold for i, a in enumerate(numbers) for j, b in enumerate(numbers) if i != j)';
    expect(await passes(byId(humanevalBase, 'HumanEval/0'), wrongOnPlus)).toBe(true);
    expect(await passes(byId(humanevalPlus, 'HumanEval/0'), wrongOnPlus)).toBe(false);
  });

  it("applies MBPP+'s input deserialization (tuples) and its set-equality oracle", async () => {
    const task = byId(mbppPlus, 'Mbpp/2');
    // Order differs from the canonical tuple: accepted by the set-equality oracle.
    expect(
      await passes(
        task,
        'def similar_elements(a, b):\n    assert isinstance(a, tuple)\n    return tuple(sorted(set(a) & set(b), reverse=True))',
      ),
    ).toBe(true);
    expect(await passes(task, 'def similar_elements(a, b):\n    return tuple(set(a) | set(b))')).toBe(false);
  });
});
