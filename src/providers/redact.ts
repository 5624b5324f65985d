/**
 * Scrubbing API keys from text baton is about to keep (store, journal, cassette, reports, terminal).
 *
 * An exact match is not enough: a provider may quote a key cut short (V8's JSON.parse error quotes
 * the first bytes of a malformed body, `"{"k": sk-proj-FA"...`), or masked (`sk-proj-****…****wxyz`,
 * as OpenAI's 401 does). So a redactor removes every run of text made of 8-character windows of a
 * key (any 8 consecutive characters of it), and every masked rendering: a run of mask characters
 * (`*`, `•`, `·`, `.`; two or more, or one `…`) preceded by the key's first characters or followed by its last ones.
 * Keys shorter than 8 characters are matched whole (shorter than 4: not at all, they would match
 * everywhere).
 */

export const REDACTED = '[redacted]';

/** Window length: any 8 consecutive characters of a key are scrubbed wherever they appear. */
export const KEY_WINDOW = 8;

/** Masked renderings: a run of mask characters next to the key's first (≥ 6) or last (≥ 4) characters. */
const MASK_RUN = /[*•·….]*(?:…|[*•·.]{2})[*•·….]*/g;
const HAS_MASK = /…|[*•·.]{2}/;
const MASK_PREFIX_MIN = 6;
const MASK_SUFFIX_MIN = 4;
/** Longest prefix or suffix looked for beside a mask (providers show 3–8 characters). */
const MASK_EDGE_MAX = 12;

type Redactor = (text: string) => string;

const compiled = new Map<string, Redactor>();

/** Removes every trace of the secrets from `text` (see the module comment). */
export function redact(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0 || text.length === 0) return text;
  const id = secrets.join('\u0000');
  let redactor = compiled.get(id);
  if (!redactor) {
    redactor = makeRedactor(secrets);
    // A process uses a handful of key sets; the cap only guards against an unbounded cache.
    if (compiled.size > 64) compiled.clear();
    compiled.set(id, redactor);
  }
  return redactor(text);
}

/** A value (a response body) with every string in it redacted; the same object when nothing changed. */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0 || value === undefined || value === null) return value;
  if (typeof value === 'string') return redact(value, secrets) as T;
  if (typeof value !== 'object') return value;
  const json = JSON.stringify(value);
  if (json === undefined) return value;
  const scrubbed = redact(json, secrets);
  return scrubbed === json ? value : (JSON.parse(scrubbed) as T);
}

export function makeRedactor(secrets: readonly string[]): Redactor {
  const keys = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    keys.add(secret);
    // As it appears inside a JSON string (a cassette line, a stored body).
    keys.add(JSON.stringify(secret).slice(1, -1));
  }
  const whole: string[] = [];
  const windows = new Set<string>();
  /** Low bytes of the first two characters of every window: most positions of a text fail this test. */
  const starts = new Uint8Array(65536);
  for (const key of keys) {
    if (key.length < KEY_WINDOW) {
      whole.push(key);
      continue;
    }
    for (let i = 0; i + KEY_WINDOW <= key.length; i++) {
      windows.add(key.slice(i, i + KEY_WINDOW));
      starts[pairOf(key, i)] = 1;
    }
  }
  const longKeys = [...keys].filter((k) => k.length >= KEY_WINDOW);

  return (text) => {
    const ranges: [number, number][] = [];
    // Masked renderings first: their edges may be shorter than a window.
    if (longKeys.length > 0 && HAS_MASK.test(text)) {
      for (const match of text.matchAll(MASK_RUN)) {
        const from = match.index;
        const to = from + match[0].length;
        for (const key of longKeys) {
          const before = edgeBefore(text, from, key);
          const after = edgeAfter(text, to, key);
          if (before >= MASK_PREFIX_MIN || after >= MASK_SUFFIX_MIN) ranges.push([from - before, to + after]);
        }
      }
    }
    if (windows.size > 0) {
      for (let i = 0; i + KEY_WINDOW <= text.length; i++) {
        if (starts[pairOf(text, i)] === 0) continue;
        if (windows.has(text.slice(i, i + KEY_WINDOW))) ranges.push([i, i + KEY_WINDOW]);
      }
    }
    for (const key of whole) {
      for (let i = text.indexOf(key); i >= 0; i = text.indexOf(key, i + 1)) ranges.push([i, i + key.length]);
    }
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0]);
    let out = '';
    let at = 0;
    let open: [number, number] | undefined;
    for (const range of ranges) {
      if (open && range[0] <= open[1]) {
        open[1] = Math.max(open[1], range[1]);
        continue;
      }
      if (open) {
        out += text.slice(at, open[0]) + REDACTED;
        at = open[1];
      }
      open = [range[0], range[1]];
    }
    if (open) {
      out += text.slice(at, open[0]) + REDACTED;
      at = open[1];
    }
    return out + text.slice(at);
  };
}

function pairOf(text: string, i: number): number {
  return ((text.charCodeAt(i) & 0xff) << 8) | (text.charCodeAt(i + 1) & 0xff);
}

/** Length of the key's longest prefix (up to MASK_EDGE_MAX) that ends at `at` in the text. */
function edgeBefore(text: string, at: number, key: string): number {
  for (let n = Math.min(MASK_EDGE_MAX, key.length - 1, at); n >= 1; n--) {
    if (text.startsWith(key.slice(0, n), at - n)) return n;
  }
  return 0;
}

/** Length of the key's longest suffix (up to MASK_EDGE_MAX) that starts at `at` in the text. */
function edgeAfter(text: string, at: number, key: string): number {
  for (let n = Math.min(MASK_EDGE_MAX, key.length - 1, text.length - at); n >= 1; n--) {
    if (text.startsWith(key.slice(-n), at)) return n;
  }
  return 0;
}
