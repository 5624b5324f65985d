import { describe, expect, it } from 'vitest';
import { isEquiv } from '../../src/scoring/math.js';

/**
 * The equivalence table: [a, b, equal?, what it covers]. Pairs marked H hold in Hendrycks'
 * `is_equiv` itself; the others are baton's documented additions (docs/suites.md).
 */
const TABLE: [string, string, boolean, string][] = [
  // fractions
  ['\\frac{1}{2}', '\\dfrac{1}{2}', true, 'H dfrac'],
  ['\\frac12', '\\frac{1}{2}', true, 'H brace-less frac'],
  ['\\tfrac{3}{4}', '3/4', true, 'H a/b'],
  ['\\frac{2}{4}', '\\frac{1}{2}', true, 'unreduced fraction, by value'],
  ['-\\frac{2}{3}', '\\frac{-2}{3}', true, 'sign placement'],
  ['\\frac{1}{3}', '0.33', false, 'rounded decimal is not the fraction'],
  ['\\frac{1}{3}', '\\frac{1}{4}', false, 'different fractions'],
  ['\\frac{\\sqrt{3}}{2}', '\\frac{\\sqrt3}{2}', true, 'H brace-less sqrt'],
  ['\\frac{3}{2}', '1\\frac{1}{2}', false, 'mixed-number spelling is not read as a sum'],
  // decimals
  ['0.5', '\\frac{1}{2}', true, 'H 0.5'],
  ['.75', '0.75', true, 'H leading dot'],
  ['0.50', '0.5', true, 'trailing zero, by value'],
  ['2.0', '2', true, 'integer-valued decimal'],
  ['3.14', '\\pi', false, 'approximation of pi'],
  ['1.5', '1.50001', false, 'beyond the 1e-9 tolerance'],
  ['1,000', '1000', true, 'thousands comma'],
  ['1{,}000', '1000', true, 'LaTeX thousands separator'],
  ['1\\,000', '1000', true, 'thin-space thousands separator'],
  // percentages
  ['50\\%', '50', true, 'H percent sign dropped'],
  ['50%', '50', true, 'H bare percent'],
  ['12.5\\%', '12.5', true, 'decimal percent'],
  ['50\\%', '0.5', false, 'percent vs fraction is not rescaled'],
  ['25\\%', '30\\%', false, 'different percentages'],
  // units
  ['10\\text{ cm}', '10', true, 'H \\text{ unit}'],
  ['10\\text{cm}', '10', true, '\\text{unit} without the space'],
  ['5 cm', '5', true, 'plain unit word'],
  ['12 square units', '12', true, 'square units'],
  ['30^\\circ', '30', true, 'H degrees'],
  ['30°', '30', true, 'unicode degree'],
  ['45 degrees', '45', true, 'degree word'],
  ['\\$18.90', '18.9', true, 'H dollar sign'],
  ['18 dollars', '18', true, 'dollar word'],
  ['5\\text{ cm}', '6', false, 'unit does not rescue a wrong number'],
  ['10 cm^2', '10', true, 'squared unit'],
  // \text{}
  ['\\text{(B)}', '(B)', true, 'whole-answer \\text'],
  ['\\text{Evelyn}', 'Evelyn', true, 'name in \\text'],
  ['\\textbf{(C)}', '(C)', true, '\\textbf'],
  ['\\text{(A)}', '(B)', false, 'different letters'],
  ['\\mathrm{odd}', 'odd', true, '\\mathrm'],
  ['\\text{even}', '\\text{odd}', false, 'different words'],
  // intervals
  ['(-\\infty, 3]', '(-\\infty,3]', true, 'H spaces'],
  ['\\left( 1, 2 \\right]', '(1,2]', true, 'H \\left/\\right'],
  ['[\\frac{1}{2}, 3)', '[0.5, 3)', true, 'endpoints by value'],
  ['(1, 2]', '(1, 2)', false, 'closed vs open end'],
  ['[1, 2]', '(1, 2)', false, 'closed vs open interval'],
  ['x \\in [2, 5)', '[2,5)', true, 'x \\in prefix'],
  ['(-\\infty, 0) \\cup (1, \\infty)', '(-\\infty,0)\\cup(1,\\infty)', true, 'H union of intervals'],
  ['(0, 1)', '(0, 2)', false, 'different endpoint'],
  // tuples
  ['(1, 2)', '(1,2)', true, 'H tuple spaces'],
  ['(1, 2)', '(2, 1)', false, 'ordered pair order matters'],
  ['(\\frac{1}{2}, 4)', '(0.5, 4)', true, 'tuple entries by value'],
  ['(1, 2, 3)', '(1, 2)', false, 'tuple length'],
  // sets and solution lists
  ['\\{1, 2\\}', '\\{2, 1\\}', true, 'set order'],
  ['\\{1, 2, 3\\}', '\\{1, 2\\}', false, 'set size'],
  ['\\{\\frac{1}{2}, 2\\}', '\\{2, 0.5\\}', true, 'set members by value'],
  ['2, -3', '-3, 2', true, 'solution list in any order'],
  ['1, 2', '1, 2, 2', false, 'multiset counts'],
  ['1,2', '12', false, 'H list is not a number'],
  ['\\{1, 2\\}', '(1, 2)', false, 'set is not a tuple'],
  // other forms
  ['k = 7', '7', true, 'H short left-hand side'],
  ['2\\sqrt{3}', '\\sqrt{12}', true, 'radicals by value'],
  ['3\\pi', '\\frac{6\\pi}{2}', true, 'pi multiples by value'],
  ['x+1', 'x+2', false, 'different expressions'],
  ['1+1', '2', false, 'unsimplified sums are not evaluated (as Hendrycks)'],
  ['\\sqrt{2}', '2', false, 'radical vs integer'],
  ['-5', '5', false, 'sign'],
];

describe('math equivalence table', () => {
  it('has at least 60 pairs, both equal and not-equal ones', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(60);
    expect(TABLE.filter((r) => r[2]).length).toBeGreaterThanOrEqual(25);
    expect(TABLE.filter((r) => !r[2]).length).toBeGreaterThanOrEqual(20);
  });

  it.each(TABLE)('%j vs %j → %s (%s)', (a, b, equal) => {
    expect(isEquiv(a, b)).toBe(equal);
    expect(isEquiv(b, a)).toBe(equal);
  });
});
