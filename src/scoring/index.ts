import { z } from 'zod';
import type { Sandbox } from '../sandbox/types.js';
import type { Task } from '../suites/types.js';
import { answerReader } from './answers.js';
import { DEFAULT_CODE_LIMITS } from './code.js';
import { scorerFor } from './registry.js';
import type { CodeLimits, Score, Scorer } from './types.js';

export interface ScorerOptions {
  /** Runs code answers; the only part of scoring that executes anything. */
  sandbox: Sandbox;
  /** Per-test-case limits for code; unset fields take DEFAULT_CODE_LIMITS. */
  limits?: Partial<CodeLimits>;
}

/** What every score must look like: a plugin's scorer is plain JavaScript, checked here. */
const scoreShape = z.object({ correct: z.boolean(), detail: z.object({ kind: z.string() }).loose() });

/** Grades each task with its scorer (its suite's `scorer:`, else its kind's). */
export function createScorer({ sandbox, limits }: ScorerOptions): Scorer {
  const context = { sandbox, limits: { ...DEFAULT_CODE_LIMITS, ...definedOnly(limits ?? {}) } };
  return {
    ...answerReader,
    async score(task: Task, answer: string): Promise<Score> {
      const scorer = scorerFor(task);
      const score = await scorer.score(task, answer, context);
      if (!scoreShape.safeParse(score).success)
        throw new Error(
          `scorer '${scorer.id}' returned ${JSON.stringify(score)}, not { correct, detail: { kind } }`,
        );
      return score;
    },
  };
}

/** `{ timeoutMs: undefined }` must not erase a default. */
function definedOnly(limits: Partial<CodeLimits>): Partial<CodeLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}
