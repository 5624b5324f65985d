import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunConfig } from '../../src/config/load.js';
import { estimateRunCost, formatEstimate } from '../../src/runner/estimate.js';
import { runBenchmark } from '../../src/runner/run.js';
import { type FakePool, faultRunConfig, KEYS, sandbox, scorer, startFakePool } from './fault-run.js';
import { repoRoot } from './helpers.js';

let pool: FakePool;
beforeAll(async () => {
  pool = await startFakePool({});
});
afterAll(() => pool.close());

describe('dry run cost estimate', () => {
  it('brackets what the run then really costs, without calling anything', async () => {
    const { config } = faultRunConfig(pool, 10);
    const estimate = estimateRunCost(config);
    expect(pool.openai.served.length + pool.anthropic.served.length + pool.gemini.served.length).toBe(0);
    const outcome = await runBenchmark({ config, env: KEYS, command: 'test', sandbox, scorer, runId: 'est' });
    expect(outcome.spentUsd).toBeGreaterThan(estimate.lowUsd);
    expect(outcome.spentUsd).toBeLessThan(estimate.highUsd);
    for (const row of estimate.rows) expect(row.lowUsd).toBeLessThan(row.highUsd);
  });

  it('prints a range per orchestrator and compares it with the budget', () => {
    const config = loadRunConfig(join(repoRoot, 'configs/openai.yaml'));
    const estimate = estimateRunCost(config);
    const text = formatEstimate(estimate, config.budget.usd);
    expect(text).toMatch(/^dry run: no model was called/);
    for (const o of config.orchestrators) expect(text).toContain(`  ${o.id}: 36 samples, $`);
    expect(text).toMatch(/total: \$\d+\.\d{4} … \$\d+\.\d{4}/);
    expect(text).toMatch(/budget\.usd \$5\.0000 (covers|is below)/);
    // Fusion calls every panelist plus a judge and a synthesis: it can cost more than one of its members alone.
    const row = (id: string) => estimate.rows.find((r) => r.orchestrator === id);
    expect(row('fusion')?.highUsd).toBeGreaterThan(row('single-gpt5')?.highUsd ?? Number.POSITIVE_INFINITY);
  });
});
