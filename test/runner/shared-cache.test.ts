import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCassette } from '../../src/providers/replay/cassette.js';
import { runBenchmark } from '../../src/runner/run.js';
import type { SharedCacheChoice } from '../../src/runner/shared-cache.js';
import { RunStore } from '../../src/store/run-store.js';
import { SHARED_CACHE_FILE } from '../../src/store/shared-cache.js';
import { type FakePool, faultRunConfig, KEYS, sandbox, scorer, startFakePool } from './fault-run.js';

let pool: FakePool;
beforeAll(async () => {
  pool = await startFakePool({ seed: 21 });
});
afterAll(() => pool.close());

const served = () => pool.openai.served.length + pool.anthropic.served.length + pool.gemini.served.length;

/** Entries of the cache file per model. */
function entriesByModel(dir: string): Record<string, number> {
  const db = new Database(join(dir, SHARED_CACHE_FILE), { readonly: true });
  try {
    const rows = db.prepare('SELECT model, count(*) AS n FROM response GROUP BY model').all() as {
      model: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.model, r.n]));
  } finally {
    db.close();
  }
}

// 5 tasks × 4 pool members (one `single` orchestrator each): 20 calls per run.
const TASKS = 5;
const CALLS = 20;

describe('the shared response cache under the runner', () => {
  const shared: SharedCacheChoice = { dir: mkdtempSync(join(tmpdir(), 'baton-shared-')), mode: 'read-write' };
  const run = async (runId: string, extra: Record<string, unknown> = {}, more: object = {}) => {
    const { config } = await faultRunConfig(pool, TASKS, { concurrency: 4, ...extra });
    return runBenchmark({
      config,
      env: KEYS,
      command: 'test',
      sandbox,
      scorer,
      runId,
      sharedCache: shared,
      ...more,
    });
  };

  it('caches no call refused by an injected outage: a run without the fault sends exactly those', async () => {
    const faulty = await run('faulty', { faults: [{ agent: 'sonnet', kind: 'outage', afterSamples: 0 }] });
    expect(faulty.calls).toMatchObject({ sent: CALLS - TASKS, fromShared: 0 });
    expect(entriesByModel(shared.dir)['claude-sonnet-4-20250514']).toBeUndefined();
    const before = served();
    const clean = await run('clean');
    expect(clean.calls).toMatchObject({ sent: TASKS, fromShared: CALLS - TASKS, fromRun: 0 });
    expect(served() - before).toBe(TASKS);
    const store = new RunStore(join(clean.runDir, 'run.sqlite'));
    try {
      expect(store.samples().every((s) => s.status === 'ok')).toBe(true);
    } finally {
      store.close();
    }
  }, 120_000);

  it('a resume does not count answers from the shared cache as spent by the run', async () => {
    const outcome = await run('hits');
    expect(outcome.calls).toMatchObject({ sent: 0, fromShared: CALLS });
    expect(outcome.spentUsd).toBe(0);
    const store = new RunStore(join(outcome.runDir, 'run.sqlite'));
    try {
      // The run's store has every answer (a resume reads it first), marked as paid by another run.
      expect(store.priorSpending().usd).toBe(0);
      expect(store.samples().reduce((n, s) => n + s.costUsd, 0)).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  }, 60_000);

  it('--record sends every call (the cassette holds them all) and --replay leaves the cache alone', async () => {
    const before = served();
    const recorded = await run('rec', {}, { record: true });
    expect(served() - before).toBe(CALLS);
    expect(recorded.calls).toMatchObject({ sent: CALLS, fromShared: 0 });
    expect(recorded.sharedCache).toMatchObject({ read: false, mode: 'read-write' });
    expect(readCassette(recorded.cassette as string).calls.size).toBe(CALLS);

    const entries = entriesByModel(shared.dir);
    const replayed = await run('replayed', {}, { replayFrom: recorded.cassette });
    expect(replayed.sharedCache).toEqual({ off: 'replay' });
    expect(replayed.calls).toMatchObject({ fromShared: 0 });
    expect(entriesByModel(shared.dir)).toEqual(entries);
  }, 120_000);

  it('never caches a failed call', async () => {
    const failing = await startFakePool({ seed: 22, faults: { serverError: 1 } });
    const dir = mkdtempSync(join(tmpdir(), 'baton-shared-'));
    try {
      const { config } = await faultRunConfig(failing, 2, {
        concurrency: 4,
        retries: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
      });
      const outcome = await runBenchmark({
        config,
        env: KEYS,
        command: 'test',
        sandbox,
        scorer,
        runId: 'failing',
        sharedCache: { dir, mode: 'read-write' },
      });
      expect(outcome.calls.sent).toBe(8);
      expect(entriesByModel(dir)).toEqual({});
    } finally {
      await failing.close();
    }
  }, 60_000);
});
