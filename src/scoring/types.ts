import type { CodeResult, Sandbox } from '../sandbox/types.js';
import type { MathGraderId, Task } from '../suites/types.js';

export type ScoreDetail =
  | {
      kind: 'math';
      /** The grading mode that decided (absent in runs recorded before modes existed). */
      grader?: MathGraderId;
      extracted: string | null;
      /** Final boxed answers that disagree: a hedge, graded wrong. */
      hedge?: string[];
      reference: string;
    }
  | { kind: 'mcq'; extracted: string | null; reference: string }
  | { kind: 'code'; extracted: boolean; result: CodeResult | null }
  | { kind: 'text'; extracted: string | null; reference: string }
  /** A plugin's scorer (docs/extending.md), which may add fields of its own. */
  | { kind: 'custom'; scorer: string; extracted: string | null; reference: string; [field: string]: unknown };

export interface Score {
  correct: boolean;
  detail: ScoreDetail;
}

/**
 * The answer in a response as the task's grader reads it, and when two such answers are the same:
 * what a vote counts, so it elects what the grader would grade. Pure and synchronous.
 */
export interface AnswerReader {
  /** The canonical answer of a response; null when it gives none (or hedges). */
  extract(task: Task, text: string): string | null;
  /** Whether two extracted answers are the same answer under the task's grader. */
  same(task: Task, a: string, b: string): boolean;
}

/** Grades one final answer against a task, by the benchmark's own rules. */
export interface Scorer extends AnswerReader {
  score(task: Task, answer: string): Promise<Score>;
}

export interface CodeLimits {
  /** Wall clock per test case; unset: the task's own limit, else its benchmark's default. */
  timeoutMs?: number | undefined;
  memoryMb: number;
  outputLimitBytes: number;
}

/** What grading may use besides the task and the answer. */
export interface ScoringContext {
  /** Runs code answers; the only part of scoring that executes anything. */
  sandbox: Sandbox;
  /** Per-test-case limits for code. */
  limits: CodeLimits;
}

/**
 * A scorer: reads answers and grades them. The built-ins are named after the task kinds they grade by
 * default; a suite's `scorer:` picks another (a plugin's) for all its tasks.
 */
export interface ScorerDefinition extends AnswerReader {
  id: string;
  score(task: Task, answer: string, context: ScoringContext): Score | Promise<Score>;
}
