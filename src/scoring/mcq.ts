import type { Task } from '../suites/types.js';
import type { Score } from './types.js';

/**
 * Multiple-choice letter extraction, in this order:
 * 1. simple-evals: `normalize_response` (strip markdown/LaTeX wrappers) then
 *    ANSWER_PATTERN_MULTICHOICE `(?i)Answer[ \t]*:[ \t]*\$?([A-D])\$?` with `re.search`, i.e. the
 *    FIRST match; widened from A–D to the task's letters (up to A–J).
 * 2. MMLU-Pro's chain: `answer is \(?([A-J])\)?` (first match), then `.*[aA]nswer:\s*([A-J])`
 *    (last on its line), then the last standalone capital letter `\b[A-J]\b(?!.*\b[A-J]\b)`.
 * As in both graders the letter is compared case-sensitively: `(?i)` can capture a lowercase
 * letter, which then does not equal the reference.
 */

const ALL_LETTERS = 'ABCDEFGHIJ';

/** simple-evals common.normalize_response. */
function normalizeResponse(response: string): string {
  return response
    .replaceAll('**', '')
    .replaceAll('$\\boxed{', '')
    .replaceAll('}$', '')
    .replaceAll('\\$', '')
    .replaceAll('$\\text{', '')
    .replaceAll('$', '')
    .replaceAll('\\mathrm{', '')
    .replaceAll('\\{', '')
    .replaceAll('\\text', '')
    .replaceAll('\\(', '')
    .replaceAll('\\mathbf{', '')
    .replaceAll('{', '')
    .replaceAll('\\boxed', '');
}

export function extractChoice(text: string, letters: string = ALL_LETTERS): string | null {
  const set = `[${letters[0]}-${letters.at(-1)}]`;
  const simpleEvals = new RegExp(`Answer[ \\t]*:[ \\t]*\\$?(${set})\\$?`, 'i').exec(normalizeResponse(text));
  if (simpleEvals?.[1]) return simpleEvals[1];
  const answerIs = new RegExp(`answer is \\(?(${set})\\)?`).exec(text);
  if (answerIs?.[1]) return answerIs[1];
  return lastAnswerColonOnFirstLine(text, set) ?? lastStandaloneLetter(text, set);
}

/**
 * MMLU-Pro's `re.search(r'.*[aA]nswer:\s*([A-J])', text)`: the first line where an `answer:` is
 * followed by a letter (`\s*` may cross lines; Python's `.*` stops only at `\n`), and the last such `answer:` on that
 * line. Found in one pass: the regex as written backtracks quadratically on a long line.
 */
function lastAnswerColonOnFirstLine(text: string, set: string): string | null {
  let line = 0;
  let scanned = 0;
  let found: { line: number; letter: string } | null = null;
  for (const m of text.matchAll(new RegExp(`[aA]nswer:\\s*(${set})`, 'g'))) {
    for (; scanned < m.index; scanned++) if (text[scanned] === '\n') line++;
    if (found && line > found.line) break;
    found = { line, letter: m[1] as string };
  }
  return found?.letter ?? null;
}

/** MMLU-Pro's `\b[A-J]\b(?!.*\b[A-J]\b)` (DOTALL), i.e. the last standalone letter, in one pass. */
function lastStandaloneLetter(text: string, set: string): string | null {
  let last: string | null = null;
  for (const m of text.matchAll(new RegExp(`\\b${set}\\b`, 'g'))) last = m[0];
  return last;
}

/** Letters A.. for the task's options (A–J when the task lists none). */
export function lettersFor(task: Task): string {
  const n = task.choices?.length ?? 0;
  return n > 0 ? ALL_LETTERS.slice(0, Math.min(n, ALL_LETTERS.length)) : ALL_LETTERS;
}

export function scoreMcq(task: Task, answer: string): Score {
  const extracted = extractChoice(answer, lettersFor(task));
  const reference = task.reference.trim();
  return {
    correct: extracted !== null && extracted === reference,
    detail: { kind: 'mcq', extracted, reference },
  };
}
