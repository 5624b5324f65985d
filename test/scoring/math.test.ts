import { describe, expect, it } from 'vitest';
import { sameAime } from '../../src/scoring/math/aime.js';
import { boxedContents, finalAnswer } from '../../src/scoring/math/extract.js';
import { sameGsm8k } from '../../src/scoring/math/gsm8k.js';
import { MATH_GRADERS, scoreMath } from '../../src/scoring/math/index.js';
import { MATH_GRADER_IDS, type MathGraderId, type Task } from '../../src/suites/types.js';

const task = (reference: string, grader?: MathGraderId): Task => ({
  id: 'm1',
  suite: 'test',
  category: 'algebra',
  kind: 'math',
  prompt: '',
  reference,
  ...(grader ? { grader } : {}),
  distractors: [],
  meta: {},
});

describe('final answer extraction', () => {
  it.each([
    ['so $\\boxed{5}$ and finally $\\boxed{5}$', '5'],
    ['$\\boxed{\\frac{1}{\\sqrt{2}}}$', '\\frac{1}{\\sqrt{2}}'],
    ['the result is $\\boxed 5$.', '5'],
    ['\\fbox{x+1}', 'x+1'],
    ['Thus the answer is $\\frac{3}{4}$.', '\\frac{3}{4}'],
    ['work...\nAnswer: 12', '12'],
    ['**Final Answer:** 42', '42'],
    ['42', '42'],
  ])('reads %j as %j', (text, expected) => {
    expect(finalAnswer(text)).toEqual({ kind: 'answer', text: expected });
  });

  it('lists every box in order, nested ones included, and stops at an unclosed one', () => {
    expect(boxedContents('\\boxed{a} \\boxed{\\boxed{b}} \\fbox{c} \\boxed{d')).toEqual([
      'a',
      '\\boxed{b}',
      'b',
      'c',
    ]);
  });

  it('reports boxes that differ, and nothing for prose', () => {
    expect(finalAnswer('\\boxed{2} or \\boxed{3}')).toEqual({ kind: 'boxes', texts: ['2', '3'] });
    expect(finalAnswer('I tried several approaches.\nNone of them worked.')).toEqual({ kind: 'none' });
  });
});

describe('aime mode', () => {
  it.each([
    ['33', '33', true],
    ['033', '33', true],
    ['0', '000', true],
    ['\\text{204}', '204', true],
    ['33.0000000001', '33', false],
    ['\\frac{66}{2}', '33', false],
    ['33.5', '33', false],
    ['33.0', '33', false],
    ['1000', '1000', false],
    ['-3', '-3', false],
    ['33\\%', '33', false],
    ['', '0', false],
  ])('%j vs %j → %s', (a, b, same) => {
    expect(sameAime(a, b)).toBe(same);
  });
});

describe('gsm8k mode', () => {
  it.each([
    ['18', '18', true],
    ['18.00', '18', true],
    ['\\$18', '18', true],
    ['12,000', '12000', true],
    ['18 eggs', '18', true],
    ['18 \\text{ dollars}', '18', true],
    ['-4', '-4', true],
    ['\\frac{36}{2}', '18', false],
    ['9+9', '18', false],
    ['18 or 19', '18', false],
    ['18.5', '18', false],
    ['1,80', '180', false],
  ])('%j vs %j → %s', (a, b, same) => {
    expect(sameGsm8k(a, b)).toBe(same);
  });
});

describe('scoreMath', () => {
  it('records the mode, the extracted answer and the reference', () => {
    expect(scoreMath(task('\\frac{1}{2}'), 'Half of it: $\\boxed{0.5}$')).toEqual({
      correct: true,
      detail: { kind: 'math', grader: 'equivalent', extracted: '0.5', reference: '\\frac{1}{2}' },
    });
  });

  it('records a hedge and grades it wrong', () => {
    expect(scoreMath(task('2'), '$\\boxed{2}$ or $\\boxed{3}$')).toEqual({
      correct: false,
      detail: { kind: 'math', grader: 'equivalent', extracted: null, hedge: ['2', '3'], reference: '2' },
    });
  });

  it('grades by the task mode: hendrycks keeps its thousands comma, equivalent does not', () => {
    expect(scoreMath(task('1000', 'hendrycks'), '\\boxed{1,000}').correct).toBe(false);
    expect(scoreMath(task('1000', 'equivalent'), '\\boxed{1,000}').correct).toBe(true);
    expect(scoreMath(task('1000', 'hendrycks'), 'The answer is 1000').correct).toBe(false); // no box
  });
});

describe('every mode on hostile responses', () => {
  const deep = `\\boxed{${'{'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
  const unbalanced = `\\boxed{${'{'.repeat(5000)}1`;
  const longBox = `\\boxed{${'\\frac{1}{2}+'.repeat(6000)}1}`;
  const longResponse = `${'Let me think step by step. '.repeat(8000)}\\boxed{4}`;
  let seed = 7;
  const garbage = Array.from({ length: 20_000 }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return String.fromCharCode(seed % 0x10000);
  }).join('');

  it.each(
    MATH_GRADER_IDS.flatMap((mode) =>
      [deep, unbalanced, longBox, garbage].map((r, i) => [mode, i, r] as const),
    ),
  )('%s gives a verdict on hostile response #%d', (mode, _i, response) => {
    expect(scoreMath(task('1', mode), response).correct).toBe(false);
  });

  it.each(MATH_GRADER_IDS)('%s finds the box at the end of a 200 KB response', (mode) => {
    expect(longResponse.length).toBeGreaterThan(200_000);
    expect(scoreMath(task('4', mode), longResponse).correct).toBe(true);
  });

  it('has a summary for every mode', () => {
    for (const id of MATH_GRADER_IDS) expect(MATH_GRADERS[id].summary.length).toBeGreaterThan(20);
  });
});
