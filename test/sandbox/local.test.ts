import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { harnessPath } from '../../src/sandbox/harness/harness-path.js';
import { encodeJob, ProtocolError, parseResponse } from '../../src/sandbox/harness/protocol.js';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { resolvePython } from '../../src/sandbox/local/python.js';
import { packageRoot } from '../../src/util/package-root.js';

describe('local sandbox setup', () => {
  it('finds the package root and the harness script from src/', () => {
    expect(existsSync(`${packageRoot()}/package.json`)).toBe(true);
    expect(existsSync(harnessPath())).toBe(true);
  });

  it('prefers an explicit interpreter, then BATON_PYTHON', () => {
    expect(resolvePython('/bin/sh', { PATH: '' })).toBe('/bin/sh');
    expect(resolvePython(undefined, { PATH: '', BATON_PYTHON: '/bin/sh' })).toBe('/bin/sh');
  });

  it('names what it tried when no python exists', () => {
    expect(() => resolvePython('/nonexistent/python9', { PATH: '' })).toThrow(/\/nonexistent\/python9/);
    expect(() => createLocalSandbox({ python: '/nonexistent/python9' })).toThrow(
      /no Python interpreter found/,
    );
  });

  it('removes the work root of a SIGKILLed supervisor when the next one starts', async () => {
    const roots = (pid: number) => readdirSync(tmpdir()).filter((n) => n.startsWith(`baton-harness-${pid}-`));
    const killed = spawn(resolvePython(), ['-I', harnessPath()], { stdio: ['pipe', 'ignore', 'ignore'] });
    const pid = killed.pid as number;
    for (let i = 0; i < 100 && roots(pid).length === 0; i++) await sleep(50);
    expect(roots(pid)).toHaveLength(1);
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('close', resolve));
    expect(roots(pid)).toHaveLength(1); // SIGKILL leaves it behind
    const sandbox = createLocalSandbox({ concurrency: 1 });
    const job = { code: 'print(1)', tests: { style: 'stdin' as const, cases: [{ input: '', output: '1' }] } };
    expect(
      (await sandbox.run({ ...job, timeoutMs: 2000, memoryMb: 256, outputLimitBytes: 1024 })).passed,
    ).toBe(true);
    await sandbox.close();
    expect(roots(pid)).toHaveLength(0);
  });

  it('starts despite odd names shaped like dead supervisor roots in the temp dir', async () => {
    const odd = ['baton-harness-\u00b2-a-b', 'baton-harness-99999999999999999999-a-b', 'baton-harness-1-x-y'];
    for (const name of odd) writeFileSync(join(tmpdir(), name), 'x');
    try {
      const sandbox = createLocalSandbox({ concurrency: 1 });
      const job = {
        code: 'print(1)',
        tests: { style: 'stdin' as const, cases: [{ input: '', output: '1' }] },
      };
      expect(
        (await sandbox.run({ ...job, timeoutMs: 2000, memoryMb: 256, outputLimitBytes: 1024 })).passed,
      ).toBe(true);
      await sandbox.close();
      for (const name of odd) expect(existsSync(join(tmpdir(), name))).toBe(true); // not ours to remove
    } finally {
      for (const name of odd) rmSync(join(tmpdir(), name), { force: true });
    }
  });

  it('stays clean after honest jobs of every style (a supervisor marked dirty is replaced: slow, not wrong)', async () => {
    const harness = spawn(resolvePython(), ['-I', harnessPath()], { stdio: ['pipe', 'pipe', 'ignore'] });
    const limits = { timeoutMs: 3000, memoryMb: 256, outputLimitBytes: 1 << 20 };
    const jobs = [
      { code: 'print(input())', tests: { style: 'stdin' as const, cases: [{ input: 'a\n', output: 'a' }] } },
      {
        code: 'def f(x):\n    return [x]',
        tests: { style: 'call' as const, functionName: 'f', cases: [{ args: [1], expected: [1] }] },
      },
      {
        code: 'def add(a, b):\n    return a + b',
        tests: {
          style: 'check' as const,
          cases: [{ test: 'def check(c):\n    assert c(1, 2) == 3\n', entryPoint: 'add' }],
        },
      },
      {
        code: 'while True:\n    pass',
        tests: { style: 'stdin' as const, cases: [{ input: '', output: '' }] },
      },
      { code: 'print(1)', tests: { style: 'stdin' as const, cases: [{ input: '', output: '1' }] } },
    ];
    const lines: string[] = [];
    let buffer = '';
    harness.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts);
    });
    for (const [i, job] of jobs.entries()) {
      harness.stdin.write(encodeJob({ ...job, ...limits, timeoutMs: i === 3 ? 500 : 3000 }, `n${i}`));
      while (lines.length <= i) await sleep(20);
    }
    harness.stdin.end();
    const answers = lines.map((l) => JSON.parse(l) as { nonce: string; passed: boolean; dirty: boolean });
    expect(answers.map((a) => [a.nonce, a.passed, a.dirty])).toEqual([
      ['n0', true, false],
      ['n1', true, false],
      ['n2', true, false],
      ['n3', false, false], // a timeout the harness ended cleanly; the driver retires it anyway
      ['n4', true, false],
    ]);
  });

  it('reports isolation none', async () => {
    const sandbox = createLocalSandbox({ concurrency: 1 });
    expect(sandbox.isolation).toBe('none');
    await sandbox.close();
  });
});

