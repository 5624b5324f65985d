import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunConfig } from '../../src/config/load.js';
import type { ServedRequest } from '../../src/providers/sim/server.js';
import { runBenchmark } from '../../src/runner/run.js';
import { RunStore } from '../../src/store/run-store.js';
import { sandbox, scorer } from './fault-run.js';
import { demoConfigCopy, distinctRequests, readJsonLines } from './helpers.js';

const fastPool = (text: string) =>
  text
    .replace(/firstTokenMs: \d+/g, 'firstTokenMs: 1')
    .replace(/tokensPerSecond: \d+/g, 'tokensPerSecond: 1000000')
    .replace(/concurrency: \d+/, 'concurrency: 6');

describe('budget stop and resume', () => {
  it('stops at the budget, then a resume finishes every sample once without repeating a paid call', async () => {
    const { dir, file } = demoConfigCopy((t) =>
      distinctRequests(
        fastPool(t).replace('seed: 20261125', 'seed: 7\nbudget: { usd: 0.3, assumeMaxOutputTokens: 2048 }'),
      ),
    );
    const first = await loadRunConfig(file);
    first.output = dir;
    const log1 = join(dir, 'served-1.jsonl');
    const stopped = await runBenchmark({
      config: first,
      env: { BATON_SIM_LOG: log1 },
      command: 'test',
      sandbox,
      scorer,
      runId: 'r',
    });
    expect(stopped.status).toBe('budget_exhausted');

    const store = new RunStore(join(stopped.runDir, 'run.sqlite'));
    const before = store.samples();
    const run = store.getRun();
    // The store knows what the run paid, calls of the samples the stop cut short included: a resume
    // counts it against the budget.
    const prior = store.priorSpending();
    store.close();
    expect(prior.usd).toBeCloseTo(stopped.spentUsd, 10);
    expect(prior.usd).toBeGreaterThan(before.reduce((sum, s) => sum + s.costUsd, 0) + 1e-9);
    expect([...(prior.samples?.values() ?? [])].reduce((n, s) => n + s.n, 0)).toBe(before.length);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(run?.planned ?? 0);

    const second = await loadRunConfig(file);
    second.output = dir;
    second.budget = { assumeMaxOutputTokens: 2048 };
    const log2 = join(dir, 'served-2.jsonl');
    const resumed = await runBenchmark({
      config: second,
      env: { BATON_SIM_LOG: log2 },
      command: 'test',
      sandbox,
      scorer,
      resume: true,
    });
    expect(resumed).toMatchObject({ status: 'complete', runId: 'r' });

    const after = new RunStore(join(resumed.runDir, 'run.sqlite'));
    const samples = after.samples();
    const events = after.events();
    after.close();
    expect(samples).toHaveLength(run?.planned ?? -1);
    expect(new Set(samples.map((s) => s.sampleId)).size).toBe(samples.length);
    // Samples finished before the stop are untouched by the resume.
    for (const s of before) expect(samples.find((x) => x.sampleId === s.sampleId)).toEqual(s);

    const key = (r: ServedRequest) => `${r.model}|${r.seed}|${r.digest}`;
    const servedFirst = new Set(readJsonLines<ServedRequest>(log1).map(key));
    const servedSecond = readJsonLines<ServedRequest>(log2).map(key);
    expect(servedFirst.size).toBeGreaterThan(0);
    // Nothing answered (and paid for) before the stop is requested again after it.
    expect(servedSecond.filter((k) => servedFirst.has(k))).toEqual([]);
    // Calls answered before the stop inside unfinished samples are replayed from the cache.
    const cachedInResume = events.filter((e) => e.kind === 'call' && e.cached);
    expect(cachedInResume.length).toBeGreaterThan(0);
    for (const e of cachedInResume) {
      const digest = createHash('sha256').update(JSON.stringify(e.request.messages)).digest('hex');
      expect(servedFirst.has(`${e.model}|${e.request.seed}|${digest}`)).toBe(true);
    }
  });

  it('refuses to resume when the config changed, naming the run, its file and the field', async () => {
    const { dir, file } = demoConfigCopy((t) =>
      fastPool(t).replace('seed: 20261125', 'seed: 7\nbudget: { usd: 0.001 }'),
    );
    const config = await loadRunConfig(file);
    config.output = dir;
    await runBenchmark({ config, env: {}, command: 'test', sandbox, scorer, runId: 'r' });
    const changed = await loadRunConfig(file);
    changed.output = dir;
    changed.seed = 8;
    changed.hash = 'different';
    await expect(
      runBenchmark({ config: changed, env: {}, command: 'test', sandbox, scorer, resume: 'r' }),
    ).rejects.toThrow(/^cannot resume r \(made from .*\.yaml\) .*a field differs — seed: 7 → 8/);
  });
});
