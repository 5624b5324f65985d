/**
 * A port of the MATH benchmark's own answer checking (github.com/hendrycks/math, commit 985bdc1):
 * `is_equiv` with `_strip_string`, `_fix_fracs`, `_fix_a_slash_b`, `_remove_right_units` and `_fix_sqrt`
 * from `modeling/math_equivalence.py`, and the extraction `remove_boxed(last_boxed_only_string(text))`
 * of `modeling/eval_math_gpt.py` (`last_boxed_only_string` lives in `modeling/dataset/util.py`).
 * It adds nothing: no value comparison, no thousands commas, no unit words, no tolerance. Python
 * semantics are kept where they decide a verdict: a character is a code point (a surrogate pair is one
 * character), `int()` is CPython 3.11's (4300-digit limit), and the IndexError / AssertionError the
 * original raises are thrown and caught the same way. Linear time, no recursion. Pinned by
 * test/scoring/fixtures/hendrycks-is-equiv.json, whose verdicts come from running the original Python.
 */

/** Stands for the IndexError / AssertionError the Python raises; `is_equiv` catches them. */
class PythonError extends Error {}

/** UTF-16 units taken by the code point starting at `at` (0 past the end). */
function charWidth(s: string, at: number): number {
  if (at >= s.length) return 0;
  const hi = s.charCodeAt(at);
  if (hi >= 0xd800 && hi <= 0xdbff && at + 1 < s.length) {
    const lo = s.charCodeAt(at + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) return 2;
  }
  return 1;
}

/** Python's `len(s[start:end]) <= max`, counting code points and stopping early. */
function atMostChars(s: string, start: number, end: number, max: number): boolean {
  let n = 0;
  for (let i = start; i < end; i += charWidth(s, i)) if (++n > max) return false;
  return true;
}

/** CPython's default `sys.get_int_max_str_digits()`: `int()` of a longer digit string raises. */
const INT_MAX_STR_DIGITS = 4300;

/**
 * Whether `str(int(s)) == s` holds without raising: only the canonical spelling of an integer
 * round-trips (no sign +, no leading zero, no -0, no whitespace, underscores or non-ASCII digits).
 */
function roundTripsThroughInt(s: string): boolean {
  const start = s.startsWith('-') ? 1 : 0;
  const digits = s.length - start;
  if (digits === 0 || digits > INT_MAX_STR_DIGITS) return false;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (s.charCodeAt(start) === 48) return digits === 1 && start === 0;
  return true;
}

/** `\frac12` → `\frac{1}{2}`, `\frac1{72}` → `\frac{1}{72}`. */
function fixFracs(s: string): string {
  const pieces = s.split('\\frac');
  if (pieces.length === 1) return s;
  const out: string[] = [pieces[0] ?? ''];
  for (let k = 1; k < pieces.length; k++) {
    const piece = pieces[k] ?? '';
    if (piece.length === 0) throw new PythonError('IndexError: substr[0]');
    if (piece[0] === '{') {
      out.push(`\\frac${piece}`);
      continue;
    }
    const aEnd = charWidth(piece, 0);
    const bWidth = charWidth(piece, aEnd);
    // The failed `assert len(substr) >= 2` returns the whole input, undoing earlier pieces too.
    if (bWidth === 0) return s;
    const a = piece.slice(0, aEnd);
    const b = piece.slice(aEnd, aEnd + bWidth);
    const rest = piece.slice(aEnd + bWidth);
    out.push(b !== '{' ? `\\frac{${a}}{${b}}${rest}` : `\\frac{${a}}${b}${rest}`);
  }
  // One string per piece: joining many one-character strings is several times slower in V8.
  return out.join('');
}

/** `3/4` → `\frac{3}{4}` when the string is exactly one canonical integer over another. */
function fixASlashB(s: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.indexOf('/', slash + 1) >= 0) return s;
  const a = s.slice(0, slash);
  const b = s.slice(slash + 1);
  if (!roundTripsThroughInt(a) || !roundTripsThroughInt(b)) return s;
  return `\\frac{${a}}{${b}}`;
}

