/*
 * What may reach the compute engine: answers are written by the models under test, and some LaTeX takes
 * the engine minutes or all memory (`\Gamma(10^9)`, towers of powers, huge factorials). The checks run
 * on the text and on the uncanonical MathJSON parse, before the engine computes anything.
 */

const MAX_NODES = 150;
const MAX_EXPONENT = 400;
const MAX_FACTORIAL = 200;

/** Brackets balanced and nested at most `maxDepth` deep. */
export function balancedWithin(s: string, maxDepth: number): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '{' || c === '(' || c === '[') {
      if (++depth > maxDepth) return false;
    } else if ((c === '}' || c === ')' || c === ']') && --depth < 0) return false;
  }
  return depth === 0;
}

/** Operations the engine may evaluate: arithmetic, roots, powers, logarithms, trigonometry. */
const ALLOWED_HEADS = new Set([
  'Add',
  'Subtract',
  'Negate',
  'Multiply',
  'InvisibleOperator',
  'Divide',
  'Rational',
  'Power',
  'Sqrt',
  'Root',
  'Delimiter',
  'Sequence',
  'Abs',
  'Sin',
  'Cos',
  'Tan',
  'Cot',
  'Sec',
  'Csc',
  'Arcsin',
  'Arccos',
  'Arctan',
  'Ln',
  'Log',
  'Lb',
  'Lg',
  'Exp',
  'Factorial',
  'Complex',
]);
/** Symbols that are values, not functions (the engine reads `\Gamma(5)` as the Gamma function). */
const ALLOWED_SYMBOL =
  /^(?:[a-zA-Z]|[a-z]+|Pi|ExponentialE|ImaginaryUnit|PositiveInfinity|NegativeInfinity|Half)$/;

/** Bounded-size MathJSON of allowed operations, without towers of powers or huge factorials. */
export function isSafe(json: unknown): boolean {
  let nodes = 0;
  const stack: unknown[] = [json];
  while (stack.length > 0) {
    const node = stack.pop();
    if (++nodes > MAX_NODES) return false;
    if (typeof node === 'string') {
      if (!ALLOWED_SYMBOL.test(node)) return false;
      continue;
    }
    if (!Array.isArray(node)) continue;
    const [head, ...args] = node as unknown[];
    if (typeof head !== 'string' || !ALLOWED_HEADS.has(head)) return false;
    if ((head === 'Power' || head === 'Root') && (contains(args[0], 'Power') || !boundedExponent(args[1])))
      return false;
    if (head === 'Exp' && !boundedExponent(args[0])) return false;
    if (head === 'Factorial' && !(typeof args[0] === 'number' && args[0] <= MAX_FACTORIAL)) return false;
    stack.push(...args);
  }
  return true;
}

function contains(node: unknown, head: string): boolean {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      if (n[0] === head) return true;
      stack.push(...n.slice(1));
    }
  }
  return false;
}

/** An exponent with at most one number (at most MAX_EXPONENT), and no powers, exponentials or factorials. */
function boundedExponent(node: unknown): boolean {
  let literals = 0;
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (typeof n === 'number') {
      if (Math.abs(n) > MAX_EXPONENT || ++literals > 1) return false;
    } else if (typeof n === 'object' && n !== null && !Array.isArray(n))
      return false; // bignum literal
    else if (Array.isArray(n)) {
      const [head, ...args] = n as unknown[];
      if (head === 'Power' || head === 'Exp' || head === 'Factorial' || head === 'Root') return false;
      stack.push(...args);
    }
  }
  return true;
}
