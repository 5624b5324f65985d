import type { Task } from '../suites/types.js';
import { extractMathAnswer } from './math-extract.js';
import { stripString } from './math-normalize.js';
import { numbersClose, numericValue } from './math-numeric.js';
import { parseStructured, structuresEqual, unwrapSurface } from './math-structured.js';
import type { Score } from './types.js';

/**
 * Hendrycks MATH `is_equiv`: equal after `_strip_string`, falling back to raw equality when
 * stripping fails. Differences from the Python grader (documented in math-numeric.ts,
 * math-normalize.ts, math-structured.ts and docs/suites.md), applied only when that fails:
 * plain numeric expressions are compared by value with relative tolerance 1e-9 (`\frac{1}{2}` ≡
 * `0.5`, `2\sqrt{3}` ≡ `\sqrt{12}`); surface forms are unwrapped (`\text{…}`, unit words,
 * `x \in`); intervals and tuples are compared element-wise, sets and bare solution lists in any order.
 */
export function isEquiv(a: string, b: string): boolean {
  // Identical strings are equivalent under `is_equiv` whether or not stripping succeeds.
  if (a === b || hendrycksEquiv(a, b)) return true;
  const ua = unwrapSurface(a);
  const ub = unwrapSurface(b);
  if ((ua !== a || ub !== b) && hendrycksEquiv(ua, ub)) return true;
  const sa = normalizedOrNull(ua);
  const sb = normalizedOrNull(ub);
  if (sa === null || sb === null) return false;
  const structuredA = parseStructured(sa);
  const structuredB = parseStructured(sb);
  return (
    structuredA !== null &&
    structuredB !== null &&
    structuresEqual(structuredA, structuredB, (x, y) => x === y || valuesClose(x, y))
  );
}

/** Hendrycks `is_equiv` plus the numeric comparison of plain numeric forms. */
function hendrycksEquiv(a: string, b: string): boolean {
  let sa: string;
  let sb: string;
  try {
    sa = stripString(a);
    sb = stripString(b);
  } catch {
    return a === b;
  }
  return sa === sb || valuesClose(sa, sb);
}

function valuesClose(sa: string, sb: string): boolean {
  const va = numericValue(sa);
  const vb = numericValue(sb);
  return va !== null && vb !== null && numbersClose(va, vb);
}

function normalizedOrNull(answer: string): string | null {
  try {
    return stripString(answer);
  } catch {
    return null;
  }
}

export function scoreMath(task: Task, answer: string): Score {
  const extracted = extractMathAnswer(answer);
  return {
    correct: extracted !== null && isEquiv(extracted, task.reference),
    detail: {
      kind: 'math',
      extracted,
      normalized: extracted === null ? null : normalizedOrNull(extracted),
      reference: task.reference,
    },
  };
}
