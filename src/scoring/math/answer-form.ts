/**
 * The `equivalent` mode's reading of an answer's surface: LaTeX spacing, delimiters, units, degree
 * and percent signs, `\text{}` wrappers and `x =` prefixes removed; then its shape — a choice
 * letter, words, a set or list, an interval or tuple, a matrix, or one expression. Hand-written
 * because the algebra library (expression.ts) measurably fails on these forms: it reads `(1,2]` and
 * `\dfrac` as errors, `1{,}000` as a tuple, `\text{(C)}` as a string and `Evelyn` as a product of
 * six variables. Every step is a single pass or a non-backtracking regular expression.
 */

export type AnswerForm =
  | { kind: 'choice'; letter: string }
  | { kind: 'words'; text: string }
  /** `name`: the variable an answer named on its left (`x = 3`), kept so `x = 3` ≢ `y = 3`. */
  | { kind: 'expression'; latex: string; name?: string }
  | { kind: 'sequence'; open: string; close: string; items: AnswerForm[] }
  | { kind: 'set'; items: AnswerForm[]; plusMinus?: true }
  | { kind: 'matrix'; rows: AnswerForm[][] };

const UNIT_WORDS = [
  'square units',
  'sq units',
  'units',
  'unit',
  'square feet',
  'square inches',
  'square meters',
  'square centimeters',
  'cubic units',
  'cubic feet',
  'cubic inches',
  'cm',
  'centimeters',
  'mm',
  'millimeters',
  'km',
  'kilometers',
  'meters',
  'metres',
  'm',
  'inches',
  'inch',
  'in',
  'feet',
  'foot',
  'ft',
  'yards',
  'miles',
  'mph',
  'liters',
  'liter',
  'gallons',
  'gallon',
  'kilograms',
  'kilogram',
  'grams',
  'gram',
  'degrees',
  'degree',
  'dollars',
  'cents',
  'hours',
  'hour',
  'minutes',
  'seconds',
  'days',
  'weeks',
  'years',
  'pounds',
  'ounces',
  'people',
  'students',
  'ways',
];
const UNIT = `(?:${UNIT_WORDS.join('|')})`;
const POWER = String.raw`(?:\^\{?[23]\}?)?`;
/** A unit inside `\text{}` anywhere: `5\text{ cm}^2`, `\mbox{ inches}`. */
const TEXT_UNIT = new RegExp(String.raw`\\(?:text|mbox|textrm|mathrm)\{\s*${UNIT}\s*\}${POWER}`, 'g');
/** A plain unit word after a number and a space, before a comma or the end: `12 square units`. */
const PLAIN_UNIT = new RegExp(String.raw`(\d)\s+${UNIT}${POWER}(?=\s*(?:,|$))`, 'g');
const WRAPPER =
  /\\(?:text|textbf|textrm|textit|textnormal|mathrm|mathbf|mathit|mbox|boldsymbol)\{([^{}]*)\}/g;

/** Surface clean-up that never changes a value. */
export function cleanSurface(answer: string): string {
  let s = answer.replaceAll('\u2212', '-').replace(/[\n\r\t]/g, ' ');
  s = s.replace(/\\[dt]frac(?![a-zA-Z])/g, '\\frac');
  // Brace-less arguments: `\frac9{19}`, `\frac{3}4`, `\frac34`.
  s = s.replace(/\\frac(\d)(\d)/g, '\\frac{$1}{$2}').replace(/\\frac(\d)\{/g, '\\frac{$1}{');
  s = s.replace(/\\frac\{([^{}]*)\}(\d)/g, '\\frac{$1}{$2}');
  s = s.replace(/_\{(\w)\}/g, '_$1');
  s = s.replace(/(\d),\\!\s*(?=\d{3})/g, '$1');
  s = s.replace(/\\(?:left|right|[bB]igg?[lr]?)(?![a-zA-Z])\.?/g, '');
  s = s.replace(/\\(?:displaystyle|quad|qquad)(?![a-zA-Z])|(?<!\\)\\[,;:!]|~/g, '');
  s = s.replace(/(?<!\\)\\ /g, ' ');
  s = s.replace(/\^\s*\{?\\circ\}?|\\circ(?![a-zA-Z])|°|\\degree(?![a-zA-Z])/g, '');
  s = s.replace(/\\?%/g, '').replace(/\\\$|\$/g, '');
  s = s.replace(/(\d)\{,\}(?=\d{3})/g, '$1');
  s = s.replace(TEXT_UNIT, '').replace(PLAIN_UNIT, '$1');
  s = s.replace(WRAPPER, '$1');
  s = s.trim().replace(/[.\s]+$/, '');
  if (/^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s)) s = s.replaceAll(',', '');
  return s;
}

