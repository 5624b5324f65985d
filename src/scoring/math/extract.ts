/**
 * Finding the final answer in a maths solution, for the `equivalent`, `aime` and `gsm8k` modes
 * (`hendrycks` uses Hendrycks' own last_boxed_only_string, in hendrycks.ts). Every `\boxed{…}` /
 * `\fbox{…}` (balanced braces; `\boxed 5` takes the rest up to `$` or the line's end) is found in
 * one pass over the text; boxes that disagree are a hedge. Without a box: the last "answer is X" /
 * "Answer: X" line, then a bare one-line reply such as `42`.
 */

const BARE_ANSWER_MAX = 40;

export type FinalAnswer =
  | { kind: 'answer'; text: string }
  /** Two or more boxes with different contents: the grader compares them before calling it a hedge. */
  | { kind: 'boxes'; texts: string[] }
  | { kind: 'none' };

/**
 * Contents of every complete box, in the order their commands appear. An unclosed box ends the
 * list (its text up to the end is not an answer), as in Hendrycks' extraction.
 */
export function boxedContents(text: string): string[] {
  const boxes: { start: number; content: string | null }[] = [];
  // Open brace groups: the index in `boxes` a group belongs to, or -1 for a plain group.
  const open: number[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && (text.startsWith('boxed', i + 1) || text.startsWith('fbox', i + 1))) {
      const end = i + (text[i + 1] === 'b' ? 6 : 5);
      if (/[a-zA-Z]/.test(text[end] ?? '')) {
        i = end;
        continue;
      }
      let j = end;
      while (j < text.length && /\s/.test(text[j] as string)) j++;
      if (text[j] === '{') {
        boxes.push({ start: j + 1, content: null });
        open.push(boxes.length - 1);
        i = j + 1;
        continue;
      }
      // `\boxed5` takes one token; `\boxed 5 $` the rest up to `$` or the line's end.
      const stop = j === end ? Math.min(end + 1, text.length) : lineOrDollar(text, j);
      boxes.push({ start: j, content: text.slice(j, stop).trim() });
      i = stop;
      continue;
    }
    if (c === '{') open.push(-1);
    else if (c === '}') {
      const owner = open.pop();
      if (owner !== undefined && owner >= 0) {
        const box = boxes[owner] as { start: number; content: string | null };
        box.content = text.slice(box.start, i);
      }
    }
    i++;
  }
  const complete: string[] = [];
  for (const box of boxes) {
    if (box.content === null) break;
    complete.push(box.content);
  }
  return complete;
}

function lineOrDollar(text: string, from: number): number {
  for (let k = from; k < text.length; k++) if (text[k] === '$' || text[k] === '\n') return k;
  return text.length;
}

/** The last "the answer is X" or "Answer: X", cleaned of markdown and math delimiters. */
export function lastStatedAnswer(text: string): string | null {
  let raw: string | undefined;
  for (const m of text.matchAll(/answer(?:\s*:|\s+is\b:?)[ \t]*([^\n]+)/gi)) raw = m[1];
  return raw === undefined ? null : cleanInline(raw);
}

function cleanInline(raw: string): string | null {
  let s = raw.replaceAll('**', '').trim();
  s = s.replace(/[.;]+$/, '').trim();
  const delimited = /^\$+([^$]*)\$+$/.exec(s) ?? /^\\\((.*)\\\)$/.exec(s) ?? /^\\\[(.*)\\\]$/.exec(s);
  if (delimited?.[1] !== undefined) s = delimited[1].trim();
  s = s.replace(/[.;]+$/, '').trim();
  return s ? s : null;
}

export function finalAnswer(text: string): FinalAnswer {
  const boxes = boxedContents(text);
  if (boxes.length > 0) {
    const distinct = [...new Set(boxes.map((b) => b.trim()))];
    return distinct.length === 1
      ? { kind: 'answer', text: distinct[0] as string }
      : { kind: 'boxes', texts: distinct };
  }
  const stated = lastStatedAnswer(text);
  if (stated !== null) return { kind: 'answer', text: stated };
  const bare = text.trim();
  const cleaned = bare && !bare.includes('\n') && bare.length <= BARE_ANSWER_MAX ? cleanInline(bare) : null;
  return cleaned === null ? { kind: 'none' } : { kind: 'answer', text: cleaned };
}