describe('harness protocol', () => {
  it('encodes one job per line', () => {
    const line = encodeJob(
      {
        code: 'print(1)',
        tests: { style: 'stdin', cases: [{ input: '', output: '1' }] },
        timeoutMs: 1000,
        memoryMb: 256,
        outputLimitBytes: 1024,
      },
      'n1',
    );
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line).nonce).toBe('n1');
  });

  it('rejects malformed or unknown verdicts', () => {
    expect(() => parseResponse('not json', 'n')).toThrow(/not JSON/);
    expect(() =>
      parseResponse('{"nonce":"n","passed":true,"verdicts":[{"index":0,"status":"ok","timeMs":1}]}', 'n'),
    ).toThrow(/unexpected answer/);
    expect(() =>
      parseResponse('{"nonce":"n","passed":false,"verdicts":[],"error":"ValueError: bad"}', 'n'),
    ).toThrow(/rejected/);
  });

  it("rejects an answer that does not echo the job's nonce as a protocol error", () => {
    const pass = (nonce: string) =>
      `{"nonce":"${nonce}","passed":true,"verdicts":[{"index":0,"status":"passed","timeMs":1}]}`;
    expect(() => parseResponse(pass('other'), 'n')).toThrow(ProtocolError);
    expect(() => parseResponse('{"passed":true,"verdicts":[]}', 'n')).toThrow(ProtocolError);
    expect(parseResponse(pass('n'), 'n').passed).toBe(true);
  });

  it('accepts a well-formed answer', () => {
    const parsed = parseResponse(
      '{"nonce":"n","passed":true,"verdicts":[{"index":0,"status":"passed","timeMs":12,"got":"1"}]}',
      'n',
    );
    expect(parsed).toEqual({
      passed: true,
      verdicts: [{ index: 0, status: 'passed', timeMs: 12, got: '1' }],
      retire: false,
    });
  });

  it('retires a supervisor after a limit was hit or when it reports leftovers', () => {
    const timeout =
      '{"nonce":"n","passed":false,"verdicts":[{"index":0,"status":"timeout","timeMs":2000}],"dirty":false}';
    const wrong =
      '{"nonce":"n","passed":false,"verdicts":[{"index":0,"status":"wrong_answer","timeMs":3}],"dirty":false}';
    const dirty =
      '{"nonce":"n","passed":true,"verdicts":[{"index":0,"status":"passed","timeMs":3}],"dirty":true}';
    expect(parseResponse(timeout, 'n').retire).toBe(true);
    expect(parseResponse(wrong, 'n').retire).toBe(false);
    expect(parseResponse(dirty, 'n').retire).toBe(true);
  });
});

describe('harness failures', () => {
  const job = {
    code: 'print(1)',
    tests: { style: 'stdin' as const, cases: [{ input: '', output: '1' }] },
    timeoutMs: 1000,
    memoryMb: 256,
    outputLimitBytes: 1024,
  };

  it('rejects the job as an infrastructure error when no supervisor can run anything', async () => {
    const sandbox = createLocalSandbox({ python: '/bin/false', concurrency: 1 });
    await expect(sandbox.run(job)).rejects.toThrow(/sandbox is not working/);
    await expect(sandbox.run(job)).rejects.toThrow(/sandbox is not working/);
    await sandbox.close();
  });

  it('rejects the job as an infrastructure error when every supervisor answers outside the protocol', async () => {
    const sandbox = createLocalSandbox({ python: '/bin/echo', concurrency: 1 });
    await expect(sandbox.run(job)).rejects.toThrow(/sandbox is not working.*(not JSON|ended)/);
    await sandbox.close();
  });
});
