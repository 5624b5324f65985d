/**
 * EXTRA beyond Hendrycks `is_equiv` (documented in docs/suites.md), applied only after the plain
 * comparison failed:
 * - surface forms: `x \in [2, 5)` → the interval; a whole-answer `\text{…}`/`\textbf{…}`/`\mathrm{…}`
 *   unwrapped (`\text{(B)}` ≡ `(B)`); a plain unit word after a number dropped (`5 cm` ≡ `5`,
 *   `12 square units` ≡ `12`); `\,` and `\;` spacing removed.
 * - structure: intervals and tuples are compared element by element with their brackets (so
 *   `(1, 2]` ≢ `(1, 2)` and `(1, 2)` ≢ `(2, 1)`); sets `\{…\}` and bare comma lists of solutions
 *   (`2, -3`) are compared as multisets, in any order.
 */

const UNIT_WORDS = [
  'square units',
  'sq units',
  'units',
  'unit',
  'cm',
  'centimeters',
  'mm',
  'millimeters',
  'km',
  'kilometers',
  'meters',
  'm',
  'inches',
  'inch',
  'feet',
  'foot',
  'ft',
  'yards',
  'miles',
  'degrees',
  'degree',
  'dollars',
  'cents',
  'hours',
  'minutes',
  'seconds',
  'days',
  'weeks',
  'years',
  'pounds',
  'ounces',
];
const UNIT_PATTERN = new RegExp(
  `^(.*?\\d[^a-zA-Z]*?)\\s*(?:\\\\(?:text|mbox|mathrm)\\{\\s*)?(?:${UNIT_WORDS.join('|')})(?:\\^\\{?[23]\\}?)?\\}?\\s*$`,
);

export function unwrapSurface(answer: string): string {
  let s = answer.trim();
  s = s.replace(/^[a-zA-Z]\s*\\in\s*/, '');
  s = s.replaceAll('\\,', '').replaceAll('\\;', '');
  const wrapped = /^\\(?:text|textbf|mathrm|mbox)\{([^{}]*)\}$/.exec(s);
  if (wrapped?.[1] !== undefined) s = wrapped[1].trim();
  const unit = UNIT_PATTERN.exec(s);
  if (unit?.[1] && /\d/.test(unit[1])) s = unit[1].trim();
  return s;
}

export type Structured =
  | { kind: 'sequence'; open: string; close: string; items: string[] }
  | { kind: 'set'; items: string[] };

/** Splits a normalized answer into a bracketed sequence, a set or a bare list; null for a single value. */
export function parseStructured(normalized: string): Structured | null {
  const set = /^\\\{(.*)\\\}$/.exec(normalized);
  if (set?.[1] !== undefined) return { kind: 'set', items: splitTopLevel(set[1]) };
  const bracketed = /^([([])(.*)([)\]])$/.exec(normalized);
  if (bracketed?.[2] !== undefined && enclosesWhole(normalized)) {
    const items = splitTopLevel(bracketed[2]);
    if (items.length >= 2)
      return { kind: 'sequence', open: bracketed[1] as string, close: bracketed[3] as string, items };
  }
  const items = splitTopLevel(normalized);
  return items.length >= 2 ? { kind: 'set', items } : null;
}

/** Whether the first bracket closes at the very end (`(1,2)` yes, `(1)+(2)` no). */
function enclosesWhole(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      depth--;
      if (depth === 0 && i < s.length - 1) return false;
    }
  }
  return depth === 0;
}

/** Commas at bracket depth 0 split items; `1,000` was already joined by the normalizer. */
function splitTopLevel(s: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      items.push(s.slice(start, i));
      start = i + 1;
    }
  }
  items.push(s.slice(start));
  return items.map((x) => x.trim()).filter((x) => x !== '');
}

export function structuresEqual(
  a: Structured,
  b: Structured,
  itemEquiv: (x: string, y: string) => boolean,
): boolean {
  if (a.items.length !== b.items.length) return false;
  if (a.kind === 'sequence' || b.kind === 'sequence') {
    if (a.kind !== 'sequence' || b.kind !== 'sequence' || a.open !== b.open || a.close !== b.close)
      return false;
    return a.items.every((x, i) => itemEquiv(x, b.items[i] as string));
  }
  const unmatched = [...b.items];
  for (const x of a.items) {
    const j = unmatched.findIndex((y) => itemEquiv(x, y));
    if (j < 0) return false;
    unmatched.splice(j, 1);
  }
  return true;
}
