import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark } from '../../src/runner/run.js';
import { InterruptedError, StorageFailedError } from '../../src/util/errors.js';
import { type FakePool, faultRunConfig, KEYS, sandbox, scorer, startFakePool } from './fault-run.js';

let pool: FakePool;
beforeAll(async () => {
  // Every answer takes ~400 ms to arrive: a stop always finds calls in flight.
  pool = await startFakePool({ faults: { slowBody: 1 }, slowBodyMs: 400, seed: 3 });
});
afterAll(() => pool.close());

const served = () => [pool.openai, pool.anthropic, pool.gemini].reduce((n, f) => n + f.served.length, 0);

describe('a run stopped by its signal (what SIGINT/SIGTERM do in the CLI)', () => {
  it('starts no call after the stop, stores every answer in flight, and a resume buys each call once', async () => {
    // 30 tasks × 4 single-call orchestrators = 120 calls, 32 at a time.
    const { config, dir } = await faultRunConfig(pool, 30);
    const stop = new AbortController();
    const run = runBenchmark({
      config,
      env: KEYS,
      command: 'test',
      sandbox,
      scorer,
      runId: 'stopped',
      signal: stop.signal,
    });
    while (served() < 40) await sleep(5);
    stop.abort(new InterruptedError('SIGINT'));
    // Requests already on the wire reach the fake within a few ms; anything later is a new call.
    await sleep(100);
    const inFlightAtStop = served();
    await expect(run).rejects.toBeInstanceOf(InterruptedError);
    expect(served()).toBe(inFlightAtStop);
    expect(inFlightAtStop).toBeLessThan(120);

    const db = new Database(join(dir, 'stopped', 'run.sqlite'), { readonly: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    // Every answer the fakes sent was stored, the in-flight ones included.
    expect(count('SELECT count(*) AS n FROM response_cache')).toBe(inFlightAtStop);
    expect((db.prepare('SELECT status FROM run').get() as { status: string }).status).toBe('interrupted');
    db.close();

    const resumed = await runBenchmark({
      config,
      env: KEYS,
      command: 'test',
      sandbox,
      scorer,
      resume: 'stopped',
    });
    expect(resumed.status).toBe('complete');
    // 120 distinct calls, each bought exactly once over both sessions.
    expect(served()).toBe(120);
  }, 60_000);

  it('a cassette that cannot be written (/dev/full) stops the run like a full store: exit-5 error naming it', async () => {
    const { config, dir } = await faultRunConfig(pool, 30);
    const before = served();
    const run = runBenchmark({
      config,
      env: KEYS,
      command: 'test',
      sandbox,
      scorer,
      runId: 'cassette',
      record: '/dev/full',
      onWarning: () => {},
    });
    await expect(run).rejects.toBeInstanceOf(StorageFailedError);
    await expect(run).rejects.toThrow(/storage failed: ENOSPC.*\/dev\/full/);
    // Only the first wave (32 samples in flight, one call each) was bought; each answer is stored.
    const bought = served() - before;
    expect(bought).toBeGreaterThan(0);
    expect(bought).toBeLessThanOrEqual(32);
    const db = new Database(join(dir, 'cassette', 'run.sqlite'), { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM response_cache').get() as { n: number }).n).toBe(bought);
    db.close();
  }, 60_000);
});
