import { ComputeEngine } from '@cortex-js/compute-engine';

type BoxedExpression = ReturnType<ComputeEngine['parse']>;

/**
 * Whether two scalar LaTeX answers are the same mathematical value, exactly: `x^2+2x+1` ≡
 * `(x+1)^2`, `\frac{\sqrt3}{2}` ≡ `\frac{1}{2}\sqrt{3}`, `1\frac12` ≡ `\frac32`, `0.\overline{3}` ≡
 * `\frac13`; but `0.3333333333` ≢ `\frac13` and `3.14159265359` ≢ `\pi`. @cortex-js/compute-engine
 * parses the LaTeX into MathJSON; its own `isEqual` tolerates rounded decimals (tolerance 1e-10) and
 * its numeric layer snaps small differences to zero, so the comparison is baton's:
 * - decimals are turned into exact fractions before parsing (`2.5` → `\frac{25}{10}`);
 * - a value the engine evaluates to a rational is compared exactly (BigInt);
 * - anything else is evaluated at 60 significant digits and compared with relative tolerance 1e-40;
 *   complex values at machine precision (relative 1e-12), the engine's complex arithmetic being double;
 * - free variables are replaced by the same three rational points on both sides (a polynomial or
 *   rational-function identity that holds at all three is taken to hold).
 * Answers the engine cannot parse, or that could not be evaluated in bounded time (huge powers or
 * factorials), give `undefined`: the caller then keeps its string comparison.
 */

const PRECISION = 60;
const RELATIVE_TOLERANCE_DIGITS = 40;
const COMPLEX_TOLERANCE = 1e-12;
/** Longer answers are compared as strings only: no gold answer of a maths benchmark comes close. */
export const MAX_EXPRESSION_LENGTH = 200;
const MAX_NESTING = 40;
const MAX_NODES = 150;
const MAX_EXPONENT = 400;
const MAX_FACTORIAL = 200;

let engine: ComputeEngine | undefined;
function ce(): ComputeEngine {
  if (!engine) {
    engine = new ComputeEngine();
    engine.precision = PRECISION;
  }
  return engine;
}

/** Parsed answers of one comparison, by text: the items of two sets are compared pairwise, each parsed once. */
export type ExpressionCache = Map<string, Prepared | null>;

export function sameExpression(
  a: string,
  b: string,
  cache: ExpressionCache = new Map(),
): boolean | undefined {
  const ea = prepared(a, cache);
  const eb = prepared(b, cache);
  if (!ea || !eb) return undefined;
  try {
    if (ea.variables.join() === eb.variables.join()) {
      for (let point = 0; point < ea.points.length; point++) {
        const verdict = sameValue(ea.points[point] as Evaluated, eb.points[point] as Evaluated);
        if (verdict !== true) return verdict;
      }
      return true;
    }
    // Different variables on each side (`2m` vs `2`): evaluate both on the union.
    const variables = [...new Set([...ea.variables, ...eb.variables])].sort();
    if (variables.length > MAX_VARIABLES) return undefined;
    for (const values of pointsFor(variables)) {
      const verdict = sameValue(evaluated(ea.expr.subs(values)), evaluated(eb.expr.subs(values)));
      if (verdict !== true) return verdict;
    }
    return true;
  } catch {
    return undefined;
  }
}

const MAX_VARIABLES = 3;

/** An expression, with its values at the comparison points (lazily evaluated, so each at most once). */
export interface Prepared {
  expr: BoxedExpression;
  variables: string[];
  points: Evaluated[];
}

/** One value of an expression: exact when the engine finds a rational, else 60 digits. */
interface Evaluated {
  rational(): [bigint, bigint] | null;
  numeric(): unknown;
}

function evaluated(expr: BoxedExpression): Evaluated {
  let exact: [bigint, bigint] | null | undefined;
  let numeric: unknown;
  return {
    rational: () => {
      if (exact === undefined) exact = rational(expr.evaluate().json);
      return exact;
    },
    numeric: () => {
      if (numeric === undefined) numeric = expr.N().json;
      return numeric;
    },
  };
}

