import type { Task } from '../suites/types.js';
import { extractCode } from './code.js';
import { mathGraderFor } from './math/index.js';
import { extractChoice, lettersFor } from './mcq.js';
import { normalizeText } from './text.js';
import type { AnswerReader } from './types.js';

/** Reads answers exactly as `score` does, for every task kind. */
export const answerReader: AnswerReader = {
  extract(task: Task, text: string): string | null {
    switch (task.kind) {
      case 'math':
        return mathGraderFor(task).read(text).answer;
      case 'mcq':
        return extractChoice(text, lettersFor(task));
      case 'code':
        return extractCode(text)?.trim() ?? null;
      case 'text':
        return normalizeText(text) || null;
    }
  },
  same(task: Task, a: string, b: string): boolean {
    return task.kind === 'math' ? mathGraderFor(task).same(a, b) : a === b;
  },
};
