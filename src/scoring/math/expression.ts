import { ComputeEngine } from '@cortex-js/compute-engine';
import { balancedWithin, isSafe } from './expression-guard.js';

type BoxedExpression = ReturnType<ComputeEngine['parse']>;

/**
 * Whether two scalar LaTeX answers are the same mathematical value, exactly: `x^2+2x+1` ≡
 * `(x+1)^2`, `\frac{\sqrt3}{2}` ≡ `\frac{1}{2}\sqrt{3}`, `1\frac12` ≡ `\frac32`, `0.\overline{3}` ≡
 * `\frac13`; but `0.3333333333` ≢ `\frac13` and `3.14159265359` ≢ `\pi`. @cortex-js/compute-engine
 * parses the LaTeX into MathJSON; its own `isEqual` tolerates rounded decimals (tolerance 1e-10) and
 * its numeric layer snaps small differences to zero, so the comparison is baton's:
 * - decimals are turned into exact fractions and integer powers of integers into their digits before
 *   parsing (`2.5` → `\frac{25}{10}`, `2^{64}` → `18446744073709551616`: the engine folds such powers
 *   in double precision), and its tolerance is 0 (by default it rounds values below 1e-10 to zero);
 * - a value the engine evaluates to a rational is compared exactly (BigInt);
 * - anything else is evaluated at 200 significant digits and compared with relative tolerance 1e-180;
 *   complex parts the engine only computes in double precision with relative tolerance 1e-14;
 * - free variables are replaced by the same four points on both sides, one negative, one above 1
 *   (so `|x|` ≢ `x`); an identity that holds at all four is taken to hold.
 * Only a whitelist of operations reaches the engine, within size bounds checked on the text and on
 * the uncanonical parse (the engine's canonical form already computes): `\Gamma(10^9)`,
 * `\cosh(\cosh(\cosh 10))`, towers of powers or long sign chains would take minutes or all memory.
 * Anything else gives `undefined`: the caller then keeps its string comparison.
 */

const PRECISION = 200;
const RELATIVE_TOLERANCE_DIGITS = 180;
const MACHINE_TOLERANCE_DIGITS = 14;
/** Longer answers are compared as strings only: no gold answer of a maths benchmark comes close. */
export const MAX_EXPRESSION_LENGTH = 200;
const MAX_NESTING = 10;

let engine: ComputeEngine | undefined;
function ce(): ComputeEngine {
  if (!engine) {
    engine = new ComputeEngine();
    engine.precision = PRECISION;
    engine.tolerance = 0;
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

/** Whether the engine reads a scalar answer as a value it can compare (else it compares as text only). */
export function isComparableExpression(latex: string): boolean {
  return prepared(latex, new Map()) !== null;
}

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

/** Per variable: a negative value, one above 1, one in (0, 1), one near 2; none a "nice" number. */
const POINTS: [number, number][] = [
  [-13, 11],
  [29, 17],
  [7, 19],
  [41, 23],
];

function pointsFor(variables: string[]): Record<string, BoxedExpression>[] {
  return POINTS.map(([p, q]) =>
    Object.fromEntries(variables.map((v, j) => [v, ce().number([p * (j + 2) + j, q + 3 * j])])),
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
  if (latex.length === 0 || latex.length > MAX_EXPRESSION_LENGTH || !balancedWithin(latex, MAX_NESTING))
    return null;
  // Chains of signs make the parser's time grow exponentially (30 signs: 35 s).
  if (/[-+]\s*[-+]\s*[-+]/.test(latex)) return null;
  try {
    const exact = exactPowers(exactDecimals(latex));
    if (exact === null) return null;
    const raw = ce().parse(exact, { canonical: false });
    return isSafe(raw.json) ? ce().box(raw.json) : null;
  } catch {
    return null;
  }
}

const MAX_POWER_DIGITS = 400;

/** `2^{64}` → its exact digits; null when they would be too many for an answer. */
function exactPowers(latex: string): string | null {
  let tooBig = false;
  const out = latex.replace(
    /(?<![\d.^_])(\d+)\^(?:\{(\d+)\}|(\d))/g,
    (_, base: string, braced: string | undefined, bare: string | undefined) => {
      const exponent = Number(braced ?? bare);
      if (exponent * Math.log10(Math.max(2, Number(base))) > MAX_POWER_DIGITS) {
        tooBig = true;
        return '';
      }
      return `(${BigInt(base) ** BigInt(exponent)})`;
    },
  );
  return tooBig ? null : out;
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

function sameValue(a: Evaluated, b: Evaluated): boolean | undefined {
  const ra = a.rational();
  const rb = b.rational();
  if (ra && rb) return ra[0] * rb[1] === rb[0] * ra[1];
  const na = parts(a.numeric());
  const nb = parts(b.numeric());
  if (na === null || nb === null) return undefined;
  if (typeof na === 'string' || typeof nb === 'string') return na === nb; // ±infinity
  const digits = na.machine || nb.machine ? MACHINE_TOLERANCE_DIGITS : RELATIVE_TOLERANCE_DIGITS;
  const scale = [na.re, na.im, nb.re, nb.im].reduce((m, d) => (magnitude(d) > magnitude(m) ? d : m));
  return closeTo(na.re, nb.re, scale, digits) && closeTo(na.im, nb.im, scale, digits);
}

/** A real or complex literal; `machine` when a part only has double precision. */
function parts(json: unknown): { re: Decimal; im: Decimal; machine: boolean } | 'inf' | '-inf' | null {
  if (Array.isArray(json) && json[0] === 'Complex' && json.length === 3) {
    const re = decimal(json[1]);
    const im = decimal(json[2]);
    if (re === null || im === null || typeof re === 'string' || typeof im === 'string') return null;
    return { re, im, machine: typeof json[1] === 'number' || typeof json[2] === 'number' };
  }
  const re = decimal(json);
  if (re === null || typeof re === 'string') return re;
  return { re, im: { mantissa: 0n, exponent: 0 }, machine: false };
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

/** |x − y| ≤ 10^−digits · |scale|, exactly. */
function closeTo(x: Decimal, y: Decimal, scale: Decimal, digits: number): boolean {
  const e = Math.min(x.exponent, y.exponent, scale.exponent);
  if (Math.max(x.exponent, y.exponent, scale.exponent) - e > 4000) return false;
  const at = (d: Decimal) => d.mantissa * 10n ** BigInt(d.exponent - e);
  const abs = (v: bigint) => (v < 0n ? -v : v);
  return abs(at(x) - at(y)) * 10n ** BigInt(digits) <= abs(at(scale));
}

/** A rough size, for choosing the largest part. */
function magnitude(d: Decimal): number {
  return d.mantissa === 0n ? Number.NEGATIVE_INFINITY : d.exponent + d.mantissa.toString().length;
}
