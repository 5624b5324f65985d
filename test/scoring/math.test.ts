import { describe, expect, it } from 'vitest';
import { isEquiv, scoreMath } from '../../src/scoring/math.js';
import { extractMathAnswer, lastBoxed } from '../../src/scoring/math-extract.js';
import { stripString } from '../../src/scoring/math-normalize.js';
import { numericValue } from '../../src/scoring/math-numeric.js';
import type { Task } from '../../src/suites/types.js';

const task = (reference: string): Task => ({
  id: 'm1',
  suite: 'test',
  category: 'algebra',
  kind: 'math',
  prompt: '',
  reference,
  distractors: [],
  meta: {},
});

describe('math answer extraction', () => {
  it.each([
    ['so $\\boxed{5}$ and finally $\\boxed{7}$', '7'],
    ['$\\boxed{\\frac{1}{\\sqrt{2}}}$', '\\frac{1}{\\sqrt{2}}'],
    ['the result is $\\boxed 5$.', '5'],
    ['\\fbox{x+1}', 'x+1'],
    ['Thus the answer is $\\frac{3}{4}$.', '\\frac{3}{4}'],
    ['work...\nAnswer: 12', '12'],
    ['**Final Answer:** 42', '42'],
    ['42', '42'],
  ])('extracts from %j', (text, expected) => {
    expect(extractMathAnswer(text)).toBe(expected);
  });

  it('returns null for unbalanced braces in the last box', () => {
    expect(lastBoxed('\\boxed{\\frac{1}{2}')).toBeNull();
  });

  it('returns null for prose without an answer', () => {
    expect(extractMathAnswer('I tried several approaches.\nNone of them worked out in the end.')).toBeNull();
  });
});

describe('Hendrycks strip_string', () => {
  it.each([
    ['\\left( 1, 2 \\right)', '(1,2)'],
    ['\\dfrac{3}{4}', '\\frac{3}{4}'],
    ['\\frac12', '\\frac{1}{2}'],
    ['\\frac1{72}', '\\frac{1}{72}'],
    ['\\sqrt3', '\\sqrt{3}'],
    ['30^\\circ', '30'],
    ['30^{\\circ}', '30'],
    ['\\$5', '5'],
    ['50\\%', '50'],
    ['.5', '\\frac{1}{2}'],
    ['x = 3', '3'],
    ['3/4', '\\frac{3}{4}'],
    ['10\\text{ cm}', '10'],
    ['10\\text{cm}', '10'],
    ['1,000', '1000'],
    ['(1,000)', '(1,000)'],
  ])('normalizes %j to %j', (input, expected) => {
    expect(stripString(input)).toBe(expected);
  });

  it('throws where the Python raises, so is_equiv falls back to raw equality', () => {
    expect(() => stripString('\\sqrt')).toThrow();
    expect(isEquiv('\\sqrt', '\\sqrt')).toBe(true);
  });
});

describe('math equivalence', () => {
  it.each([
    ['\\frac{1}{2}', '0.5'],
    ['0.50', '\\frac{1}{2}'],
    ['\\dfrac34', '0.75'],
    ['1,000', '1000'],
    ['30^\\circ', '30'],
    ['2\\sqrt{3}', '\\sqrt{12}'],
    ['-\\frac{2}{3}', '\\frac{-2}{3}'],
    ['3\\pi', '\\frac{6\\pi}{2}'],
    ['1/2', '\\frac12'],
    ['\\$18.90', '18.9'],
    ['k = 7', '7'],
  ])('%j ≡ %j', (a, b) => {
    expect(isEquiv(a, b)).toBe(true);
  });

  it.each([
    ['\\frac{1}{3}', '0.33'],
    ['2', '3'],
    ['\\sqrt{2}', '2'],
    ['(1,2)', '(2,1)'],
    ['x+1', 'x+2'],
    ['1,2', '12'],
    ['1+1', '2'],
  ])('%j ≢ %j', (a, b) => {
    expect(isEquiv(a, b)).toBe(false);
  });

  it('evaluates only plain numeric forms', () => {
    expect(numericValue('\\frac{\\sqrt{3}}{2}')).toBeCloseTo(Math.sqrt(3) / 2, 12);
    expect(numericValue('x')).toBeNull();
    expect(numericValue('2^{3}')).toBeNull();
    expect(numericValue('\\frac{1}{0}')).toBeNull();
  });
});

describe('scoreMath', () => {
  it('marks a boxed equivalent answer correct and reports the normalized form', () => {
    const score = scoreMath(task('\\frac{1}{2}'), 'Half of it: $\\boxed{0.5}$');
    expect(score.correct).toBe(true);
    expect(score.detail).toEqual({
      kind: 'math',
      extracted: '0.5',
      normalized: '\\frac{1}{2}',
      reference: '\\frac{1}{2}',
    });
  });

  it('marks a missing answer incorrect with extracted null', () => {
    const score = scoreMath(task('3'), 'Let me think about this problem.\nIt is hard.');
    expect(score).toEqual({
      correct: false,
      detail: { kind: 'math', extracted: null, normalized: null, reference: '3' },
    });
  });
});
