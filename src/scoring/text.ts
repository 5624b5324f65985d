import type { Task } from '../suites/types.js';
import type { Score } from './types.js';

/** Free-text answers compare after trimming and lower-casing. */
export function normalizeText(text: string): string {
  return text.trim().toLowerCase();
}

export function scoreText(task: Task, answer: string): Score {
  const extracted = normalizeText(answer);
  return {
    correct: extracted === normalizeText(task.reference),
    detail: { kind: 'text', extracted, reference: task.reference },
  };
}
