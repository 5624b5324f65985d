import type { CodeJob, Sandbox } from '../sandbox/types.js';
import type { CodeTests, Task } from '../suites/types.js';
import type { CodeLimits, Score } from './types.js';

export const DEFAULT_CODE_LIMITS: CodeLimits = {
  memoryMb: 512,
  outputLimitBytes: 1024 * 1024,
};

/** Per-test defaults of the benchmarks' own runners: LiveCodeBench 6 s, HumanEval 3 s. */
export const BENCHMARK_TIMEOUT_MS: Record<CodeTests['style'], number> = {
  stdin: 6000,
  call: 6000,
  check: 3000,
};

/**
 * LiveCodeBench's extract_code: the lines between the last two lines containing a ``` fence,
 * whatever the language tag, i.e. the last fenced block. Fewer than two fences: no code.
 * Blank blocks count as no code too (LCB would run and fail them).
 */
export function extractCode(answer: string): string | null {
  const lines = answer.split('\n');
  const fences = lines.flatMap((line, i) => (line.includes('```') ? [i] : []));
  if (fences.length < 2) return null;
  const open = fences.at(-2) ?? 0;
  const close = fences.at(-1) ?? 0;
  const code = lines.slice(open + 1, close).join('\n');
  return code.trim() ? code : null;
}

export async function scoreCode(
  task: Task,
  answer: string,
  sandbox: Sandbox,
  limits: CodeLimits,
): Promise<Score> {
  if (!task.tests) throw new Error(`code task ${task.id} has no tests`);
  const code = extractCode(answer);
  if (code === null) return { correct: false, detail: { kind: 'code', extracted: false, result: null } };
  const timeoutMs = limits.timeoutMs ?? task.tests.timeoutMs ?? BENCHMARK_TIMEOUT_MS[task.tests.style];
  const job: CodeJob = { code, tests: task.tests, ...limits, timeoutMs };
  const result = await sandbox.run(job);
  return { correct: result.passed, detail: { kind: 'code', extracted: true, result } };
}
