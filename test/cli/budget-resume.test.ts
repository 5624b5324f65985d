import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadRunConfig } from '../../src/config/load.js';
import { costUsd } from '../../src/providers/cost.js';
import { resolvePrices } from '../../src/providers/prices.js';
import { RunStore } from '../../src/store/run-store.js';
import { type FakePool, faultRunConfig, KEYS, startFakePool } from '../runner/fault-run.js';
import { runCli } from './cli-process.js';

const CONCURRENCY = 2;

let pool: FakePool;
beforeAll(async () => {
  pool = await startFakePool({ seed: 3 });
});
afterAll(async () => {
  await pool.close();
});

/** Requests the three fakes received so far. */
const served = () => pool.openai.served.length + pool.anthropic.served.length + pool.gemini.served.length;

describe('the budget is the run’s, across --resume (real processes, real SDKs against the fakes)', () => {
  it('same cap: exit 3 at once, no call; higher cap: goes on, the total held to the new cap; done: budget-stop.json goes; a replay spends $0', async () => {
    const { dir, file } = await faultRunConfig(pool, 30);
    const raw = parse(readFileSync(file, 'utf8')) as {
      pool: { id: string; params?: Record<string, unknown> }[];
      concurrency: number;
      budget?: Record<string, unknown>;
    };
    // Small worst cases (96 output tokens a call; the fakes bill at most ~60), so the reservations for
    // calls in flight are small beside what a session spends.
    for (const agent of raw.pool) agent.params = { maxTokens: 96 };
    raw.concurrency = CONCURRENCY;
    const withCap = (usd: number) => {
      raw.budget = { usd, assumeMaxOutputTokens: 96 };
      writeFileSync(file, stringify(raw));
    };
    withCap(1);
    const { pool: priced } = resolvePrices((await loadRunConfig(file)).pool);
    const priceOf = (id: string) => priced.find((a) => a.id === id)?.price ?? { input: NaN, output: NaN };
    /** USD the fakes billed so far, and the dearest single call. */
    const billed = () => {
      const costs = [
        ...pool.openai.served.map((s) => ({
          s,
          agent: s.path.endsWith('/responses') ? 'gpt5mini-responses' : 'gpt5-chat',
        })),
        ...pool.anthropic.served.map((s) => ({ s, agent: 'sonnet' })),
        ...pool.gemini.served.map((s) => ({ s, agent: 'gemini-pro' })),
      ].map(({ s, agent }) => (s.billed ? costUsd(s.billed, priceOf(agent)) : 0));
      return { usd: costs.reduce((a, b) => a + b, 0), dearest: Math.max(0, ...costs) };
    };
    const run = (...extra: string[]) =>
      runCli(['run', file, '--output', dir, '--quiet', '--record', ...extra], KEYS);
    const stopFile = join(dir, 'b', 'budget-stop.json');
    const planned = 30 * 4;

    // 1. The cap is hit part-way.
    withCap(0.02);
    const first = await run('--run-id', 'b');
    expect(first.code, first.stderr).toBe(3);
    expect(first.stdout).toContain('status: budget_exhausted');
    expect(existsSync(stopFile)).toBe(true);
    const afterFirst = served();
    expect(afterFirst).toBeGreaterThan(0);
    expect(billed().usd).toBeLessThanOrEqual(0.02 + CONCURRENCY * billed().dearest);

    // 2. Resumed with the same cap: refused at once, nothing sent, the way on named.
    const same = await run('--resume', 'b');
    expect(same.code, same.stderr).toBe(3);
    expect(served()).toBe(afterFirst);
    expect(same.stdout).toContain('spent this session: $0.000000');
    expect(same.stdout).toMatch(/resume refused: .*raise budget\.usd in .*run\.yaml to continue/);
    expect(JSON.parse(readFileSync(stopFile, 'utf8')).reason).toMatch(/resume refused/);

    // 3. A higher cap: the run goes on, and earlier spending counts against it (without that, this
    // session alone could spend the whole new cap).
    withCap(0.05);
    const higher = await run('--resume', 'b');
    expect(higher.code, higher.stderr).toBe(3);
    expect(served()).toBeGreaterThan(afterFirst);
    const atHigher = billed();
    console.info(
      `budget across resume: $${atHigher.usd.toFixed(6)} billed at cap $0.05 (dearest call $${atHigher.dearest.toFixed(6)})`,
    );
    expect(atHigher.usd).toBeLessThanOrEqual(0.05 + CONCURRENCY * atHigher.dearest);
    // Reservations of every call's worst case hold it under the cap itself.
    expect(atHigher.usd).toBeLessThanOrEqual(0.05);

    // 4. Enough to finish: every sample, once; no budget stop left behind.
    withCap(1);
    const done = await run('--resume', 'b');
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('status: complete');
    expect(existsSync(stopFile)).toBe(false);
    const store = new RunStore(join(dir, 'b', 'run.sqlite'));
    const samples = store.samples();
    const spent = store.priorSpending().usd;
    store.close();
    expect(samples).toHaveLength(planned);
    const total = billed();
    expect(total.usd).toBeLessThanOrEqual(1);
    // The store's record of what was paid is what the fakes billed.
    expect(spent).toBeCloseTo(total.usd, 10);
    // The full run costs more than the middle cap: step 3 could only stop where it did by counting
    // what steps 1 and 2 had spent.
    expect(total.usd).toBeGreaterThan(0.05 + CONCURRENCY * total.dearest);

    // 5. A replay of the recording spends nothing and ignores the budget; asked, it stops on the
    // recorded costs as the recorded run did.
    const requests = served();
    const cassette = join(dir, 'b', 'cassette.jsonl');
    withCap(0.02);
    const replay = await runCli([
      'run',
      file,
      '--output',
      dir,
      '--quiet',
      '--run-id',
      'r',
      '--replay',
      cassette,
    ]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain('status: complete');
    expect(replay.stdout).toContain('spent this session: $0.000000');
    const capped = await runCli([
      'run',
      file,
      '--output',
      dir,
      '--quiet',
      '--run-id',
      'rb',
      '--replay',
      cassette,
      '--replay-budget',
    ]);
    expect(capped.code, capped.stderr).toBe(3);
    expect(capped.stdout).toContain('status: budget_exhausted');
    expect(capped.stdout).toContain('spent this session: $0.000000');
    expect(served()).toBe(requests);
    const refused = await runCli(['run', file, '--output', dir, '--run-id', 'x', '--replay-budget'], KEYS);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('error: --replay-budget needs --replay\n');
  }, 240_000);
});
