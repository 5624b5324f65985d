import type { CodeTests } from '../suites/types.js';

/** One program and its tests, executed by a sandbox driver. */
export interface CodeJob {
  /** Python source of the candidate solution. */
  code: string;
  tests: CodeTests;
  /** Wall-clock limit per test case. */
  timeoutMs: number;
  memoryMb: number;
  /** Cap on captured stdout+stderr per test case; beyond it the case fails as output_limit. */
  outputLimitBytes: number;
}

export type TestStatus =
  | 'passed'
  | 'wrong_answer'
  | 'runtime_error'
  | 'timeout'
  | 'output_limit'
  | 'memory_limit'
  | 'compile_error'
  /** The program killed or hung its supervisor, twice: a failed test, as in LiveCodeBench. */
  | 'runner_error';

export interface TestVerdict {
  index: number;
  status: TestStatus;
  timeMs: number;
  /** Short excerpts for the trace; never the full output. */
  expected?: string;
  got?: string;
  stderr?: string;
}

export type Isolation = 'docker' | 'none';

export interface CodeResult {
  passed: boolean;
  verdicts: TestVerdict[];
  isolation: Isolation;
}

/** A place where untrusted code runs. Drivers: `local` (subprocess, no isolation), `docker` (later). */
export interface Sandbox {
  readonly isolation: Isolation;
  run(job: CodeJob): Promise<CodeResult>;
  close(): Promise<void>;
}
