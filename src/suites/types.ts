/** A benchmark item as every other part of baton sees it, whatever file it came from. */
export type TaskKind = 'code' | 'math' | 'mcq' | 'text';

/** Maths grading modes (src/scoring/math): a benchmark's own grader, or baton's `equivalent`. */
export const MATH_GRADER_IDS = ['equivalent', 'hendrycks', 'aime', 'gsm8k'] as const;
export type MathGraderId = (typeof MATH_GRADER_IDS)[number];

/**
 * Code tests in the styles code benchmarks use: LiveCodeBench's stdin and call-based tests, and
 * HumanEval's `check(candidate)` programs (`prompt + solution + test + check(entry_point)`).
 * `timeoutMs` overrides the per-case limit (benchmark defaults: 6 s LiveCodeBench, 3 s HumanEval).
 */
export type CodeTests =
  | { style: 'stdin'; cases: StdinCase[]; timeoutMs?: number }
  | { style: 'call'; functionName: string; cases: CallCase[]; timeoutMs?: number }
  | { style: 'check'; prompt?: string; cases: CheckCase[]; timeoutMs?: number };

export interface StdinCase {
  input: string;
  output: string;
}

export interface CallCase {
  /** Positional arguments, JSON values. */
  args: unknown[];
  /** Expected return value, a JSON value. */
  expected: unknown;
}

export interface CheckCase {
  /** Python source defining `check(candidate)`, which raises on a wrong solution. */
  test: string;
  entryPoint: string;
}

export interface Task {
  id: string;
  suite: string;
  /** Finer than kind, e.g. 'code', 'algebra'; sim skills are looked up by category, then kind. */
  category: string;
  kind: TaskKind;
  /** The full text a model receives, including the answer-format instruction. */
  prompt: string;
  /** code: a reference solution; math: the exact answer; mcq: the correct letter. */
  reference: string;
  /** math: how answers are graded (the suite's `grader:`, else its format's default). */
  grader?: MathGraderId;
  tests?: CodeTests;
  /** mcq: the options in order (A, B, …). */
  choices?: string[];
  /**
   * Plausible wrong answers the simulated pool may give (code: solutions that really fail the tests;
   * math: wrong values). Public benchmarks have none.
   */
  distractors: string[];
  meta: Record<string, unknown>;
}
