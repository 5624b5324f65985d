import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { harnessPath } from '../../src/sandbox/harness/harness-path.js';
import { encodeJob, parseResponse } from '../../src/sandbox/harness/protocol.js';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { resolvePython } from '../../src/sandbox/local/python.js';

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

  it('reports isolation none', async () => {
    const sandbox = createLocalSandbox({ concurrency: 1 });
    expect(sandbox.isolation).toBe('none');
    await sandbox.close();
  });
});

describe('harness protocol', () => {
  it('encodes one job per line', () => {
    const line = encodeJob({
      code: 'print(1)',
      tests: { style: 'stdin', cases: [{ input: '', output: '1' }] },
      timeoutMs: 1000,
      memoryMb: 256,
      outputLimitBytes: 1024,
    });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
  });

  it('rejects malformed or unknown verdicts', () => {
    expect(() => parseResponse('not json')).toThrow(/not JSON/);
    expect(() => parseResponse('{"passed":true,"verdicts":[{"index":0,"status":"ok","timeMs":1}]}')).toThrow(
      /unexpected answer/,
    );
    expect(() => parseResponse('{"passed":false,"verdicts":[],"error":"ValueError: bad"}')).toThrow(
      /rejected/,
    );
  });

  it('accepts a well-formed answer', () => {
    const parsed = parseResponse(
      '{"passed":true,"verdicts":[{"index":0,"status":"passed","timeMs":12,"got":"1"}]}',
    );
    expect(parsed).toEqual({
      passed: true,
      verdicts: [{ index: 0, status: 'passed', timeMs: 12, got: '1' }],
      retire: false,
    });
  });

  it('retires a supervisor after a limit was hit or when it reports leftovers', () => {
    const timeout =
      '{"passed":false,"verdicts":[{"index":0,"status":"timeout","timeMs":2000}],"dirty":false}';
    const wrong =
      '{"passed":false,"verdicts":[{"index":0,"status":"wrong_answer","timeMs":3}],"dirty":false}';
    const dirty = '{"passed":true,"verdicts":[{"index":0,"status":"passed","timeMs":3}],"dirty":true}';
    expect(parseResponse(timeout).retire).toBe(true);
    expect(parseResponse(wrong).retire).toBe(false);
    expect(parseResponse(dirty).retire).toBe(true);
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

  it('rejects an answer that is not the harness protocol', async () => {
    const sandbox = createLocalSandbox({ python: '/bin/echo', concurrency: 1 });
    await expect(sandbox.run(job)).rejects.toThrow(/not JSON|ended/);
    await sandbox.close();
  });
});
