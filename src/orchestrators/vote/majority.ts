import type { AnswerReader } from '../../scoring/types.js';
import type { Task } from '../../suites/types.js';

/**
 * Self-consistency: the answer most samples agree on, each sample's answer read and compared by the
 * task's own grader (so the vote elects what the grader would grade); ties go to the earliest;
 * samples without an extractable answer abstain.
 */
export function majority(
  task: Task,
  texts: readonly string[],
  answers: AnswerReader,
): { index: number; votes: number; clusters: number } {
  const clusters: { ballot: string; first: number; votes: number }[] = [];
  texts.forEach((text, i) => {
    const ballot = answers.extract(task, text);
    if (ballot === null) return;
    const cluster = clusters.find((c) => answers.same(task, c.ballot, ballot));
    if (cluster) cluster.votes++;
    else clusters.push({ ballot, first: i, votes: 1 });
  });
  const best = clusters.reduce<(typeof clusters)[number] | undefined>(
    (top, c) => (!top || c.votes > top.votes ? c : top),
    undefined,
  );
  return { index: best?.first ?? 0, votes: best?.votes ?? 0, clusters: clusters.length };
}
