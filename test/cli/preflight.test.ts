import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startAnthropicFake } from '../fakes/anthropic.js';
import { startOpenAIFake } from '../fakes/openai.js';
import type { FakeServer } from '../fakes/server.js';
import { demoConfigCopy, repoRoot } from '../runner/helpers.js';
import { type Finished, runCli } from './cli-process.js';

const NO_KEYS = { OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', GEMINI_API_KEY: '', GOOGLE_API_KEY: '' };

function expectNoStack(out: Finished): void {
  expect(out.stderr).not.toMatch(/\n\s+at /);
  expect(out.stderr).not.toMatch(/internal error/);
}

/** The numbered problems of a preflight failure. */
function problems(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => /^ {2}\d+\. /.test(l))
    .map((l) => l.replace(/^ {2}\d+\. /, ''));
}

describe('preflight (real process): every problem at once, exit 2, no stack trace', () => {
  it('lists a missing suite file, a missing head, a head/pool mismatch, a missing key, an unpriced model and an unwritable output folder', async () => {
    const { file } = demoConfigCopy((t) =>
      t
        .replace(/(path: .*)math\.yaml/, '$1no-such-math.yaml')
        .replace('demo-trained.onnx', 'no-such-head.onnx')
        // The hand head's slots in another order: not the head's pool.
        .replace(/(head: .*demo-hand\.onnx\n\s+agents: )\[gpt5, claude,/, '$1[claude, gpt5,')
        .replace(
          'pool:\n',
          "pool:\n  - { id: live-gpt, provider: openai, model: gpt-5 }\n  - { id: mystery, provider: openai-compatible, model: mystery-1, baseUrl: 'http://127.0.0.1:9/v1' }\n",
        )
        // /etc/hostname is a file: nothing can be created below it.
        .replace('concurrency: 32', 'concurrency: 32\noutput: /etc/hostname/reports'),
    );
    for (const args of [
      ['run', file],
      ['run', file, '--dry-run'],
    ]) {
      const out = await runCli(args, NO_KEYS);
      expect(out.code, out.stderr).toBe(2);
      expectNoStack(out);
      expect(out.stderr).toMatch(/^error: preflight found 6 problems \(nothing was run or spent\):/);
      const found = problems(out.stderr);
      expect(found).toHaveLength(6);
      expect(out.stderr).toContain('1 suite file missing');
      expect(out.stderr).toMatch(/no-such-math\.yaml\n\s+get it: /);
      expect(found).toContainEqual(
        expect.stringMatching(
          /^orchestrator trinity-trained: head file .*no-such-head\.onnx does not exist$/,
        ),
      );
      expect(found).toContainEqual(
        expect.stringMatching(
          /^orchestrator trinity-hand: head .*demo-hand\.onnx was made for agents \[gpt5, claude, .*\], but the config lists \[claude, gpt5, .*\]; map each head slot/,
        ),
      );
      expect(found).toContainEqual(
        expect.stringMatching(
          /^no API key: set OPENAI_API_KEY in the environment or in \.env \(needed by pool member live-gpt\)$/,
        ),
      );
      expect(found).toContainEqual(expect.stringMatching(/^no price known for pool member 'mystery'/));
      expect(found).toContainEqual(
        expect.stringMatching(
          /^cannot create the run folder \/etc\/hostname\/reports\/demo-\d{8}-\d{6}: ENOTDIR/,
        ),
      );
    }
  });

  it('one problem is one error line (a resumed run whose config changed)', async () => {
    const { dir, file } = demoConfigCopy((t) =>
      t
        .replace(/(path: .*\.yaml)/g, '$1\n    limit: 1')
        .replace(
          /orchestrators:\n[\s\S]*$/,
          'orchestrators:\n  - { id: single-qwen, family: single, agent: qwen }\n',
        ),
    );
    const first = await runCli(['run', file, '--output', dir, '--run-id', 'r1', '--quiet']);
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(file, readFileSync(file, 'utf8').replace('seed: 20261125', 'seed: 7'));
    const out = await runCli(['run', file, '--output', dir, '--resume', 'r1', '--quiet']);
    expect(out.code).toBe(2);
    expectNoStack(out);
    const errors = out.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toEqual([
      expect.stringMatching(/^error: cannot resume r1 \(made from .*run\.yaml\) .*seed: 20261125 → 7/),
    ]);
  });

  it('--version prints the package version; `baton schema | head -1` ends quietly', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);

    // The schema is larger than a pipe's buffer: head exits after one line and baton's next write
    // meets a closed pipe (EPIPE).
    const dir = mkdtempSync(join(tmpdir(), 'baton-epipe-'));
    const piped = spawnSync(
      'bash',
      ['-c', `node bin/baton.js schema 2>${dir}/stderr | head -1; echo "baton=\${PIPESTATUS[0]}"`],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(piped.stdout).toBe('{\nbaton=0\n');
    expect(readFileSync(join(dir, 'stderr'), 'utf8')).toBe('');
  });
});

