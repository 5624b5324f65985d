import { describe, expect, it } from 'vitest';
import { KEY_WINDOW, redact, redactValue } from '../../src/providers/redact.js';

const KEY = 'sk-LEAKCANARY-0123456789abcdef-6789';
const OTHER = 'AIzaSyLEAK-other-key-zyxwvu';

/** Every 8-character window of a key found in a text. */
function fragments(text: string, key: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + KEY_WINDOW <= key.length; i++) {
    const w = key.slice(i, i + KEY_WINDOW);
    if (text.includes(w)) found.push(w);
  }
  return found;
}

describe('redact', () => {
  it('removes the whole key, wherever it is, and leaves other text alone', () => {
    const text = `Incorrect API key provided: ${KEY}. See https://example.com/keys.`;
    expect(redact(text, [KEY])).toBe('Incorrect API key provided: [redacted]. See https://example.com/keys.');
    expect(redact('nothing secret here', [KEY])).toBe('nothing secret here');
  });

  it('removes every 8-character window of a key, alone or in runs (a key quoted cut short)', () => {
    for (let i = 0; i + KEY_WINDOW <= KEY.length; i++) {
      for (const length of [KEY_WINDOW, KEY_WINDOW + 3, KEY.length - i]) {
        const piece = KEY.slice(i, i + length);
        const text = `before ${piece} after`;
        const out = redact(text, [KEY]);
        expect(fragments(out, KEY), `${piece} in ${out}`).toEqual([]);
        expect(out).toContain('before ');
        expect(out).toContain(' after');
      }
    }
    // V8's JSON.parse error quotes a malformed body's first bytes, cutting the key.
    let message = '';
    try {
      JSON.parse(`{"id": ${KEY}, "x": 1}`);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(KEY.slice(0, 9));
    expect(message).not.toContain(KEY);
    expect(fragments(redact(message, [KEY]), KEY)).toEqual([]);
  });

  it('keeps 7 characters of a key (shorter than a window): not a fragment by the rule', () => {
    const seven = KEY.slice(3, 10);
    expect(redact(`x ${seven} y`, [KEY])).toBe(`x ${seven} y`);
  });

  it('removes masked renderings: prefix, mask run, last 4', () => {
    for (const masked of [
      'sk-LEAKC****6789',
      `${KEY.slice(0, 8)}${'*'.repeat(30)}${KEY.slice(-4)}`,
      'sk-LEAK…6789',
      'sk-LEAKCA...6789',
      'sk-••••••6789',
      '****6789',
      'sk-LEAKCA****',
    ]) {
      const out = redact(`Incorrect API key provided: ${masked} (invalid)`, [KEY]);
      expect(out, masked).toBe('Incorrect API key provided: [redacted] (invalid)');
    }
    // A mask beside nothing of the key is ordinary text.
    expect(redact('a **bold** word... and 6788', [KEY])).toBe('a **bold** word... and 6788');
    expect(redact('sk-****', [KEY])).toBe('sk-****');
  });

  it('handles several keys, JSON-escaped text and short keys', () => {
    const text = JSON.stringify({ a: `${KEY}`, b: `x${OTHER.slice(2, 14)}y`, c: 'abcd-short' });
    const out = redact(text, [KEY, OTHER, 'abcd', 'ab']);
    expect(fragments(out, KEY)).toEqual([]);
    expect(fragments(out, OTHER)).toEqual([]);
    expect(out).not.toContain('abcd');
    expect(JSON.parse(out)).toMatchObject({ a: '[redacted]', c: '[redacted]-short' });
    expect(redact(text, [])).toBe(text);
  });

  it('redacts every string of a body and keeps the object when nothing matched', () => {
    const body = { error: { message: `bad key ${KEY}`, nested: [KEY.slice(5, 20)] }, n: 1 };
    const out = redactValue(body, [KEY]);
    expect(JSON.stringify(out)).not.toContain(KEY.slice(5, 13));
    expect(out).toEqual({ error: { message: 'bad key [redacted]', nested: ['[redacted]'] }, n: 1 });
    const clean = { ok: true };
    expect(redactValue(clean, [KEY])).toBe(clean);
  });

  it('is linear: a megabyte of text takes milliseconds', () => {
    const big = `${'lorem ipsum sk-LEAK 0123 '.repeat(40_000)}${KEY}`;
    const t0 = performance.now();
    const out = redact(big, [KEY, OTHER]);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(out.endsWith('[redacted]')).toBe(true);
  });
});
