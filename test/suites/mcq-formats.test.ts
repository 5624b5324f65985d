import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scoreMcq } from '../../src/scoring/mcq.js';
import { gpqaPermutations } from '../../src/suites/gpqa/index.js';
import { PythonRandom } from '../../src/suites/gpqa/python-random.js';
import { loadSuite, loadSuiteDetailed } from '../../src/suites/load.js';
import { fixture } from './helpers.js';

/** random.Random(seed).sample(range(4), 4), 50 draws per seed, written by CPython. */
const pythonDraws = JSON.parse(readFileSync(fixture('python-random-sample.json'), 'utf8')) as Record<
  string,
  number[][]
>;

describe("port of Python's random.Random for GPQA's shuffle", () => {
  it.each(Object.keys(pythonDraws))('draws the same permutations as CPython for seed %s', (seed) => {
    const rng = new PythonRandom(Number(seed));
    const ours = Array.from({ length: 50 }, () => rng.sample([0, 1, 2, 3], 4));
    expect(ours).toEqual(pythonDraws[seed]);
  });

  it('gives pass p of row i the draw p·N + i, as simple-evals over examples * n_repeats', () => {
    const all = pythonDraws['0'] as number[][];
    expect(gpqaPermutations(3, 0, 0)).toEqual(all.slice(0, 3));
    expect(gpqaPermutations(3, 0, 2)).toEqual(all.slice(6, 9));
  });
});

describe('GPQA Diamond CSV', () => {
  const tasks = loadSuite(fixture('gpqa_diamond.csv'));
  const draws = pythonDraws['0'] as number[][];

  it('reads quoted multi-line questions and shuffles choices with simple-evals permutations', () => {
    expect(tasks.map((t) => t.id)).toEqual(['rec1', 'rec2', 'rec3']);
    expect(tasks[0]?.prompt).toContain(
      'Which particle mediates the electromagnetic force?\nChoose one, "carefully".',
    );
    for (const [i, task] of tasks.entries()) {
      const permutation = draws[i] as number[];
      expect(task.meta.permutation).toEqual(permutation);
      expect(task.reference).toBe('ABCD'[permutation.indexOf(0)]);
    }
    const first = tasks[0];
    expect(first?.choices?.['ABCD'.indexOf(first.reference)]).toBe('Photon');
    expect(first?.category).toBe('Physics');
  });

  it("scores with simple-evals' Answer: LETTER pattern", () => {
    const task = tasks[1];
    expect(task && scoreMcq(task, `Reasoning.\nAnswer: ${task.reference}`).correct).toBe(true);
  });

  it('uses another pass of the shuffle when asked, under its own suite name', () => {
    const other = loadSuite(fixture('gpqa_diamond.csv'), { format: 'gpqa', shufflePass: 1 });
    expect(other[0]?.meta.permutation).toEqual(draws[3]);
    expect(other[0]?.suite).toBe('gpqa-diamond-pass1');
  });
});

describe('MMLU-Pro JSONL', () => {
  const loaded = loadSuiteDetailed(fixture('mmlu_pro_test.jsonl'));

  it('reads up to ten options, lettered A–J, with the MMLU-Pro prompt', () => {
    expect(loaded.tasks.map((t) => [t.id, t.reference, t.choices?.length])).toEqual([
      ['70', 'I', 10],
      ['71', 'B', 3],
    ]);
    expect(loaded.tasks[0]?.prompt).toContain(
      'about business. Think step by step and then finish your answer with "the answer is (X)"',
    );
    expect(loaded.tasks[0]?.prompt).toContain(
      "J. Unsafe practices, Fear, Jealousy, Serious\nAnswer: Let's think step by step.",
    );
  });

  it('grades "the answer is (I)" on a ten-option question', () => {
    expect(scoreMcq(loaded.tasks[0] as never, 'Thinking... the answer is (I)').correct).toBe(true);
  });

  it('skips and reports a row whose answer letter is not an option', () => {
    expect(loaded.problems).toHaveLength(2);
    expect(loaded.problems.every((p) => p.line === 3)).toBe(true);
    expect(loaded.problems.map((p) => p.field).sort()).toEqual(['answer', 'options']);
  });
});

describe("MMLU (simple-evals' mmlu.csv)", () => {
  const tasks = loadSuite(fixture('mmlu.csv'));

  it('reads Question, A–D, Answer and Subject, with the pandas index as id', () => {
    expect(tasks.map((t) => [t.id, t.reference, t.category])).toEqual([
      ['0', 'B', 'abstract_algebra'],
      ['1', 'C', 'elementary_mathematics'],
    ]);
    expect(tasks[1]?.prompt).toContain('A) 4\nB) 6\nC) 7\nD) 9');
  });
});

describe('grading modes on a suite without maths', () => {
  it('refuses grader: for a multiple-choice suite, naming the file', () => {
    const path = fixture('gpqa_diamond.csv');
    expect(() => loadSuiteDetailed(path, { format: 'gpqa', grader: 'hendrycks' })).toThrow(
      `${path}: grader: hendrycks applies to maths tasks, and this suite has none`,
    );
  });
});
