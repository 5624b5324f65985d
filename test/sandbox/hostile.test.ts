import { afterAll, describe, expect, it } from 'vitest';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import type { CodeJob, CodeResult } from '../../src/sandbox/types.js';

// Hostile programs must end as a failure verdict, never hang the harness or pass.
const sandbox = createLocalSandbox({ concurrency: 4 });
afterAll(() => sandbox.close());

function job(code: string, output = 'ok'): CodeJob {
  return {
    code,
    tests: { style: 'stdin', cases: [{ input: '', output }] },
    timeoutMs: 1000,
    memoryMb: 256,
    outputLimitBytes: 1024 * 1024,
  };
}

function firstStatus(result: CodeResult): string | undefined {
  return result.verdicts[0]?.status;
}

describe('hostile programs in the local sandbox', () => {
  it('stops an infinite loop as timeout', async () => {
    const result = await sandbox.run(job('while True:\n    pass'));
    expect(result.passed).toBe(false);
    expect(firstStatus(result)).toBe('timeout');
    expect(result.verdicts[0]?.timeMs).toBeLessThan(2500);
  });

  // A case may send no signal (seccomp), whatever its uid: the kill fails and the program goes on.
  it('a program cannot kill its own runner, and grading goes on', async () => {
    const killer = job(
      'import ctypes, os\nfor pid in (os.getppid(), 1):\n    ctypes.CDLL(None).kill(pid, 9)\nprint("survived")',
      'ok',
    );
    expect(firstStatus(await sandbox.run(killer))).toBe('wrong_answer');
    expect((await sandbox.run(job('print("ok")'))).passed).toBe(true);
  });

  it('stops a sleeping program as timeout', async () => {
    expect(firstStatus(await sandbox.run(job('import time\ntime.sleep(30)')))).toBe('timeout');
  });

  it('stops 10 MB of output as output_limit, not a truncated pass', async () => {
    const result = await sandbox.run(job("print('ok')\nprint('x' * 10_000_000)"));
    expect(result.passed).toBe(false);
    expect(firstStatus(result)).toBe('output_limit');
  });

  it('counts stderr floods against the output limit', async () => {
    const result = await sandbox.run(
      job("import sys\nprint('ok')\nwhile True:\n    sys.stderr.write('e' * 65536)"),
    );
    expect(firstStatus(result)).toBe('output_limit');
  });

  it('refuses a 4 GB allocation as memory_limit', async () => {
    const result = await sandbox.run(job("x = bytearray(4 * 1024 ** 3)\nprint('ok')"));
    expect(result.passed).toBe(false);
    expect(['memory_limit', 'runtime_error']).toContain(firstStatus(result));
  });

  it('reports a syntax error as compile_error for every case', async () => {
    const broken: CodeJob = {
      ...job('def f(:\n    pass'),
      tests: {
        style: 'stdin',
        cases: [
          { input: '', output: '' },
          { input: '', output: '' },
        ],
      },
    };
    const result = await sandbox.run(broken);
    expect(result.passed).toBe(false);
    expect(result.verdicts.map((v) => v.status)).toEqual(['compile_error', 'compile_error']);
    expect(result.verdicts[0]?.stderr).toContain('SyntaxError');
  });

  it('bounds a fork bomb (fork is disabled as in LCB, the group is killed)', async () => {
    const result = await sandbox.run(job("import os\nwhile True:\n    os.fork()\nprint('ok')"));
    expect(result.passed).toBe(false);
    expect(['runtime_error', 'timeout']).toContain(firstStatus(result));
  });

  it('bounds subprocess spawning the same way', async () => {
    const code = "import subprocess, sys\nwhile True:\n    subprocess.Popen([sys.executable, '-c', 'pass'])";
    expect(['runtime_error', 'timeout']).toContain(firstStatus(await sandbox.run(job(code))));
  });

  it('treats an exception as runtime_error with a stderr excerpt', async () => {
    const result = await sandbox.run(job("raise ValueError('boom')"));
    expect(firstStatus(result)).toBe('runtime_error');
    expect(result.verdicts[0]?.stderr).toContain('ValueError: boom');
  });

  it('ends a stdin program normally on sys.exit, as LCB does', async () => {
    expect((await sandbox.run(job("import sys\nprint('ok')\nsys.exit(1)"))).passed).toBe(true);
  });

  it('truncates excerpts to about 300 characters', async () => {
    const result = await sandbox.run(job("print('y' * 5000)"));
    expect(firstStatus(result)).toBe('wrong_answer');
    expect(result.verdicts[0]?.got?.length).toBeLessThan(350);
  });

  it('runs jobs concurrently', async () => {
    const sleeper = job("import time\ntime.sleep(0.4)\nprint('ok')");
    const started = performance.now();
    const results = await Promise.all([sleeper, sleeper, sleeper, sleeper].map((j) => sandbox.run(j)));
    const elapsed = performance.now() - started;
    expect(results.every((r) => r.passed)).toBe(true);
    // One after another, the four jobs would take at least the sum of their own run times.
    const summed = results.reduce((total, r) => total + (r.verdicts[0]?.timeMs ?? 0), 0);
    expect(elapsed).toBeLessThan(summed);
  });
});
