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
  | { style: 'stdin'; cases: StdinCase[]; timeoutMs?: number; stdin?: StdinMode }
  | { style: 'call'; functionName: string; cases: CallCase[]; timeoutMs?: number }
  | { style: 'check'; prompt?: string; cases: CheckCase[]; timeoutMs?: number };

/**
 * How a stdin program receives its input. `lcb` (the default when absent): as in LiveCodeBench's
 * runner, only through the replaced `sys.stdin` (and `builtins.open`); file descriptor 0 is empty and
 * only what reaches `sys.stdout` is compared, so `open(0)`, `os.read(0, …)` and
 * `sys.stdout.buffer` fail as they do there. `real`: as on a judge, the input on a real fd 0 and fd 1
 * compared. Set by the suite option `stdin:`.
 */
export type StdinMode = 'lcb' | 'real';

export interface StdinCase {
  input: string;
  output: string;
}

/**
 * One call-based case. Either JSON values (baton's own suites), or a benchmark's own JSON text, one
 * text per argument, which only the Python harness parses: integers beyond 2^53 stay exact (a
 * JavaScript number would round them).
 */
export type CallCase = CallCaseValues | CallCaseJson;

export interface CallCaseValues {
  /** Positional arguments, JSON values. */
  args: unknown[];
  /** Expected return value, a JSON value. */
  expected: unknown;
}

export interface CallCaseJson {
  /** Positional arguments, each the JSON text of one value (LiveCodeBench: one input line each). */
  argsJson: string[];
  /** JSON text of the expected return value. */
  expectedJson: string;
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
  /** The scorer that grades it when not its kind's (the suite's `scorer:`, e.g. a plugin's). */
  scorer?: string;
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
