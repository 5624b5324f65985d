/**
 * Reads Conductor's plan as the paper writes it — three Python list assignments such as
 *   model_id = [2, 'gpt5']
 *   subtasks = ["Solve it.", 'Check step 0.']
 *   access_list = [[], 'all']
 * — into plain values, without evaluating anything. Strings (single or double quoted, with
 * escapes), integers, nested lists, and the bare words all / none / None.
 */
export type ListValue = string | number | null | ListValue[];

const KEYS = ['model_id', 'subtasks', 'access_list'] as const;

export function readPythonLists(text: string): Record<(typeof KEYS)[number], ListValue[]> | undefined {
  const out: Partial<Record<(typeof KEYS)[number], ListValue[]>> = {};
  for (const key of KEYS) {
    const start = new RegExp(`\\b${key}\\s*[=:]\\s*\\[`).exec(text);
    if (!start) return undefined;
    const reader = new Reader(text, start.index + start[0].length - 1);
    const value = reader.value();
    if (!Array.isArray(value)) return undefined;
    out[key] = value;
  }
  return out as Record<(typeof KEYS)[number], ListValue[]>;
}

class Reader {
  constructor(
    private readonly text: string,
    private at: number,
  ) {}

  value(): ListValue {
    this.skip();
    const c = this.text[this.at];
    if (c === '[') return this.list();
    if (c === '"' || c === "'") return this.string(c);
    const word = /^-?\d+|^[A-Za-z_]\w*/.exec(this.text.slice(this.at))?.[0];
    if (word === undefined) throw new SyntaxError(`unexpected '${c ?? 'end'}' at ${this.at}`);
    this.at += word.length;
    if (/^-?\d+$/.test(word)) return Number(word);
    if (word === 'None' || word === 'none') return null;
    return word;
  }

  private list(): ListValue[] {
    this.at++; // [
    const items: ListValue[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.at] === ']') {
        this.at++;
        return items;
      }
      items.push(this.value());
      this.skip();
      if (this.text[this.at] === ',') this.at++;
      else if (this.text[this.at] !== ']') throw new SyntaxError(`expected , or ] at ${this.at}`);
    }
  }

  private string(quote: string): string {
    let s = '';
    for (this.at++; this.at < this.text.length; this.at++) {
      const c = this.text[this.at] as string;
      if (c === quote) {
        this.at++;
        return s;
      }
      if (c === '\\') {
        const next = this.text[++this.at] ?? '';
        s += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      } else s += c;
    }
    throw new SyntaxError('unterminated string');
  }

  private skip(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }
}
