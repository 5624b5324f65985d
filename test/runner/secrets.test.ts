import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadRunConfig } from '../../src/config/load.js';
import { KEY_WINDOW } from '../../src/providers/redact.js';
import { writeReport } from '../../src/report/write.js';
import { runBenchmark } from '../../src/runner/run.js';
import { startOpenAIFake } from '../fakes/openai.js';
import { type FakeServer, maskedKey } from '../fakes/server.js';
import { type FakePool, faultRunConfig, KEYS, sandbox, scorer, startFakePool } from './fault-run.js';

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every 8-character window of a key that a text holds. */
function keyFragments(text: string, key: string): string[] {
  const found = new Set<string>();
  for (let i = 0; i + KEY_WINDOW <= key.length; i++) {
    const w = key.slice(i, i + KEY_WINDOW);
    if (text.includes(w)) found.add(w);
  }
  return [...found];
}

const ECHO_KEY = 'sk-or-v1-FAKEKEY7c2e9a4b1d8f3e6a0b5c9d2e7f4a1b8c3d6e77aa';

let pool: FakePool;
let echo: FakeServer & { baseUrl: string };
beforeAll(async () => {
  pool = await startFakePool({ faults: { rateLimit: 0.1, serverError: 0.05, malformed: 0.05 }, seed: 9 });
  // A server that quotes the caller's key in its error, as some do on a 401: baton must scrub it.
  echo = await startOpenAIFake({
    override: () => ({
      status: 401,
      body: {
        error: {
          message: `Incorrect API key provided: ${ECHO_KEY}.`,
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
    }),
  });
});
afterAll(async () => {
  await pool.close();
  await echo.close();
});

describe('API keys', () => {
  it('reach the servers but no file the run writes: store, WAL, cache, cassette, reports, charts, budget record', async () => {
    const { file, config } = await faultRunConfig(pool, 6, {
      concurrency: 2,
      budget: { usd: 0.03, assumeMaxOutputTokens: 1024 },
    });
    const raw = parse(readFileSync(file, 'utf8')) as { pool: unknown[]; orchestrators: unknown[] };
    raw.pool.push({
      id: 'careless',
      provider: 'openai-compatible',
      baseUrl: echo.baseUrl,
      apiKeyEnv: 'ECHO_KEY',
      model: 'openai/gpt-5',
    });
    raw.orchestrators.unshift({ id: 'single-careless', family: 'single', agent: 'careless' });
    writeFileSync(file, stringify(raw));
    const loaded = await loadRunConfig(file);
    loaded.output = config.output;
    const env = { ...KEYS, ECHO_KEY };
    const outcome = await runBenchmark({
      config: loaded,
      env,
      command: 'test',
      sandbox,
      scorer,
      runId: 'keys',
      record: true,
    });
    await writeReport(outcome.runDir);

    // The keys were really used: each fake saw its own key.
    expect(pool.openai.served.some((s) => s.authorization === `Bearer ${KEYS.OPENAI_API_KEY}`)).toBe(true);
    expect(echo.served.some((s) => s.authorization === `Bearer ${ECHO_KEY}`)).toBe(true);

    const files = filesUnder(outcome.runDir);
    const names = files.map((f) => f.slice(outcome.runDir.length + 1));
    // The budget stopped the run part-way, so its stop record is among the files checked.
    expect(outcome.status).toBe('budget_exhausted');
    for (const expected of [
      'run.sqlite',
      'cassette.jsonl',
      'report.json',
      'report.md',
      'report.html',
      'budget-stop.json',
    ])
      expect(names).toContain(expected);
    for (const path of files) {
      const bytes = readFileSync(path);
      for (const secret of Object.values(env))
        expect(bytes.includes(secret), `${path} holds a key`).toBe(false);
    }
    // The careless server's message was kept, with the key scrubbed out.
    const everything = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(everything).toContain('Incorrect API key provided: [redacted]');
  }, 60_000);

  it('leave no 8-character fragment or masked rendering in any file or the journal, echoed back in answers, error bodies, headers and malformed JSON', async () => {
    const careless = await startFakePool({
      seed: 4,
      echoKey: ['answer', 'error_body', 'none', 'header', 'malformed', 'malformed_error', 'auth', 'none'],
    });
    try {
      const { config } = await faultRunConfig(careless, 8, { concurrency: 4 });
      const journal = join(config.output, 'echo', 'run.sqlite-responses.jsonl');
      // The journal is emptied by every commit: read it while the run writes it.
      let journaled = '';
      const watch = setInterval(() => {
        try {
          journaled += readFileSync(journal, 'utf8');
        } catch {
          // not created yet
        }
      }, 2);
      let outcome: Awaited<ReturnType<typeof runBenchmark>>;
      try {
        outcome = await runBenchmark({
          config,
          env: KEYS,
          command: 'test',
          sandbox,
          scorer,
          runId: 'echo',
          record: true,
        });
      } finally {
        clearInterval(watch);
      }
      await writeReport(outcome.runDir);

      // The fakes did echo each key in every way, to the clients that sent it.
      const served = [careless.openai, careless.anthropic, careless.gemini].flatMap((f) => f.served);
      expect(served.length).toBeGreaterThanOrEqual(7 * 3);
      expect(journaled.length, 'the journal was never seen with lines in it').toBeGreaterThan(0);

      const files = filesUnder(outcome.runDir);
      for (const expected of ['run.sqlite', 'cassette.jsonl', 'report.json', 'report.md', 'report.html'])
        expect(files.map((f) => f.slice(outcome.runDir.length + 1))).toContain(expected);
      const written = [
        ...files.map((path) => ({ path, text: readFileSync(path).toString('latin1') })),
        { path: 'journal', text: journaled },
      ];
      for (const { path, text } of written) {
        for (const key of Object.values(KEYS)) {
          expect(keyFragments(text, key), `${path} holds part of a key`).toEqual([]);
          expect(text.includes(maskedKey(key).slice(-28)), `${path} holds a masked key`).toBe(false);
        }
      }
      // What the careless servers said was kept, with the keys scrubbed out: answers, error messages
      // (masked key of the 401), error bodies in the cassette.
      const store = written.find((w) => w.path.endsWith('run.sqlite'))?.text ?? '';
      const cassette = written.find((w) => w.path.endsWith('cassette.jsonl'))?.text ?? '';
      expect(store).toContain('Your key is [redacted] ([redacted]). Answer ');
      expect(store).toContain('Incorrect API key provided: [redacted]');
      expect(cassette).toContain('[redacted] ([redacted]) failed:');
      expect(cassette).toContain('malformed_response');
    } finally {
      await careless.close();
    }
  }, 60_000);

  it('missing from the environment stop the run before any call, naming the variables', async () => {
    const { config } = await faultRunConfig(pool, 2);
    const before = pool.openai.served.length;
    await expect(
      runBenchmark({ config, env: {}, command: 'test', sandbox, scorer, runId: 'nokey' }),
    ).rejects.toThrow(/OPENAI_API_KEY/);
    expect(pool.openai.served.length).toBe(before);
    const gemini = await faultRunConfig(pool, 2);
    await expect(
      runBenchmark({
        config: gemini.config,
        env: { OPENAI_API_KEY: 'x', ANTHROPIC_API_KEY: 'y' },
        command: 'test',
        sandbox,
        scorer,
        runId: 'nokey2',
      }),
    ).rejects.toThrow(/GEMINI_API_KEY or GOOGLE_API_KEY/);
  });
});
