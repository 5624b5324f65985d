import { describe, expect, it } from 'vitest';
import { sameEquivalent } from '../../src/scoring/math/equivalent.js';
import { sameGsm8k } from '../../src/scoring/math/gsm8k.js';
import { MATH_GRADERS, scoreMath } from '../../src/scoring/math/index.js';
import type { MathGraderId, Task } from '../../src/suites/types.js';

/** Findings of the red team against the maths graders, each pinned from the attacker's side. */

const task = (reference: string, grader: MathGraderId = 'equivalent'): Task => ({
  id: 'a1',
  suite: 'attacks',
  category: 'algebra',
  kind: 'math',
  prompt: '',
  reference,
  grader,
  distractors: [],
  meta: {},
});

describe('answers that once crashed or hung the grader give a verdict', () => {
  it.each([
    String.raw`The answer is $\boxed{\Gamma(1000000000)}$.`,
    String.raw`$\boxed{\Gamma(\Gamma(12))}$`,
    String.raw`$\boxed{\cosh(\cosh(\cosh(10)))}$`,
    String.raw`$\boxed{\sinh(\sinh(\sinh(5)))}$`,
    `$\\boxed{${'-'.repeat(30)}1}$`,
    `\\boxed{${'+'.repeat(30)}1}`,
    `\\boxed{${'-('.repeat(12)}1}`,
    `\\boxed{${'-\\frac{-'.repeat(14)}1${'}{2}'.repeat(14)}}`,
    String.raw`\boxed{(200\cdot 200\cdot 200)!}`,
    String.raw`\boxed{2^{400\cdot 400\cdot 400}}`,
    String.raw`\boxed{((2^{400})^{400})^{400}}`,
    String.raw`\boxed{e^{400\cdot 400\cdot 400}}`,
    Array.from({ length: 8 }, (_, k) => `\\boxed{\\Gamma(1000000)${'+0'.repeat(k)}}`).join(' '),
    `The answer is 5${';'.repeat(199_980)}x`,
    `Answer: 5${'.'.repeat(100_000)}x`,
  ])('%#', (response) => {
    for (const mode of ['equivalent', 'aime', 'gsm8k', 'hendrycks'] as const)
      expect(typeof scoreMath(task('1', mode), response).correct).toBe('boolean');
  });
});

describe('equivalent mode: wrong answers the red team got accepted are rejected', () => {
  it.each([
    [String.raw`x = -\frac{47}{8}`, String.raw`y = -\frac{47}{8}`, 'a vertical line is not a horizontal one'],
    ['x = 3', 'y = 3', 'named variables differ'],
    [String.raw`\frac{1}{2^{40}}`, '0', 'small values are not rounded to zero'],
    [String.raw`1-\frac{1}{2^{40}}`, '1', 'nor near-one values to one'],
    [String.raw`\frac{1}{10^{10}}`, String.raw`\frac{1}{10^{11}}`, 'small values differ'],
    [String.raw`\frac{7^{20}}{2}`, '39896133148806000', 'a power is not folded in double precision'],
    ['7^{77}', '7^{77}+1', 'big integers are exact'],
    ['50!', '50!+1', 'factorials are exact'],
    ['|x|', 'x', 'absolute value is checked at a negative point'],
    [String.raw`\sqrt{x^2}`, 'x', 'square root of a square'],
    [String.raw`(x-\frac27)(x-\frac58)(x-\frac89)`, '0', 'a polynomial with roots at nice points'],
    [String.raw`\frac{1+i\sqrt{3}}{2}`, '0.5+0.866025403784i', 'a rounded complex number'],
    [String.raw`\frac{1}{3}i`, '0.3333333333333i', 'a rounded imaginary part'],
    [String.raw`2\text{ cm}`, String.raw`2 \text{ m}`, 'different units'],
    [String.raw`10 \text{ hours}`, String.raw`10 \text{ minutes}`, 'different time units'],
    ['p - q', 'P - Q', 'letters are variables, not words'],
    ['xy', 'XY', 'a product of variables, not a word'],
  ])('%j vs %j (%s)', (a, b) => {
    expect(sameEquivalent(a, b)).toBe(false);
    expect(sameEquivalent(b, a)).toBe(false);
  });
});

describe('equivalent mode: right answers the red team saw rejected are accepted', () => {
  it.each([
    [String.raw`\frac9{19}`, String.raw`\frac{9}{19}`],
    [String.raw`\frac{3}4`, '0.75'],
    [String.raw`\frac{\sqrt3}2`, String.raw`\frac{\sqrt{3}}{2}`],
    [String.raw`11,\! 111,\! 111,\! 100`, '11111111100'],
    ['4210_{5}', '4210_5'],
    ['p - q', '-q+p'],
    [String.raw`1 \pm \sqrt{19}`, String.raw`1+\sqrt{19}, 1-\sqrt{19}`],
    [String.raw`3 \pm 2 \sqrt{2}`, String.raw`3 \pm 2\sqrt2`],
    [String.raw`\{1\pm\sqrt{5},-2\}`, String.raw`-2, 1+\sqrt{5}, 1-\sqrt{5}`],
    ['x^3+3x-6', 'p(x) = x^3+3x-6'],
    [String.raw`\frac{1}{2^{40}}`, String.raw`\frac{1}{1099511627776}`],
    [String.raw`\frac{2^{64}}{3}`, String.raw`\frac{18446744073709551616}{3}`],
    [String.raw`\frac{1}{3}+i`, String.raw`i+\frac{1}{3}`],
    ['100!', '100!'],
  ])('%j vs %j', (a, b) => {
    expect(sameEquivalent(a, b)).toBe(true);
    expect(sameEquivalent(b, a)).toBe(true);
  });
});

describe('hedges and extraction', () => {
  it.each([
    ['So $\\boxed{2}$.\n\nAnswer: 3', '2', false, 'a different answer stated after the box'],
    ['So $\\boxed{2}$.\n\nWait, actually the answer is 3.', '2', false, 'a change of mind after the box'],
    ['So $\\boxed{\\frac12}$.\n\nAnswer: 0.5', '\\frac{1}{2}', true, 'the same answer stated again'],
    ['I must put the final answer within \\boxed{}. ... So $\\boxed{5}$.', '5', true, 'echoed instruction'],
    ['\\boxed{\\boxed{2}}', '2', true, 'a box in a box'],
    ['The answer is:\n\n$$5$$', '5', true, 'answer on the next line'],
    ['**Answer:**\n5', '5', true, 'bold label, answer below'],
    ['Final Answer: The final answer is $33$. I hope it is correct.', '33', true, 'Minerva format'],
  ])('%j vs %j → %s (%s)', (response, gold, accepted) => {
    const grader = MATH_GRADERS.equivalent;
    const { answer } = grader.read(response);
    expect(answer !== null && grader.same(answer, gold)).toBe(accepted);
  });

  it.each([
    ['18 \\text{ or more}', '18', false],
    ['18 \\text{ and a half}', '18', false],
    ['18 \\text{ thousand}', '18', false],
    ['5 \\text{ dozen}', '5', false],
    ['18 x', '18', false],
    ['18{,}000', '18000', true],
    ['18\\,000', '18000', true],
    ['18.', '18', true],
    ['\\textbf{18}', '18', true],
    ['\u221218', '-18', true],
  ])('gsm8k %j vs %j → %s', (a, b, same) => {
    expect(sameGsm8k(a, b)).toBe(same);
  });
});
