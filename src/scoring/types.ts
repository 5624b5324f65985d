import type { CodeResult } from '../sandbox/types.js';
import type { Task } from '../suites/types.js';

export type ScoreDetail =
  | { kind: 'math'; extracted: string | null; normalized: string | null; reference: string }
  | { kind: 'mcq'; extracted: string | null; reference: string }
  | { kind: 'code'; extracted: boolean; result: CodeResult | null }
  | { kind: 'text'; extracted: string | null; reference: string };

export interface Score {
  correct: boolean;
  detail: ScoreDetail;
}

/** Grades one final answer against a task, by the benchmark's own rules. */
export interface Scorer {
  score(task: Task, answer: string): Promise<Score>;
}
