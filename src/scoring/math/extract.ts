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

/**
 * The last "the answer is X" or "Answer: X" with where it starts, cleaned of markdown and math
 * delimiters; X may be on the next line (`The answer is:\n\n$$5$$`); a sentence after it is dropped
 * (`The final answer is $33$. I hope it is correct.`).
 */
export function lastStatedAnswer(text: string): { text: string; at: number } | null {
  let last: RegExpMatchArray | undefined;
  for (const m of text.matchAll(/answer(?:\s*:|\s+is\b:?)/gi)) last = m;
  if (!last) return null;
  const start = last.index ?? 0;
  const at = start + last[0].length;
  const lines = text.slice(at, at + 2000).split('\n');
  const first = lines.findIndex((line) => cleanInline(line) !== null);
  const answer = first < 0 || first > 2 ? null : cleanInline(lines[first] as string);
  return answer === null ? null : { text: answer, at: start };
}

function cleanInline(raw: string): string | null {
  let s = trimEndChars(raw.replaceAll('**', '').trim(), '.;:').trim();
  const math = /^\$+([^$]*)\$+/.exec(s) ?? /^\\\((.*?)\\\)/.exec(s) ?? /^\\\[(.*?)\\\]/.exec(s);
  if (math?.[1] !== undefined) s = math[1].trim();
  else s = s.split(/\.\s+(?=[A-Z])/)[0] ?? s;
  s = trimEndChars(s, '.;').trim();
  return /[\p{L}\p{N}]/u.test(s) ? s : null;
}

/** `s` without trailing characters from `chars`, in linear time (`/[.;]+$/` is quadratic). */
function trimEndChars(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1] as string)) end--;
  return s.slice(0, end);
}

export function finalAnswer(text: string): FinalAnswer {
  const boxes = boxedContents(text);
  if (boxes.length > 0) {
    // An outer box around another, or an empty box echoing the instruction, is not an answer of its own.
    const contents = boxes.map((b) => b.trim()).filter((b) => !/\\(?:boxed|fbox)(?![a-zA-Z])/.test(b));
    const answers = contents.some((b) => b !== '') ? contents.filter((b) => b !== '') : contents;
    const distinct = [...new Set(answers)];
    // A different answer stated after the last box ("… \boxed{2}. Answer: 3") is a change of mind.
    const stated = lastStatedAnswer(text);
    if (stated !== null && stated.at > text.lastIndexOf('\\boxed') && !distinct.includes(stated.text))
      distinct.push(stated.text);
    if (distinct.length === 0) return { kind: 'answer', text: '' };
    return distinct.length === 1
      ? { kind: 'answer', text: distinct[0] as string }
      : { kind: 'boxes', texts: distinct };
  }
  const stated = lastStatedAnswer(text);
  if (stated !== null) return { kind: 'answer', text: stated.text };
  const bare = text.trim();
  const cleaned = bare && !bare.includes('\n') && bare.length <= BARE_ANSWER_MAX ? cleanInline(bare) : null;
  return cleaned === null ? { kind: 'none' } : { kind: 'answer', text: cleaned };
}
