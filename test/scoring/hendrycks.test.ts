import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hendrycksIsEquiv, hendrycksLastBoxed } from '../../src/scoring/math/hendrycks.js';

interface Fixture {
  source: { repo: string; commit: string };
  isEquiv: { a: string | null; b: string | null; equiv: boolean; note: string }[];
  lastBoxed: { response: string; boxed: string | null; note: string }[];
}

// Every verdict in the fixture was produced by running the original Python (see its "source").
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/hendrycks-is-equiv.json', import.meta.url), 'utf8'),
) as Fixture;

const short = (s: string | null): string => (s === null ? 'None' : s.length > 60 ? `${s.slice(0, 60)}…` : s);

describe('hendrycksIsEquiv matches the original is_equiv', () => {
  it('has the table', () => {
    expect(fixture.source.repo).toBe('hendrycks/math');
    expect(fixture.isEquiv.length).toBeGreaterThanOrEqual(100);
  });
  it.each(fixture.isEquiv.map((r) => [short(r.a), short(r.b), r.note, r] as const))(
    '%s vs %s (%s)',
    (_a, _b, _note, row) => {
      expect(hendrycksIsEquiv(row.a, row.b)).toBe(row.equiv);
      expect(hendrycksIsEquiv(row.b, row.a)).toBe(row.equiv);
    },
  );
});

describe('hendrycksLastBoxed matches remove_boxed(last_boxed_only_string(...))', () => {
  it('has the table', () => {
    expect(fixture.lastBoxed.length).toBeGreaterThanOrEqual(20);
  });
  it.each(fixture.lastBoxed.map((r) => [short(r.response), r.note, r] as const))(
    '%s (%s)',
    (_response, _note, row) => {
      expect(hendrycksLastBoxed(row.response)).toBe(row.boxed);
    },
  );
});

/** Deterministic PRNG (mulberry32) for the garbage inputs. */
function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let x = Math.imul(t ^ (t >>> 15), 1 | t);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('robustness: a verdict for any input, without throwing', () => {
  it('10 000-deep nested braces inside \\boxed{', () => {
    const inner = `${'{'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const text = `The answer is \\boxed{${inner}}.`;
    expect(hendrycksLastBoxed(text)).toBe(inner);
    expect(hendrycksIsEquiv(inner, inner)).toBe(true);
    expect(hendrycksIsEquiv(inner, '1')).toBe(false);
    expect(hendrycksLastBoxed(`\\boxed{${inner}`)).toBeNull();
  });

  it('unbalanced braces', () => {
    expect(hendrycksLastBoxed(`\\boxed{${'{'.repeat(50_000)}`)).toBeNull();
    expect(hendrycksLastBoxed(`\\boxed${'}'.repeat(50_000)}`)).toBeNull();
    expect(hendrycksLastBoxed(`\\boxed{1${'}'.repeat(50_000)}`)).toBe('1');
    expect(typeof hendrycksIsEquiv('{'.repeat(50_000), '}'.repeat(50_000))).toBe('boolean');
  });

  it('a 64 KB boxed answer', () => {
    const pieces = ['\\frac12', '\\sqrt3', ' x = ', '1/2', '\\text{ cm}', '\\left(', '\\dfrac{.5}{2}', '{,}'];
    let answer = '';
    for (let i = 0; answer.length < 65_536; i++) answer += pieces[i % pieces.length];
    const text = `Reasoning... \\boxed{${answer}}`;
    expect(hendrycksLastBoxed(text)).toBe(answer);
    expect(hendrycksIsEquiv(answer, answer)).toBe(true);
    expect(typeof hendrycksIsEquiv(answer, `${answer} `)).toBe('boolean');
    const fracs = '\\frac12'.repeat(10_000);
    expect(hendrycksIsEquiv(fracs, '\\frac{1}{2}'.repeat(10_000))).toBe(true);
    const digits = '7'.repeat(65_536);
    expect(hendrycksIsEquiv(`${digits}/3`, `\\frac{${digits}}{3}`)).toBe(false);
  });

  it('a 200 KB response', () => {
    const text = `${'Let us think. \\boxed{1} {x} '.repeat(7_500)}so \\boxed{\\frac{1}{2}}.`;
    expect(text.length).toBeGreaterThan(200_000);
    expect(hendrycksLastBoxed(text)).toBe('\\frac{1}{2}');
  });

  it('seeded binary garbage, NUL bytes and lone surrogates', () => {
    const next = rng(20_240_917);
    const alphabet = [
      '\\boxed{',
      '\\frac',
      '\\sqrt',
      '\\text{ ',
      '{',
      '}',
      '=',
      '/',
      '.',
      ' ',
      '\n',
      '\\\\',
      '\0',
    ];
    for (let n = 0; n < 200; n++) {
      let s = '';
      const len = Math.floor(next() * 400);
      for (let i = 0; i < len; i++) {
        s +=
          next() < 0.3
            ? (alphabet[Math.floor(next() * alphabet.length)] ?? '')
            : String.fromCharCode(Math.floor(next() * 0x10000));
      }
      const boxed = hendrycksLastBoxed(s);
      expect(boxed === null || typeof boxed === 'string').toBe(true);
      expect(typeof hendrycksIsEquiv(s, boxed)).toBe('boolean');
      expect(hendrycksIsEquiv(s, s)).toBe(true);
    }
  });
});
