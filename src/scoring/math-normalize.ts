/**
 * Port of Hendrycks MATH `_strip_string` (modeling/math_equivalence.py), step for step. Where the
 * Python raises (IndexError, failed assert) this throws, so `isEquiv` can fall back to raw string
 * equality exactly as `is_equiv` does. Additions, marked EXTRA: a trailing `\text{unit}` without
 * the leading space Hendrycks requires, thousands separators in plain numbers (`1,000`, `1{,}000`)
 * and a Unicode degree sign (`30°`).
 */

class StripError extends Error {}

function fixFracs(string: string): string {
  const substrs = string.split('\\frac');
  let out = substrs[0] ?? '';
  for (const substr of substrs.slice(1)) {
    out += '\\frac';
    if (substr.length === 0) throw new StripError('IndexError in _fix_fracs');
    if (substr[0] === '{') {
      out += substr;
      continue;
    }
    if (substr.length < 2) return string;
    const a = substr[0];
    const b = substr[1];
    if (b !== '{') out += `{${a}}{${b}}${substr.slice(2)}`;
    else out += `{${a}}${b}${substr.slice(2)}`;
  }
  return out;
}

function fixASlashB(string: string): string {
  const parts = string.split('/');
  if (parts.length !== 2) return string;
  // Python: int(a), int(b), then assert the string was already in canonical "a/b" form.
  const m = /^([+-]?\d+)\/([+-]?\d+)$/.exec(string);
  if (!m?.[1] || !m[2]) return string;
  const a = BigInt(m[1]);
  const b = BigInt(m[2]);
  return `${a}/${b}` === string ? `\\frac{${a}}{${b}}` : string;
}

function removeRightUnits(string: string): string {
  if (!string.includes('\\text{ ')) return string;
  const splits = string.split('\\text{ ');
  if (splits.length !== 2) throw new StripError('assert in _remove_right_units');
  return splits[0] ?? '';
}

/** EXTRA: `5\text{cm}` → `5`; a `\text{...}` that is the whole answer is kept. */
function removeTrailingText(string: string): string {
  const m = /^(.+?)\\(?:text|mbox|mathrm)\{[^{}]*\}\s*$/.exec(string);
  return m?.[1] && /\S/.test(m[1]) ? m[1] : string;
}

function fixSqrt(string: string): string {
  if (!string.includes('\\sqrt')) return string;
  const splits = string.split('\\sqrt');
  let out = splits[0] ?? '';
  for (const split of splits.slice(1)) {
    if (split.length === 0) throw new StripError('IndexError in _fix_sqrt');
    out += split[0] !== '{' ? `\\sqrt{${split[0]}}${split.slice(1)}` : `\\sqrt${split}`;
  }
  return out;
}

/** EXTRA: `1,000` / `-12,345.5` → without commas; tuples like `1,2` are left alone. */
function removeThousandsCommas(string: string): string {
  return /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(string) ? string.replaceAll(',', '') : string;
}

export function stripString(input: string): string {
  let s = input.replaceAll('\n', '');
  s = s.replaceAll('\\!', '');
  s = s.replaceAll('\\\\', '\\');
  s = s.replaceAll('tfrac', 'frac').replaceAll('dfrac', 'frac');
  s = s.replaceAll('\\left', '').replaceAll('\\right', '');
  s = s.replaceAll('^{\\circ}', '').replaceAll('^\\circ', '');
  s = s.replaceAll('°', ''); // EXTRA
  s = s.replaceAll('{,}', ','); // EXTRA: LaTeX's thousands separator, then removeThousandsCommas
  s = s.replaceAll('\\$', '');
  s = removeRightUnits(s);
  s = removeTrailingText(s);
  s = s.replaceAll('\\%', '').replaceAll('%', '');
  s = s.replaceAll(' .', ' 0.').replaceAll('{.', '{0.');
  if (s.length === 0) return s;
  if (s[0] === '.') s = `0${s}`;
  const sides = s.split('=');
  if (sides.length === 2 && (sides[0] ?? '').length <= 2) s = sides[1] ?? '';
  s = fixSqrt(s);
  s = s.replaceAll(' ', '');
  s = fixFracs(s);
  if (s === '0.5') s = '\\frac{1}{2}';
  s = fixASlashB(s);
  return removeThousandsCommas(s);
}