function pointsFor(variables: string[]): Record<string, BoxedExpression>[] {
  return [0, 1, 2].map((point) =>
    Object.fromEntries(variables.map((v, j) => [v, ce().number([2 + 3 * point + 5 * j, 7 + 2 * j + point])])),
  );
}

function prepared(latex: string, cache: ExpressionCache): Prepared | null {
  const known = cache.get(latex);
  if (known !== undefined) return known;
  let result: Prepared | null = null;
  try {
    const expr = parse(latex);
    if (expr) {
      const variables = [...expr.unknowns].sort();
      if (variables.length <= MAX_VARIABLES)
        result = {
          expr,
          variables,
          points:
            variables.length === 0
              ? [evaluated(expr)]
              : pointsFor(variables).map((values) => evaluated(expr.subs(values))),
        };
    }
  } catch {
    result = null;
  }
  cache.set(latex, result);
  return result;
}

/** The engine's canonical form of a scalar answer, or null when it has errors or is unsafe to evaluate. */
function parse(latex: string): BoxedExpression | null {
  if (latex.length === 0 || latex.length > MAX_EXPRESSION_LENGTH || nesting(latex) > MAX_NESTING) return null;
  try {
    const expr = ce().parse(exactDecimals(latex));
    return isSafe(expr.json) ? expr : null;
  } catch {
    return null;
  }
}

function nesting(s: string): number {
  let depth = 0;
  let max = 0;
  for (const c of s) {
    if (c === '{' || c === '(' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ')' || c === ']') depth--;
  }
  return max;
}

/** `0.1\overline{6}` and `2.5` as exact fractions, so no decimal is ever rounded. */
export function exactDecimals(latex: string): string {
  return latex
    .replace(/(\d*)\.(\d*)\\overline\{?(\d+)\}?/g, (_, whole: string, fixed: string, repeating: string) => {
      const head = BigInt(`${whole || '0'}${fixed}${repeating}`) - BigInt(`${whole || '0'}${fixed}`);
      const den = (10n ** BigInt(repeating.length) - 1n) * 10n ** BigInt(fixed.length);
      return `(\\frac{${head}}{${den}})`;
    })
    .replace(/(\d*)\.(\d+)/g, (_, whole: string, fraction: string) => {
      return `(\\frac{${BigInt(`${whole || '0'}${fraction}`)}}{${10n ** BigInt(fraction.length)}})`;
    });
}

const REFUSED_HEADS = new Set([
  'Error',
  'Tuple',
  'List',
  'Set',
  'Sequence',
  'Delimiter',
  'Equal',
  'Less',
  'Greater',
]);

/** Bounded-size, error-free MathJSON without towers of powers or factorials of huge numbers. */
function isSafe(json: unknown): boolean {
  let nodes = 0;
  const stack: unknown[] = [json];
  while (stack.length > 0) {
    const node = stack.pop();
    if (++nodes > MAX_NODES) return false;
    if (!Array.isArray(node)) continue;
    const [head, ...args] = node as unknown[];
    if (typeof head !== 'string' || REFUSED_HEADS.has(head)) return false;
    if ((head === 'Power' || head === 'Root') && !boundedLiteral(args[1], MAX_EXPONENT)) return false;
    if ((head === 'Factorial' || head === 'Factorial2') && !boundedLiteral(args[0], MAX_FACTORIAL))
      return false;
    if (head === 'Exp' && !boundedLiteral(args[0], MAX_EXPONENT)) return false;
    stack.push(...args);
  }
  return true;
}

/** An exponent or factorial argument without nested powers whose every literal is at most `max`. */
function boundedLiteral(node: unknown, max: number): boolean {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (typeof n === 'number') {
      if (Math.abs(n) > max) return false;
    } else if (typeof n === 'object' && n !== null && !Array.isArray(n))
      return false; // bignum literal
    else if (Array.isArray(n)) {
      const [head, ...args] = n as unknown[];
      if (head === 'Power' || head === 'Exp' || head === 'Factorial' || head === 'Factorial2') return false;
      stack.push(...args);
    }
  }
  return true;
}

