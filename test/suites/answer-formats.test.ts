import { describe, expect, it } from 'vitest';
import { scoreMath } from '../../src/scoring/math/index.js';
import { loadSuite, loadSuiteDetailed } from '../../src/suites/load.js';
import { fixture } from './helpers.js';

describe('MATH-500', () => {
  const tasks = loadSuite(fixture('math500.jsonl'), { format: 'math' });

  it('reads problem, answer, subject, level and unique_id', () => {
    expect(tasks.map((t) => [t.id, t.reference, t.category])).toEqual([
      ['test/prealgebra/1.json', '\\frac{3}{4}', 'Prealgebra'],
      ['test/algebra/2.json', '2', 'Algebra'],
    ]);
    expect(tasks[0]?.prompt).toMatch(/\$\?\n\nPut your final answer within \\boxed\{\}\.$/);
    expect(tasks[0]?.meta.level).toBe(1);
  });

  it('grades with the equivalent mode unless the config names another', () => {
    expect(tasks.map((t) => t.grader)).toEqual(['equivalent', 'equivalent']);
    const hendrycks = loadSuiteDetailed(fixture('math500.jsonl'), { format: 'math', grader: 'hendrycks' });
    expect(hendrycks.tasks.map((t) => t.grader)).toEqual(['hendrycks', 'hendrycks']);
    // The mode is part of what a score depends on: two runs graded differently do not compare as equal.
    expect(hendrycks.contentHash).not.toBe(
      loadSuiteDetailed(fixture('math500.jsonl'), { format: 'math' }).contentHash,
    );
  });

  it('grades a boxed equivalent answer as correct', () => {
    expect(scoreMath(tasks[0] as never, 'so $\\boxed{0.75}$').correct).toBe(true);
  });
});

describe('AIME', () => {
  it('reads the ID/Problem/Answer spelling with an integer answer (AIME 2024 copies)', () => {
    const tasks = loadSuite(fixture('aime_2024.jsonl'));
    expect(tasks.map((t) => [t.id, t.reference, t.grader])).toEqual([
      ['2024-I-1', '24', 'aime'],
      ['2024-II-4', '1', 'aime'],
    ]);
    expect(tasks[0]?.prompt).toContain('Find the remainder when $2^{10}$');
  });

  it('reads the question/answer spelling (AIME 2025 copies), numbering rows without ids', () => {
    const tasks = loadSuite(fixture('aime2025-I.jsonl'));
    expect(tasks.map((t) => [t.id, t.reference])).toEqual([['1', '70']]);
    expect(tasks[0]?.prompt).toContain('integer bases $b>9$');
  });
});

describe('GSM8K', () => {
  const tasks = loadSuite(fixture('gsm8k-test.jsonl'), { format: 'gsm8k' });

  it('takes the answer after #### with commas removed', () => {
    expect(tasks.map((t) => t.reference)).toEqual(['72', '12000']);
  });

  it('grades by the gsm8k mode: 12,000 and 12000 alike, an expression not', () => {
    expect(tasks[1]?.grader).toBe('gsm8k');
    expect(scoreMath(tasks[1] as never, 'The total is \\boxed{\\frac{24000}{2}}.').correct).toBe(false);
    expect(scoreMath(tasks[1] as never, 'The total is \\boxed{12,000}.').correct).toBe(true);
  });

  it('reports a row without #### by line and field', () => {
    const loaded = loadSuiteDetailed(fixture('math500.jsonl'), { format: 'gsm8k' });
    expect(loaded.tasks).toEqual([]);
    expect(loaded.problems.map((p) => `${p.line}:${p.field}`)).toEqual([
      '1:question',
      '1:answer',
      '2:question',
      '2:answer',
    ]);
  });
});
