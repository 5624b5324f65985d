import { describe, expect, it } from 'vitest';
import { sameEquivalent } from '../../src/scoring/math/equivalent.js';
import { MATH_GRADERS } from '../../src/scoring/math/index.js';

/**
 * The `equivalent` mode as a careful human grader would apply it: [answer, gold, accepted?, why].
 * Every row is checked both ways round (the mode is symmetric: votes compare answers with it).
 */
const TABLE: [string, string, boolean, string][] = [
  // accepted: the same value however written
  ['x^2+2x+1', '(x+1)^2', true, 'expanded polynomial'],
  ['1\\frac{1}{2}', '\\frac{3}{2}', true, 'mixed number'],
  ['0.\\overline{3}', '\\frac{1}{3}', true, 'repeating decimal'],
  ['1.\\overline{27}', '\\frac{14}{11}', true, 'repeating block of two digits'],
  ['C', '\\text{(C)}', true, 'choice letter in \\text'],
  ['\\mathbf{(C)}', '(C)', true, 'choice letter in \\mathbf'],
  ['\\text{(C)}', 'C', true, 'choice letter bare'],
  ['(C)', '\\textbf{C}', true, 'choice letter in \\textbf'],
  ['3 \\text{ and } 4', '3, 4', true, 'list with "and" is the set'],
  ['4, 3', '3 \\text{ and } 4', true, 'solutions in any order'],
  ['\u22123', '-3', true, 'U+2212 minus sign'],
  ['\\dfrac12', '\\frac{1}{2}', true, 'dfrac without braces'],
  ['\\tfrac{3}{4}', '0.75', true, 'terminating decimal is exact'],
  ['\\{1,2\\}', '\\{2,1\\}', true, 'set order'],
  ['[2, 5)', '[2,5)', true, 'interval with the same endpoints and brackets'],
  ['\\left(-\\infty, \\frac{1}{2}\\right]', '(-\\infty, 0.5]', true, 'interval endpoints by value'],
  [
    '(-\\infty, 0) \\cup (1, \\infty)',
    '(1,\\infty)\\cup(-\\infty,0)',
    true,
    'union of intervals in any order',
  ],
  ['x \\in [2, 5)', '[2,5)', true, 'x \\in prefix'],
  ['x = 7', '7', true, 'variable named on the left'],
  ['y = 2x + 3', 'y=3+2x', true, 'line equation, terms reordered'],
  ['2\\sqrt{3}', '\\sqrt{12}', true, 'radicals simplified'],
  ['\\frac{\\sqrt{2}}{2}', '\\frac{1}{\\sqrt{2}}', true, 'rationalised denominator'],
  ['3\\pi', '\\frac{6\\pi}{2}', true, 'multiples of pi'],
  ['1,000', '1000', true, 'thousands comma'],
  ['1{,}000', '1000', true, 'LaTeX thousands separator'],
  ['10\\text{ cm}', '10', true, 'unit in \\text'],
  ['12 square units', '12', true, 'unit words'],
  ['6 \\text{ liters}', '6', true, 'volume and mass units too (suites/train/math.yaml spells an answer so)'],
  ['6 \\text{ liters}', '6 \\text{ gallons}', false, 'two different stated units differ'],
  ['30^\\circ', '30', true, 'degrees'],
  ['50\\%', '50', true, 'percent sign of a percentage answer'],
  ['\\$18.90', '18.9', true, 'dollar sign, trailing zero'],
  ['\\text{Evelyn}', 'evelyn', true, 'a name, any case'],
  ['\\frac{x+1}{x^2-1}', '\\frac{1}{x-1}', true, 'rational function simplified'],
  [
    '\\begin{pmatrix} 1 \\\\ -2 \\end{pmatrix}',
    '\\begin{pmatrix}1\\\\-2\\end{pmatrix}',
    true,
    'column vector',
  ],
  ['(\\frac{1}{2}, 4)', '(0.5, 4)', true, 'ordered pair entries by value'],
  ['2^{100}', '1267650600228229401496703205376', true, 'big integer, exactly'],
  ['3+4i', '4i+3', true, 'complex number'],
  ['\\sqrt[3]{8}', '2', true, 'cube root'],
  // rejected
  ['1\\frac{1}{2}', '\\frac{1}{2}', false, 'mixed number is not its fraction part'],
  ['2 \\text{ or } 3', '2', false, 'a hedge between two values'],
  ['2m', '2', false, 'a unit letter the gold does not have is a variable'],
  ['3', '3m^2', false, 'the gold has a variable factor'],
  ['0.3333333333', '\\frac{1}{3}', false, 'rounded decimal is not exact'],
  ['3.14159265359', '\\pi', false, 'rounded pi'],
  ['0.33', '\\frac{1}{3}', false, 'two-digit rounding'],
  ['x = 2', '[2, 5)', false, 'a point is not an interval'],
  ['(1, 2]', '(1, 2)', false, 'closed vs open end'],
  ['[1, 2]', '(1, 2)', false, 'closed vs open interval'],
  ['(0, 1)', '(0, 2)', false, 'different endpoint'],
  ['(1, 2)', '(2, 1)', false, 'ordered pair order matters'],
  ['(1, 2, 3)', '(1, 2)', false, 'tuple length'],
  ['\\{1, 2, 3\\}', '\\{1, 2\\}', false, 'set size'],
  ['1, 2', '1, 2, 2', false, 'multiset counts'],
  ['\\{1, 2\\}', '(1, 2)', false, 'set is not a tuple'],
  ['1,2', '12', false, 'a list is not a number'],
  ['C', 'D', false, 'different choice letters'],
  ['\\text{(A)}', '(B)', false, 'different decorated letters'],
  ['\\text{even}', '\\text{odd}', false, 'different words'],
  ['x+1', 'x+2', false, 'different expressions'],
  ['x^2+2x+1', '(x-1)^2', false, 'wrong sign in a square'],
  ['\\sqrt{2}', '2', false, 'radical vs integer'],
  ['-5', '5', false, 'sign'],
  ['50\\%', '0.5', false, 'a percentage is not rescaled'],
  ['1.5', '1.50001', false, 'close is not equal'],
  ['2^{100}', '1267650600228229401496703205377', false, 'big integer off by one'],
  ['\\frac{3}{4}', '\\frac{4}{3}', false, 'inverted fraction'],
  ['3 + 4i', '3 - 4i', false, 'complex conjugate'],
  ['\\infty', '-\\infty', false, 'infinities of opposite sign'],
  ['5 \\text{ cm}', '6', false, 'a unit does not rescue a wrong number'],
  ['y = 2x + 3', 'y = 2x - 3', false, 'different lines'],
  ['', '2', false, 'an empty answer'],
];

