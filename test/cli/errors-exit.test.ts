import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Report } from '../../src/report/types.js';
import { EARLY_STOP_CALLS } from '../../src/runner/failing-endpoint.js';
import { RunStore } from '../../src/store/run-store.js';
import { startOpenAIFake } from '../fakes/openai.js';
import type { FakeServer } from '../fakes/server.js';
import { writeGeneratedMcqSuite } from '../runner/fault-run.js';
import { type Finished, runCli } from './cli-process.js';

// `baton run` as a real process against the OpenAI protocol fake (or a port nobody listens on): failed
// samples make the run exit 4 once every report is written, grouped by cause on the terminal and at the
// top of report.md / report.html; an endpoint whose first calls all fail stops the run early.

const KEY = 'sk-test-WRONGKEY-5f3a9c1e7b2d4068';
const env = { BATON_TEST_KEY: KEY };

/** A run config over `tasks` multiple-choice questions (answer B) on one openai-compatible agent. */
function config(baseUrl: string, tasks: number, concurrency = 2): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'baton-errors-'));
  const suite = writeGeneratedMcqSuite(dir, tasks);
  const file = join(dir, 'run.yaml');
  writeFileSync(
    file,
    stringify({
      name: 'errors',
      seed: 1,
      concurrency,
      output: join(dir, 'runs'),
      retries: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 5, requestTimeoutMs: 10_000 },
      scoring: { sandbox: 'local' },
      pool: [
        {
          id: 'gpt',
          provider: 'openai-compatible',
          baseUrl,
          apiKeyEnv: 'BATON_TEST_KEY',
          model: 'openai/gpt-5',
          price: { input: 1.25, output: 10 },
        },
      ],
      orchestrators: [{ id: 'single-gpt', family: 'single', agent: 'gpt' }],
      suites: [{ path: suite }],
    }),
  );
  return { dir, file };
}

/** The one run folder under the config's output, its report.json, report.md and report.html. */
function reports(dir: string): { runDir: string; json: Report; md: string; html: string } {
  const runs = join(dir, 'runs');
  const [id] = readdirSync(runs);
  const runDir = join(runs, id as string);
  return {
    runDir,
    json: JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report,
    md: readFileSync(join(runDir, 'report.md'), 'utf8'),
    html: readFileSync(join(runDir, 'report.html'), 'utf8'),
  };
}

/** The results table's row of `single-gpt` on the terminal, as header → cell. */
function terminalRow(stdout: string): Record<string, string> {
  const lines = stdout.split('\n').filter((l) => l.startsWith('|'));
  const cells = (l: string) =>
    l
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  const header = cells(lines[0] ?? '');
  const row = cells(lines.find((l) => l.startsWith('| single-gpt')) ?? '');
  return Object.fromEntries(header.map((h, i) => [h, row[i] ?? '']));
}