/** Drops everything from `\text{ ` (with the space) on; a second `\text{ ` fails the assertion. */
function removeRightUnits(s: string): string {
  const marker = '\\text{ ';
  const at = s.indexOf(marker);
  if (at < 0) return s;
  if (s.indexOf(marker, at + marker.length) >= 0) throw new PythonError('AssertionError: len(splits) == 2');
  return s.slice(0, at);
}

/** `\sqrt3` → `\sqrt{3}`: wraps the one character after a brace-less `\sqrt`, whatever it is. */
function fixSqrt(s: string): string {
  if (!s.includes('\\sqrt')) return s;
  const pieces = s.split('\\sqrt');
  const out: string[] = [pieces[0] ?? ''];
  for (let k = 1; k < pieces.length; k++) {
    const piece = pieces[k] ?? '';
    if (piece.length === 0) throw new PythonError('IndexError: split[0]');
    if (piece[0] === '{') {
      out.push(`\\sqrt${piece}`);
    } else {
      const w = charWidth(piece, 0);
      out.push(`\\sqrt{${piece.slice(0, w)}}${piece.slice(w)}`);
    }
  }
  return out.join('');
}

/** `_strip_string`, step for step and in the same order. */
function stripString(input: string): string {
  let s = input
    .replaceAll('\n', '')
    .replaceAll('\\!', '')
    .replaceAll('\\\\', '\\')
    .replaceAll('tfrac', 'frac')
    .replaceAll('dfrac', 'frac')
    .replaceAll('\\left', '')
    .replaceAll('\\right', '')
    .replaceAll('^{\\circ}', '')
    .replaceAll('^\\circ', '')
    .replaceAll('\\$', '');
  s = removeRightUnits(s);
  // The Python removes "\\%" and then "\%", which is the same two-character string.
  s = s.replaceAll('\\%', '').replaceAll(' .', ' 0.').replaceAll('{.', '{0.');
  if (s.length === 0) return s;
  if (s[0] === '.') s = `0${s}`;
  const eq = s.indexOf('=');
  if (eq >= 0 && s.indexOf('=', eq + 1) < 0 && atMostChars(s, 0, eq, 2)) s = s.slice(eq + 1);
  s = fixSqrt(s);
  s = s.replaceAll(' ', '');
  s = fixFracs(s);
  if (s === '0.5') s = '\\frac{1}{2}';
  return fixASlashB(s);
}

/**
 * Hendrycks' `is_equiv`: both null → true, one null → false, else the stripped strings are compared;
 * if stripping either one raises, the raw strings are compared instead.
 */
export function hendrycksIsEquiv(a: string | null, b: string | null): boolean {
  if (a === null && b === null) return true;
  if (a === null || b === null) return false;
  try {
    return stripString(a) === stripString(b);
  } catch {
    // The Python's bare `except:` catches anything raised while stripping.
    return a === b;
  }
}

/**
 * `remove_boxed(last_boxed_only_string(text))`: the content of the last `\boxed{…}`, or null. The
 * last `\boxed` is taken (any `\fbox` only when no `\boxed` occurs) and braces, escaped ones included,
 * are counted from it to the first `}` that brings the count back to 0; no such `}` → null.
 */
export function hendrycksLastBoxed(text: string): string | null {
  let start = text.lastIndexOf('\\boxed');
  if (start < 0) {
    start = text.lastIndexOf('\\fbox');
    if (start < 0) return null;
  }
  let open = 0;
  let end = -1;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) open++;
    else if (c === 125 && --open === 0) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const left = '\\boxed{';
  // remove_boxed's failed assert (an \fbox, `\boxed 5`, `\boxed\n{…}`) is caught there and gives None.
  if (!text.startsWith(left, start)) return null;
  return text.slice(start + left.length, end);
}
