import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadRunConfig } from '../../src/config/load.js';
import { writeReport } from '../../src/report/write.js';
import { runBenchmark } from '../../src/runner/run.js';
import { startOpenAIFake } from '../fakes/openai.js';
import type { FakeServer } from '../fakes/server.js';
import { type FakePool, faultRunConfig, KEYS, sandbox, scorer, startFakePool } from './fault-run.js';

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const ECHO_KEY = 'sk-or-v1-FAKEKEY-echoed-by-a-careless-server-77aa';

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
    const { file, config } = faultRunConfig(pool, 6, {
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
    const loaded = loadRunConfig(file);
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

  it('missing from the environment stop the run before any call, naming the variables', async () => {
    const { config } = faultRunConfig(pool, 2);
    const before = pool.openai.served.length;
    await expect(
      runBenchmark({ config, env: {}, command: 'test', sandbox, scorer, runId: 'nokey' }),
    ).rejects.toThrow(/OPENAI_API_KEY/);
    expect(pool.openai.served.length).toBe(before);
    const gemini = faultRunConfig(pool, 2);
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
