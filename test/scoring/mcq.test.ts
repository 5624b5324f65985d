import { describe, expect, it } from 'vitest';
import { extractChoice, scoreMcq } from '../../src/scoring/mcq.js';
import type { Task } from '../../src/suites/types.js';

describe('multiple-choice extraction', () => {
  it.each([
    ['Reasoning...\nAnswer: C', 'C'],
    ['**Answer: B**', 'B'],
    ['Answer: $D$', 'D'],
    ['$\\boxed{Answer: E}$', 'E'],
    ['Answer: A\nOn reflection, Answer: B', 'A'], // simple-evals re.search: first match
    ['The answer is (J).', 'J'],
    ['Final answer:B', 'B'],
    ['I pick option G', 'G'],
  ])('extracts %j → %s', (text, expected) => {
    expect(extractChoice(text)).toBe(expected);
  });

  it('returns null when no letter is present', () => {
    expect(extractChoice('no idea, sorry')).toBeNull();
  });

  it('restricts letters to the available options', () => {
    expect(extractChoice('Answer: E', 'ABCD')).toBe(null);
  });

  it('keeps a lowercase capture, which then does not match (as simple-evals)', () => {
    expect(extractChoice('answer: b')).toBe('b');
  });
});

describe('scoreMcq', () => {
  const task: Task = {
    id: 'q1',
    suite: 'test',
    category: 'mcq',
    kind: 'mcq',
    prompt: '',
    reference: 'B',
    choices: ['one', 'two', 'three', 'four'],
    distractors: [],
    meta: {},
  };

  it('is correct when the extracted letter equals the reference', async () => {
    expect(scoreMcq(task, 'Answer: B')).toEqual({
      correct: true,
      detail: { kind: 'mcq', extracted: 'B', reference: 'B' },
    });
  });

  it('is wrong for another letter', () => {
    expect(scoreMcq(task, 'Answer: C').correct).toBe(false);
  });
});
