import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PricedPoolMember } from '../../src/config/load.js';
import { loadRunConfig } from '../../src/config/load.js';
import {
  estimateRunCost,
  extrapolatePilot,
  formatEstimate,
  HIGH_OUTPUT_FACTOR,
  outputTokensOf,
} from '../../src/runner/estimate.js';
import { runBenchmark } from '../../src/runner/run.js';
import { type FakePool, faultRunConfig, KEYS, sandbox, scorer, startFakePool } from './fault-run.js';
import { repoRoot } from './helpers.js';

let pool: FakePool;
beforeAll(async () => {
  pool = await startFakePool({});
});
afterAll(() => pool.close());

const member = (extra: Partial<PricedPoolMember>): PricedPoolMember => ({
  id: 'a',
  provider: 'openai',
  model: 'gpt-5',
  params: {},
  price: { input: 1, output: 10 },
  ...extra,
});

describe('dry run cost estimate', () => {
  it('lands near what the run then really costs when output lengths are known, without calling anything', async () => {
    // The fakes answer with about this many output tokens per call (answer + reasoning, test/fakes/counts.ts).
    const { config } = await faultRunConfig(pool, 10);
    const measuredOutput = 60;
    for (const agent of config.pool) agent.expectedOutputTokens = measuredOutput;
    const estimate = estimateRunCost(config);
    expect(pool.openai.served.length + pool.anthropic.served.length + pool.gemini.served.length).toBe(0);
    const outcome = await runBenchmark({ config, env: KEYS, command: 'test', sandbox, scorer, runId: 'est' });
    // The fakes bill half of long prompts as cache reads, which the estimate does not assume: the
    // p50 may run above the bill, never far below it, and the p95 covers it.
    expect(outcome.spentUsd).toBeLessThanOrEqual(estimate.p95Usd);
    expect(outcome.spentUsd).toBeGreaterThan(estimate.p50Usd / 2);
    expect(outcome.spentUsd).toBeLessThan(estimate.p50Usd * 2);
    for (const row of estimate.rows) expect(row.p50Usd).toBeLessThan(row.p95Usd);
  });

  it("takes each agent's expected output from the config, a simulated agent's profile, else its cap", () => {
    expect(
      outputTokensOf(member({ expectedOutputTokens: 700, params: { maxTokens: 1000 } }), 32_768),
    ).toEqual({
      agentId: 'a',
      expected: 700,
      high: 1000, // HIGH_OUTPUT_FACTOR × 700, capped by maxTokens
      source: 'config',
    });
    const sim = member({ provider: 'sim', sim: { outputTokens: 200, reasoningTokens: 300 } });
    expect(outputTokensOf(sim, 32_768)).toMatchObject({
      expected: 500,
      high: 500 * HIGH_OUTPUT_FACTOR,
      source: 'sim profile',
    });
    expect(outputTokensOf(member({ params: { maxTokens: 4096 } }), 32_768)).toMatchObject({
      expected: 4096,
      high: 4096,
      source: 'params.maxTokens',
    });
    expect(outputTokensOf(member({}), 9000)).toMatchObject({
      expected: 9000,
      high: 9000,
      source: 'budget.assumeMaxOutputTokens',
    });
  });

  it('prints p50 and p95 per orchestrator and the total beside the budget', async () => {
    const config = await loadRunConfig(join(repoRoot, 'configs/openai.yaml'));
    const estimate = estimateRunCost(config);
    const text = formatEstimate(estimate, config.budget.usd);
    expect(text).toMatch(/^dry run: no model was called/);
    for (const o of config.orchestrators)
      expect(text).toMatch(
        new RegExp(`\\n  ${o.id} +36 samples  p50 +\\$\\d+\\.\\d{4}  p95 +\\$\\d+\\.\\d{4}\\n`),
      );
    expect(text).toMatch(
      /\n {2}total +108 samples {2}p50 +\$[\d.]+ {2}p95 +\$[\d.]+ {3}budget\.usd \$5\.0000 /,
    );
    // Fusion calls every panelist plus a judge and a synthesis: it costs more than one of its members alone.
    const row = (id: string) => estimate.rows.find((r) => r.orchestrator === id);
    expect(row('fusion')?.p50Usd).toBeGreaterThan(row('single-gpt5')?.p50Usd ?? Number.POSITIVE_INFINITY);
    // No expected output known for these real models: their cap is used, and the printout says so.
    expect(text).toContain('gpt5 8192 / 8192 (params.maxTokens)');
  });

  it('compares the budget with both figures', async () => {
    const config = await loadRunConfig(join(repoRoot, 'configs/demo.yaml'));
    const estimate = estimateRunCost(config);
    const between = (estimate.p50Usd + estimate.p95Usd) / 2;
    expect(formatEstimate(estimate, estimate.p95Usd * 2)).toMatch(/ covers the p95 high\n/);
    expect(formatEstimate(estimate, between)).toMatch(
      / covers the p50, not the p95 high: the run may stop early/,
    );
    expect(formatEstimate(estimate, estimate.p50Usd / 2)).toMatch(
      / is below the p50: expect the run to stop early/,
    );
    expect(formatEstimate(estimate, undefined)).toMatch(/no budget\.usd: nothing caps the spending/);
  });
});

describe('pilot extrapolation', () => {
  it('scales the mean cost per sample to the full run; the p95 widens with the spread and shrinks with more pilot samples', () => {
    const samples = new Map([['o', 100]]);
    const meta = { tasks: 4, runDir: 'r' };
    const flat = extrapolatePilot(new Map([['o', [0.01, 0.01, 0.01, 0.01]]]), samples, meta);
    expect(flat.p50Usd).toBeCloseTo(1, 10);
    expect(flat.p95Usd).toBeCloseTo(1, 10); // no spread measured, no margin
    const spread = extrapolatePilot(new Map([['o', [0.005, 0.015, 0.005, 0.015]]]), samples, meta);
    expect(spread.p50Usd).toBeCloseTo(1, 10);
    expect(spread.p95Usd).toBeGreaterThan(spread.p50Usd);
    const more = extrapolatePilot(
      new Map([['o', [0.005, 0.015, 0.005, 0.015, 0.005, 0.015, 0.005, 0.015]]]),
      samples,
      meta,
    );
    expect(more.p95Usd).toBeLessThan(spread.p95Usd);
    expect(more.p95Usd).toBeGreaterThan(more.p50Usd);
    // An orchestrator without a finished pilot sample has no figure.
    expect(extrapolatePilot(new Map(), samples, meta).rows[0]?.unknown).toBe(true);
  });
});