function sameValue(a: Evaluated, b: Evaluated): boolean | undefined {
  const ra = a.rational();
  const rb = b.rational();
  if (ra && rb) return ra[0] * rb[1] === rb[0] * ra[1];
  const na = a.numeric();
  const nb = b.numeric();
  const ca = complexParts(na);
  const cb = complexParts(nb);
  if (ca || cb) {
    const [xa, ya] = ca ?? [machineValue(na), 0];
    const [xb, yb] = cb ?? [machineValue(nb), 0];
    if (xa === null || xb === null) return undefined;
    const scale = Math.max(Math.hypot(xa, ya), Math.hypot(xb, yb), Number.MIN_VALUE);
    return Math.hypot(xa - xb, ya - yb) <= COMPLEX_TOLERANCE * scale;
  }
  const da = decimal(na);
  const db = decimal(nb);
  if (da === null || db === null) return undefined;
  if (typeof da === 'string' || typeof db === 'string') return da === db; // ±infinity
  return closeDecimals(da, db);
}

function machineValue(json: unknown): number | null {
  const d = decimal(json);
  return d === null || typeof d === 'string' ? null : Number(`${d.mantissa}e${d.exponent}`);
}

/** An exact rational literal as [numerator, denominator], or null. */
function rational(json: unknown): [bigint, bigint] | null {
  const integer = (x: unknown): bigint | null => {
    if (typeof x === 'number') return Number.isSafeInteger(x) ? BigInt(x) : null;
    if (typeof x === 'object' && x !== null && 'num' in x) {
      const s = (x as { num: unknown }).num;
      return typeof s === 'string' && /^-?\d+$/.test(s) ? BigInt(s) : null;
    }
    return null;
  };
  if (Array.isArray(json) && json[0] === 'Rational' && json.length === 3) {
    const p = integer(json[1]);
    const q = integer(json[2]);
    return p !== null && q !== null && q !== 0n ? [p, q] : null;
  }
  const n = integer(json);
  return n === null ? null : [n, 1n];
}

interface Decimal {
  mantissa: bigint;
  exponent: number;
}

/** A real number literal as mantissa × 10^exponent; 'inf' / '-inf'; null if not a real literal. */
function decimal(json: unknown): Decimal | 'inf' | '-inf' | null {
  if (json === 'PositiveInfinity') return 'inf';
  if (json === 'NegativeInfinity') return '-inf';
  let text: string | null = null;
  if (typeof json === 'number') text = Number.isFinite(json) ? String(json) : null;
  else if (typeof json === 'object' && json !== null && 'num' in json) {
    const s = (json as { num: unknown }).num;
    text = typeof s === 'string' ? s : null;
  }
  const m = text === null ? null : /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) return null;
  const digits = `${m[2] ?? ''}${m[3] ?? ''}` || '0';
  const exponent = Number(m[4] ?? 0) - (m[3] ?? '').length;
  if (!Number.isSafeInteger(exponent)) return null;
  return { mantissa: (m[1] === '-' ? -1n : 1n) * BigInt(digits), exponent };
}

function closeDecimals(a: Decimal, b: Decimal): boolean {
  if (Math.abs(a.exponent - b.exponent) > 4000) return a.mantissa === 0n && b.mantissa === 0n;
  const e = Math.min(a.exponent, b.exponent);
  const x = a.mantissa * 10n ** BigInt(a.exponent - e);
  const y = b.mantissa * 10n ** BigInt(b.exponent - e);
  const abs = (v: bigint) => (v < 0n ? -v : v);
  const scaled = abs(x - y) * 10n ** BigInt(RELATIVE_TOLERANCE_DIGITS);
  return scaled <= abs(x) || scaled <= abs(y);
}

function complexParts(json: unknown): [number, number] | null {
  if (
    Array.isArray(json) &&
    json[0] === 'Complex' &&
    typeof json[1] === 'number' &&
    typeof json[2] === 'number'
  )
    return [json[1], json[2]];
  return null;
}
