import type { Task } from '../suites/types.js';
import type { Score } from './types.js';

/** Free-text tasks: exact match after trimming and lower-casing. */
export function scoreText(task: Task, answer: string): Score {
  const extracted = answer.trim().toLowerCase();
  const reference = task.reference.trim().toLowerCase();
  return { correct: extracted === reference, detail: { kind: 'text', extracted, reference: task.reference } };
}
