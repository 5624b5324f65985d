/**
 * Finding the final answer in a math solution. Primary rule, as Hendrycks MATH's
 * last_boxed_only_string: the last `\boxed{...}` (balanced braces) or `\fbox{...}`; `\boxed 5`
 * takes the rest up to `$`. Fallbacks, beyond Hendrycks (which scores them as no answer): the last
 * "answer is X" / "Answer: X" line, then a bare one-line reply such as `42`.
 */

const BARE_ANSWER_MAX = 40;

/** Content of the last \boxed / \fbox, or null when there is none or its braces never close. */
export function lastBoxed(text: string): string | null {
  const matches = [...text.matchAll(/\\(?:boxed|fbox)/g)];
  const last = matches.at(-1);
  if (!last) return null;
  const rest = text.slice(last.index + last[0].length);
  const start = rest.search(/\S/);
  if (start < 0) return null;
  if (rest[start] === '{') return balancedGroup(rest, start);
  if (start === 0) return rest[0] ?? null; // `\boxed5`: LaTeX takes a single token
  const inline = rest.slice(start).split(/[$\n]/)[0]?.trim();
  return inline ? inline : null;
}

/** Text inside the brace group opening at `open`, or null if unbalanced. */
function balancedGroup(text: string, open: number): string | null {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') {
      depth--;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  return null;
}

/** The last "the answer is X" or "Answer: X", cleaned of markdown and math delimiters. */
export function lastStatedAnswer(text: string): string | null {
  const matches = [...text.matchAll(/answer(?:\s*:|\s+is\b:?)[ \t]*([^\n]+)/gi)];
  const raw = matches.at(-1)?.[1];
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

export function extractMathAnswer(text: string): string | null {
  const boxed = lastBoxed(text);
  if (boxed !== null) return boxed;
  const stated = lastStatedAnswer(text);
  if (stated !== null) return stated;
  const bare = text.trim();
  return bare && !bare.includes('\n') && bare.length <= BARE_ANSWER_MAX ? cleanInline(bare) : null;
}
