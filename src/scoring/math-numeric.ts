/**
 * EXTRA beyond Hendrycks (whose is_equiv is string equality after _strip_string): the numeric
 * value of a normalized answer built from numbers, `\frac{}{}`, `\sqrt{}`, `\pi`, braces,
 * parentheses, a leading sign and implicit multiplication (`2\sqrt{3}`, `3\pi`,
 * `\frac{\sqrt{3}}{2}`). Sums, powers and variables are out of scope: they return null, so such
 * answers are only compared as strings, like Hendrycks does.
 */

class Parser {
  private pos = 0;
  constructor(private readonly s: string) {}

  parse(): number | null {
    const value = this.expr();
    return value !== null && this.pos === this.s.length && Number.isFinite(value) ? value : null;
  }

  private expr(): number | null {
    let sign = 1;
    while (this.s[this.pos] === '-' || this.s[this.pos] === '+') {
      if (this.s[this.pos] === '-') sign = -sign;
      this.pos++;
    }
    const first = this.number() ?? this.factor();
    if (first === null) return null;
    let value = first;
    for (let next = this.factor(); next !== null; next = this.factor()) value *= next;
    return sign * value;
  }

  private number(): number | null {
    const m = /^(?:\d+(?:\.\d*)?|\.\d+)/.exec(this.s.slice(this.pos));
    if (!m) return null;
    this.pos += m[0].length;
    return Number(m[0]);
  }

  /** A non-numeric factor; numbers only lead a product, so `\sqrt{3}2` is rejected. */
  private factor(): number | null {
    const start = this.pos;
    const value = this.factorAt();
    if (value === null) this.pos = start;
    return value;
  }

  private factorAt(): number | null {
    if (this.eat('\\frac')) {
      const num = this.group('{', '}');
      const den = num === null ? null : this.group('{', '}');
      return num === null || den === null ? null : num / den;
    }
    if (this.eat('\\sqrt')) {
      const radicand = this.group('{', '}');
      return radicand === null || radicand < 0 ? null : Math.sqrt(radicand);
    }
    if (this.eat('\\pi')) return Math.PI;
    if (this.s[this.pos] === '{') return this.group('{', '}');
    if (this.s[this.pos] === '(') return this.group('(', ')');
    return null;
  }

  private group(open: string, close: string): number | null {
    if (!this.eat(open)) return null;
    const value = this.expr();
    return value !== null && this.eat(close) ? value : null;
  }

  private eat(token: string): boolean {
    if (!this.s.startsWith(token, this.pos)) return false;
    // `\pi` must not be the start of `\pitchfork`-like commands.
    const after = this.s[this.pos + token.length];
    if (token.startsWith('\\') && after !== undefined && /[a-zA-Z]/.test(after)) return false;
    this.pos += token.length;
    return true;
  }
}

export function numericValue(normalized: string): number | null {
  return normalized ? new Parser(normalized).parse() : null;
}

const RELATIVE_TOLERANCE = 1e-9;

export function numbersClose(a: number, b: number): boolean {
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}