describe('equivalent mode', () => {
  it('has at least 60 rows, half accepted and half rejected', () => {
    const accepted = TABLE.filter((r) => r[2]).length;
    expect(TABLE.length).toBeGreaterThanOrEqual(60);
    expect(accepted).toBeGreaterThanOrEqual(30);
    expect(TABLE.length - accepted).toBeGreaterThanOrEqual(30);
  });

  it.each(TABLE)('%j vs gold %j → %s (%s)', (answer, gold, accepted) => {
    expect(sameEquivalent(answer, gold)).toBe(accepted);
    expect(sameEquivalent(gold, answer)).toBe(accepted);
  });
});

/** Whole responses through the mode's extraction: [response, gold, accepted?, why]. */
const RESPONSES: [string, string, boolean, string][] = [
  ['So the answer is $\\boxed{\\frac{1}{2}}$.', '0.5', true, 'one box'],
  ['First $\\boxed{0.5}$, i.e. $\\boxed{\\frac12}$.', '\\frac{1}{2}', true, 'two boxes that agree'],
  [
    'It is $\\boxed{2}$ or maybe $\\boxed{3}$.',
    '2',
    false,
    'two different boxes: a hedge, wrong for the first',
  ],
  [
    'It is $\\boxed{2}$ or maybe $\\boxed{3}$.',
    '3',
    false,
    'two different boxes: a hedge, wrong for the last',
  ],
  ['Therefore $\\boxed{}$.', '2', false, 'an empty box'],
  ['The answer is $\\frac{3}{4}$.', '0.75', true, 'stated answer without a box'],
  ['Answer: 12', '12', true, 'Answer: line'],
  ['\\boxed{\\frac{1}{2}', '\\frac{1}{2}', false, 'an unclosed box is no answer'],
];

describe('equivalent mode, whole responses', () => {
  it.each(RESPONSES)('%j vs gold %j → %s (%s)', (response, gold, accepted) => {
    const grader = MATH_GRADERS.equivalent;
    const { answer } = grader.read(response);
    expect(answer !== null && grader.same(answer, gold)).toBe(accepted);
  });
});