describe('--check-endpoints (real process, local protocol fakes)', () => {
  let openai: FakeServer & { baseUrl: string };
  let anthropic: FakeServer & { baseUrl: string };
  let deadPort: number;
  beforeAll(async () => {
    openai = await startOpenAIFake();
    anthropic = await startAnthropicFake();
    // A port nothing listens on: taken, then released.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    deadPort = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await openai.close();
    await anthropic.close();
  });

  it('makes one model-list request per endpoint and reports which answer and which does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-endpoints-'));
    const file = join(dir, 'run.yaml');
    writeFileSync(
      file,
      stringify({
        name: 'endpoints',
        output: dir,
        pool: [
          { id: 'gpt5', provider: 'openai', model: 'gpt-5', baseUrl: openai.baseUrl },
          { id: 'gpt5-again', provider: 'openai', model: 'gpt-5', baseUrl: openai.baseUrl },
          {
            id: 'sonnet',
            provider: 'anthropic',
            model: 'claude-sonnet-4-20250514',
            baseUrl: anthropic.baseUrl,
          },
          {
            id: 'local-vllm',
            provider: 'openai-compatible',
            model: 'openai/gpt-5',
            baseUrl: `http://127.0.0.1:${deadPort}/v1`,
          },
        ],
        orchestrators: [
          { id: 'single-gpt5', family: 'single', agent: 'gpt5' },
          { id: 'fusion', family: 'fusion', panel: ['sonnet', 'local-vllm'], judge: 'gpt5-again' },
        ],
        suites: [{ path: join(repoRoot, 'suites/demo/mcq.yaml'), limit: 2 }],
      }),
    );
    const keys = { OPENAI_API_KEY: 'sk-test-endpoints', ANTHROPIC_API_KEY: 'sk-ant-test-endpoints' };
    const out = await runCli(['run', file, '--dry-run', '--check-endpoints'], keys);
    expect(out.code, out.stderr).toBe(2);
    expectNoStack(out);
    expect(out.stderr).toMatch(
      new RegExp(`ok {3}openai ${openai.baseUrl}/models \\(gpt5, gpt5-again\\): answers \\(HTTP 200`),
    );
    expect(out.stderr).toMatch(
      new RegExp(`ok {3}anthropic ${anthropic.baseUrl}/v1/models \\(sonnet\\): answers \\(HTTP 200`),
    );
    expect(out.stderr).toMatch(
      new RegExp(
        `FAIL openai-compatible http://127\\.0\\.0\\.1:${deadPort}/v1/models \\(local-vllm\\): does not answer: ECONNREFUSED`,
      ),
    );
    // The failing endpoint is the one problem; the estimate is printed all the same.
    expect(out.stderr).toMatch(/^error: endpoint openai-compatible .* does not answer: ECONNREFUSED/m);
    expect(out.stdout).toMatch(/^dry run: no model was called/);
    // One request per endpoint (two members share the OpenAI one), each with its key, nothing bought.
    expect(openai.served.map((s) => [s.path, s.authorization])).toEqual([
      ['/v1/models', 'Bearer sk-test-endpoints'],
    ]);
    expect(anthropic.served.map((s) => s.path)).toEqual(['/v1/models']);
    expect([...openai.served, ...anthropic.served].every((s) => s.billed === null)).toBe(true);
  });
});
