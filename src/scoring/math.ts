import type { Task } from '../suites/types.js';
import { extractMathAnswer } from './math-extract.js';
import { stripString } from './math-normalize.js';
import { numbersClose, numericValue } from './math-numeric.js';
import type { Score } from './types.js';

/**
 * Hendrycks MATH `is_equiv`: equal after `_strip_string`, falling back to raw equality when
 * stripping fails. Difference from the Python grader (documented in math-numeric.ts and
 * math-normalize.ts): when both stripped forms are plain numeric expressions they are also
 * compared by value with relative tolerance 1e-9, so `\frac{1}{2}` ≡ `0.5` ≡ `1/2`,
 * `\dfrac34` ≡ `0.75` and `2\sqrt{3}` ≡ `\sqrt{12}`; `1,000` ≡ `1000`; `5\text{cm}` ≡ `5`.
 */
export function isEquiv(a: string, b: string): boolean {
  let sa: string;
  let sb: string;
  try {
    sa = stripString(a);
    sb = stripString(b);
  } catch {
    return a === b;
  }
  if (sa === sb) return true;
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