/** One `error:` line on stderr, no stack trace, and the key nowhere. */
function expectOneErrorLine(out: Finished, pattern: RegExp): void {
  const errors = out.stderr.split('\n').filter((l) => l.startsWith('error:'));
  expect(errors, out.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(pattern);
  expect(out.stderr).not.toMatch(/\n\s+at /);
  expect(out.stdout + out.stderr).not.toContain(KEY);
}

/** A port on 127.0.0.1 that nothing listens on (bound once, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

let wrongKey: FakeServer & { baseUrl: string };
let partly: FakeServer & { baseUrl: string };
beforeAll(async () => {
  // OpenAI's documented 401 body for a bad key.
  wrongKey = await startOpenAIFake({
    override: () => ({
      status: 401,
      body: {
        error: {
          message: 'invalid api key',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
    }),
  });
  // Refuses the key for one question only: one sample in four fails.
  partly = await startOpenAIFake({
    override: (_path, request) =>
      JSON.stringify(request).includes('Question 1:')
        ? {
            status: 401,
            body: {
              error: {
                message: 'invalid api key',
                type: 'invalid_request_error',
                param: null,
                code: 'invalid_api_key',
              },
            },
          }
        : undefined,
  });
});
afterAll(async () => {
  await wrongKey.close();
  await partly.close();
});

describe('outcome = exit code (real process, local fakes)', () => {
  it('a wrong key: exit 4 after every report, errors grouped by cause on the terminal and atop report.md', async () => {
    const { dir, file } = config(wrongKey.baseUrl, 3);
    const out = await runCli(['run', file, '--quiet'], env);
    expect(out.code, out.stderr).toBe(4);
    expectOneErrorLine(
      out,
      /^error: completed with errors: 3 of 3 recorded samples failed \(100\.0%, above --max-error-rate 0\)/,
    );
    // The key reached the server, and was refused there.
    expect(wrongKey.served.length).toBe(3);
    expect(wrongKey.served.every((s) => s.authorization === `Bearer ${KEY}`)).toBe(true);

    // The terminal ends with the errors by cause: count, one example naming the endpoint.
    const tail = out.stdout.slice(out.stdout.indexOf('errors by cause:'));
    expect(tail).toMatch(/^errors by cause: 3 of 3 recorded samples failed \(100\.0%\)\.\n/);
    expect(tail).toMatch(
      /\n {2}call_failed:auth ×3 — auth: HTTP 401: .*invalid api key — openai-compatible at http:\/\/127\.0\.0\.1:\d+\/v1 \(agent gpt\)\n$/,
    );
    // Failed samples count in n and as unsolved.
    expect(terminalRow(out.stdout)).toMatchObject({
      n: '3',
      errors: '3',
      accuracy: '0.0%',
      'scored accuracy': '–',
    });

    const { json, md, html, runDir } = reports(dir);
    expect(json.run.status).toBe('complete');
    expect(json.errorCauses).toEqual([
      expect.objectContaining({
        cause: 'call_failed:auth',
        count: 3,
        example: expect.stringMatching(/invalid api key/),
      }),
    ]);
    const section = md.indexOf('## Errors by cause');
    expect(section).toBeGreaterThan(0);
    expect(section).toBeLessThan(md.indexOf('## Results'));
    expect(md).toMatch(/\| call_failed:auth \| 3 \| auth: HTTP 401: .*invalid api key/);
    expect(html.indexOf('data-testid="error-causes"')).toBeLessThan(html.indexOf('</header>'));
    for (const name of ['report.json', 'report.md', 'report.html', 'run.sqlite'])
      expect(readFileSync(join(runDir, name)).includes(KEY), name).toBe(false);
  });

  it(`an endpoint that is down: the first ${EARLY_STOP_CALLS} calls fail, the run stops early (exit 4), the rest is not run`, async () => {
    const port = await deadPort();
    const planned = 40;
    const concurrency = 2;
    const { dir, file } = config(`http://127.0.0.1:${port}/v1`, planned, concurrency);
    const out = await runCli(['run', file, '--quiet', '--record'], env);
    expect(out.code, out.stderr).toBe(4);
    expectOneErrorLine(
      out,
      new RegExp(
        `^error: stopped early: the first ${EARLY_STOP_CALLS} calls to openai-compatible at http://127\\.0\\.0\\.1:${port}/v1 all failed \\(network ×${EARLY_STOP_CALLS}\\); reports written; ${planned - EARLY_STOP_CALLS} samples not run`,
      ),
    );
    expect(out.stdout).toContain(`status: stopped_errors`);
    expect(out.stdout).toContain(
      `errors by cause: ${EARLY_STOP_CALLS} of ${EARLY_STOP_CALLS} recorded samples failed (100.0%); ${planned - EARLY_STOP_CALLS} of ${planned} planned samples were not run (not counted as errors).`,
    );
    expect(out.stdout).toMatch(new RegExp(`\n {2}network ×${EARLY_STOP_CALLS} — network: .*ECONNREFUSED`));

    const { json, md, runDir } = reports(dir);
    expect(json.run.status).toBe('stopped_errors');
    expect(json.samples).toEqual({ planned, recorded: EARLY_STOP_CALLS, errors: EARLY_STOP_CALLS });
    expect(json.errorCauses.map((c) => [c.cause, c.count])).toEqual([['network', EARLY_STOP_CALLS]]);
    expect(md).toContain(`${planned - EARLY_STOP_CALLS} of ${planned} planned samples were not run`);
    // Far fewer calls than samples: the failing ones, plus at most one in flight per concurrency slot.
    const store = new RunStore(join(runDir, 'run.sqlite'));
    const events = store.events();
    store.close();
    expect(events).toHaveLength(EARLY_STOP_CALLS);
    const calls = readFileSync(join(runDir, 'cassette.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"type":"call"'));
    expect(calls.length).toBeGreaterThanOrEqual(EARLY_STOP_CALLS);
    expect(calls.length).toBeLessThanOrEqual(EARLY_STOP_CALLS + concurrency);
  });

  it('errors at or below --max-error-rate exit 0; n counts them and accuracy is over all samples', async () => {
    const { file } = config(partly.baseUrl, 4);
    const out = await runCli(['run', file, '--quiet', '--max-error-rate', '0.25'], env);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).not.toMatch(/^error:/m);
    expect(terminalRow(out.stdout)).toMatchObject({
      n: '4',
      errors: '1',
      accuracy: '75.0%',
      'scored accuracy': '100.0%',
    });
    // Still listed, by cause.
    expect(out.stdout).toMatch(
      /errors by cause: 1 of 4 recorded samples failed \(25\.0%\)\.\n {2}call_failed:auth ×1 — /,
    );

    // The same run with a stricter rate: exit 4.
    const strict = await runCli(
      ['run', config(partly.baseUrl, 4).file, '--quiet', '--max-error-rate', '0.2'],
      env,
    );
    expect(strict.code, strict.stderr).toBe(4);
    expectOneErrorLine(
      strict,
      /^error: completed with errors: 1 of 4 recorded samples failed \(25\.0%, above --max-error-rate 0\.2\)/,
    );
  });

  it('--max-error-rate outside 0–1 is a usage error (exit 2, one line, nothing run)', async () => {
    const { dir, file } = config(wrongKey.baseUrl, 1);
    const before = wrongKey.served.length;
    for (const bad of ['1.5', 'abc', '-0.1', '']) {
      const out = await runCli(['run', file, `--max-error-rate=${bad}`], env);
      expect(out.code, bad).toBe(2);
      expectOneErrorLine(
        out,
        /^error: --max-error-rate must be a fraction from 0 to 1 \(e\.g\. 0\.05\), not '.*'$/,
      );
    }
    expect(wrongKey.served.length).toBe(before);
    expect(readdirSync(dir)).not.toContain('runs');
    const demo = await runCli(['demo', '--max-error-rate', '2']);
    expect(demo.code).toBe(2);
    expectOneErrorLine(demo, /^error: --max-error-rate must be a fraction/);
  });

  it('--help shows the exit codes as one table, 4 included', async () => {
    const out = await runCli(['--help']);
    expect(out.code).toBe(0);
    const codes = out.stdout
      .slice(out.stdout.indexOf('Exit codes:'))
      .split('\n')
      .flatMap((l) => /^ {2}(\d+) +\S/.exec(l)?.[1] ?? []);
    expect(codes).toEqual(['0', '1', '2', '3', '4', '5', '130']);
    expect(out.stdout).toMatch(/\n {2}4 {4}completed with errors: /);
  });
});
