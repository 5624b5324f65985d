import { extractCode } from '../../scoring/code.js';
import { isEquiv } from '../../scoring/math.js';
import { extractMathAnswer } from '../../scoring/math-extract.js';
import { extractChoice } from '../../scoring/mcq.js';
import type { Task } from '../../suites/types.js';

/** The part of an answer that votes, extracted by the benchmark's own rules; null abstains. */
function ballot(task: Task, text: string): string | null {
  switch (task.kind) {
    case 'math':
      return extractMathAnswer(text);
    case 'mcq':
      return extractChoice(text);
    case 'code':
      return extractCode(text)?.trim() ?? null;
    default:
      return text.trim() || null;
  }
}

function same(task: Task, a: string, b: string): boolean {
  return task.kind === 'math' ? isEquiv(a, b) : a === b;
}

/**
 * Self-consistency: the answer most samples agree on (maths compared with the MATH equivalence
 * rules); ties go to the earliest; samples without an extractable answer abstain.
 */
export function majority(
  task: Task,
  texts: readonly string[],
): { index: number; votes: number; clusters: number } {
  const clusters: { ballot: string; first: number; votes: number }[] = [];
  texts.forEach((text, i) => {
    const b = ballot(task, text);
    if (b === null) return;
    const cluster = clusters.find((c) => same(task, c.ballot, b));
    if (cluster) cluster.votes++;
    else clusters.push({ ballot: b, first: i, votes: 1 });
  });
  const best = clusters.reduce<(typeof clusters)[number] | undefined>(
    (top, c) => (!top || c.votes > top.votes ? c : top),
    undefined,
  );
  return { index: best?.first ?? 0, votes: best?.votes ?? 0, clusters: clusters.length };
}
