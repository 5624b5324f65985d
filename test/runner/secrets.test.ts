import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadRunConfig } from '../../src/config/load.js';
import { simProfileSchema } from '../../src/providers/sim/profile.js';
import { type SimServer, startSimServer } from '../../src/providers/sim/server.js';
import { writeReport } from '../../src/report/write.js';
import { runBenchmark } from '../../src/runner/run.js';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { createScorer } from '../../src/scoring/index.js';
import { loadSuite } from '../../src/suites/load.js';
import { demoConfigCopy, repoRoot } from './helpers.js';

const SECRET = 'sk-test-7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c2e';

interface PoolEntry {
  id: string;
  model: string;
  provider: string;
  sim?: unknown;
  [key: string]: unknown;
}

let server: SimServer;
let pool: PoolEntry[];

beforeAll(async () => {
  const demo = parse(readFileSync(join(repoRoot, 'configs/demo.yaml'), 'utf8')) as { pool: PoolEntry[] };
  pool = demo.pool;
  const tasks = ['code', 'math', 'mcq'].flatMap((k) =>
    loadSuite(join(repoRoot, 'suites/demo', `${k}.yaml`), { limit: 2 }),
  );
  server = await startSimServer({
    agents: pool.map((a) => ({
      id: a.id,
      model: a.model,
      profile: simProfileSchema.parse({ ...(a.sim as object), firstTokenMs: 1, tokensPerSecond: 1e6 }),
    })),
    tasks,
  });
});
afterAll(() => server.close());

describe('API keys', () => {
  it('are read from the environment and never written to the store, traces or reports', async () => {
    const { dir, file } = demoConfigCopy();
    const config = parse(readFileSync(file, 'utf8')) as { pool: PoolEntry[]; suites: { limit?: number }[] };
    config.pool = pool.map(({ sim: _sim, ...agent }) => ({
      ...agent,
      provider: 'openai-compatible',
      baseUrl: server.url,
      apiKeyEnv: 'BATON_TEST_KEY',
    }));
    for (const s of config.suites) s.limit = 2;
    writeFileSync(file, stringify(config));

    const loaded = loadRunConfig(file);
    loaded.output = dir;
    const sandbox = createLocalSandbox();
    try {
      const outcome = await runBenchmark({
        config: loaded,
        env: { BATON_TEST_KEY: SECRET },
        command: 'test',
        sandbox,
        scorer: createScorer({ sandbox }),
        runId: 'keys',
      });
      expect(outcome.status).toBe('complete');
      const { report } = writeReport(outcome.runDir);
      expect(report.simulated).toBe(false);
      expect(report.samples.recorded).toBe(24);
      for (const name of readdirSync(outcome.runDir)) {
        expect(readFileSync(join(outcome.runDir, name)).includes(SECRET), name).toBe(false);
      }
    } finally {
      await sandbox.close();
    }
  });

  it('missing from the environment stop the run before any call, naming the variable', async () => {
    const { dir, file } = demoConfigCopy();
    const config = parse(readFileSync(file, 'utf8')) as { pool: PoolEntry[] };
    config.pool = pool.map(({ sim: _sim, ...agent }) => ({
      ...agent,
      provider: 'openai-compatible',
      baseUrl: server.url,
      apiKeyEnv: 'BATON_ABSENT_KEY',
    }));
    writeFileSync(file, stringify(config));
    const loaded = loadRunConfig(file);
    loaded.output = dir;
    const sandbox = createLocalSandbox();
    await expect(
      runBenchmark({
        config: loaded,
        env: {},
        command: 'test',
        sandbox,
        scorer: createScorer({ sandbox }),
        runId: 'nokey',
      }),
    ).rejects.toThrow(/BATON_ABSENT_KEY/);
    await sandbox.close();
  });
});