/** The shape of a cleaned answer. */
export function readForm(cleaned: string): AnswerForm {
  const s = cleaned.trim();
  const choice = /^\(?([A-E])\)?$/.exec(s);
  if (choice?.[1]) return { kind: 'choice', letter: choice[1] };
  const matrix = /^\\begin\{([pbBvV]?matrix)\}(.*)\\end\{\1\}$/.exec(s);
  if (matrix?.[2] !== undefined) {
    const rows = matrix[2].split('\\\\').map((row) => row.split('&').map((cell) => readItem(cell)));
    return { kind: 'matrix', rows: rows.filter((row) => !(row.length === 1 && isEmpty(row[0]))) };
  }
  const parts = splitTopLevel(s, LIST_SEPARATOR);
  if (parts.length >= 2) return setOf(parts);
  const plusMinus = splitTopLevel(s, /^\\pm(?![a-zA-Z])/);
  if (plusMinus.length === 2) {
    const [left, right] = plusMinus as [string, string];
    const items = [readScalar(`${left}+${right}`), readScalar(`${left}-${right}`)];
    return { kind: 'set', items, plusMinus: true };
  }
  const unions = splitTopLevel(s, /^\\cup(?![a-zA-Z])/);
  if (unions.length >= 2) return setOf(unions);
  if (s.startsWith('\\{') && s.endsWith('\\}') && closesAtEnd(s, 2)) {
    return setOf(splitTopLevel(s.slice(2, -2), /^,/));
  }
  const open = s[0];
  const close = s.at(-1);
  if ((open === '(' || open === '[') && (close === ')' || close === ']') && closesAtEnd(s, 1)) {
    const items = splitTopLevel(s.slice(1, -1), /^,/);
    if (items.length >= 2) return { kind: 'sequence', open, close, items: items.map(readItem) };
  }
  return readScalar(s);
}

function readItem(part: string): AnswerForm {
  return readForm(part.trim());
}

/** Items of a set, with `a \pm b` standing for its two values. */
function setOf(parts: string[]): AnswerForm {
  return {
    kind: 'set',
    items: parts.map(readItem).flatMap((f) => (f.kind === 'set' && f.plusMinus ? f.items : [f])),
  };
}

const STATED_UNIT = new RegExp(`(?:\\\\(?:text|mbox|textrm|mathrm)\\{\\s*|\\d\\s+)(${UNIT})\\b`);

/** The unit an answer states (`10\text{ cm}`, `12 square units`), singular and lower-case; null if none. */
export function statedUnit(answer: string): string | null {
  const m = STATED_UNIT.exec(answer);
  return m?.[1] ? m[1].toLowerCase().replace(/(?:es|s)$/, '') : null;
}

function isEmpty(form: AnswerForm | undefined): boolean {
  return form?.kind === 'expression' && form.latex === '';
}

/** Commas and the words "and" / "or" separate the items of a bare list. */
const LIST_SEPARATOR = /^(?:,|\s+(?:and|or)\s+)/;

function readScalar(s: string): AnswerForm {
  // `x = 2`, `x \in [2, 5)`: a single variable on the left names the answer, it is not part of it.
  const named =
    /^((?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?\w+\}?)?(?:\([a-z]\))?)\s*(?:=|\\in(?![a-zA-Z]))\s*(.+)$/.exec(s);
  if (named?.[1] !== undefined && named[2] !== undefined && !named[2].includes('=')) {
    const value = readForm(named[2]);
    return value.kind === 'expression' ? { ...value, name: named[1].replace(/\(.*$/, '') } : value;
  }
  // Words such as `\text{Evelyn}` or `no solution` (at least one word of 3 letters): any case.
  if (/^[A-Za-z' -]+$/.test(s) && /[A-Za-z]{3}/.test(s) && !/^[a-z]{1,2}(?: *- *[a-z]{1,2})*$/i.test(s)) {
    return { kind: 'words', text: s.toLowerCase().replace(/\s+/g, ' ') };
  }
  return { kind: 'expression', latex: s };
}

/** Splits at separators outside any bracket; `\{`/`\}` count as brackets. */
export function splitTopLevel(s: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === '\\' && (s[i + 1] === '{' || s[i + 1] === '}')) {
      depth += s[i + 1] === '{' ? 1 : -1;
      i += 2;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && (c === ',' || c === ' ' || c === '\\')) {
      const m = separator.exec(s.slice(i, i + 8));
      if (m) {
        parts.push(s.slice(start, i));
        i += m[0].length;
        start = i;
        continue;
      }
    }
    i++;
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim()).filter((p, _k, all) => p !== '' || all.length === 1);
}

/** Whether the bracket opening at 0 (`width` characters) closes exactly at the end. */
function closesAtEnd(s: string, width: number): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    let step = 0;
    if (c === '\\' && (s[i + 1] === '{' || s[i + 1] === '}')) {
      step = s[i + 1] === '{' ? 1 : -1;
      i++;
    } else if (c === '(' || c === '[' || c === '{') step = 1;
    else if (c === ')' || c === ']' || c === '}') step = -1;
    depth += step;
    if (depth === 0 && step !== 0) return i === s.length - 1 && (width === 1 || s.endsWith('\\}'));
  }
  return false;
}
