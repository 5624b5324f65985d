import { scorerFor } from './registry.js';
import type { AnswerReader } from './types.js';

/** Reads answers exactly as `score` does: through each task's scorer. */
export const answerReader: AnswerReader = {
  extract: (task, text) => scorerFor(task).extract(task, text),
  same: (task, a, b) => scorerFor(task).same(task, a, b),
};
