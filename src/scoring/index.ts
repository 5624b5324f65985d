import type { Sandbox } from '../sandbox/types.js';
import type { Task } from '../suites/types.js';
import { answerReader } from './answers.js';
import { type CodeLimits, DEFAULT_CODE_LIMITS, scoreCode } from './code.js';
import { scoreMath } from './math/index.js';
import { scoreMcq } from './mcq.js';
import { scoreText } from './text.js';
import type { Score, Scorer } from './types.js';

export interface ScorerOptions {
  /** Runs code answers; the only part of scoring that executes anything. */
  sandbox: Sandbox;
  /** Per-test-case limits for code; unset fields take DEFAULT_CODE_LIMITS. */
  limits?: Partial<CodeLimits>;
}

export function createScorer({ sandbox, limits }: ScorerOptions): Scorer {
  const codeLimits: CodeLimits = { ...DEFAULT_CODE_LIMITS, ...definedOnly(limits ?? {}) };
  return {
    ...answerReader,
    async score(task: Task, answer: string): Promise<Score> {
      switch (task.kind) {
        case 'code':
          return scoreCode(task, answer, sandbox, codeLimits);
        case 'math':
          return scoreMath(task, answer);
        case 'mcq':
          return scoreMcq(task, answer);
        case 'text':
          return scoreText(task, answer);
      }
    },
  };
}

/** `{ timeoutMs: undefined }` must not erase a default. */
function definedOnly(limits: Partial<CodeLimits>): Partial<CodeLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}
