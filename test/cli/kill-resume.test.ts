import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ServedRequest } from '../../src/providers/sim/server.js';
import { RunStore } from '../../src/store/run-store.js';
import { demoConfigCopy, readJsonLines } from '../runner/helpers.js';
import { runCli, startCli } from './cli-process.js';

// The demo config on 4 tasks per suite with latencies cut tenfold: the run lasts seconds and the kill lands mid-run.
const quicker = (text: string) =>
  text
    .replace(/firstTokenMs: (\d+)/g, (_, ms: string) => `firstTokenMs: ${Math.round(Number(ms) / 10)}`)
    .replace(/tokensPerSecond: (\d+)/g, (_, tps: string) => `tokensPerSecond: ${Number(tps) * 10}`)
    .replace(/concurrency: \d+/, 'concurrency: 4')
    .replaceAll(/(path: .*\.yaml)/g, '$1\n    limit: 4');

function finishedCount(dbFile: string): number {
  if (!existsSync(dbFile)) return 0;
  try {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM sample WHERE status = 'ok'").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // tables not created yet
  }
}

describe('SIGKILL mid-run, then --resume (real processes)', () => {
  it('ends with the uninterrupted sample set, no sample twice, no call repeated for samples finished before the kill', async () => {
    const { dir, file } = demoConfigCopy(quicker);
    const dbFile = join(dir, 'k', 'run.sqlite');
    const log1 = join(dir, 'served-1.jsonl');
    const first = startCli(['run', file, '--output', dir, '--run-id', 'k', '--quiet'], {
      BATON_SIM_LOG: log1,
    });
    while (finishedCount(dbFile) < 30) {
      await sleep(50);
      expect(first.child.exitCode, 'run ended before it could be killed').toBeNull();
    }
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    const killed = new RunStore(dbFile);
    const planned = killed.getRun()?.planned ?? 0;
    expect(planned).toBe(15 * 12);
    const before = killed.samples();
    const beforeEvents = killed.events();
    killed.close();
    expect(before.length).toBeGreaterThanOrEqual(30);
    expect(before.length).toBeLessThan(planned);

    const log2 = join(dir, 'served-2.jsonl');
    const resumed = await runCli(['run', file, '--output', dir, '--resume', '--quiet'], {
      BATON_SIM_LOG: log2,
    });
    expect(resumed.code, resumed.stderr).toBe(0);

    const store = new RunStore(dbFile);
    const samples = store.samples();
    store.close();
    expect(samples).toHaveLength(planned);
    expect(new Set(samples.map((s) => s.sampleId)).size).toBe(planned);
    for (const s of before) expect(samples.find((x) => x.sampleId === s.sampleId)).toEqual(s);

    // No request of the second process belongs to a sample finished before the kill.
    const key = (model: string, seed: number | undefined, digest: string) => `${model}|${seed}|${digest}`;
    const finishedCalls = new Set(
      beforeEvents.map((e) =>
        key(
          e.model,
          e.request.seed,
          createHash('sha256').update(JSON.stringify(e.request.messages)).digest('hex'),
        ),
      ),
    );
    const served = readJsonLines<ServedRequest>(log2);
    expect(served.length).toBeGreaterThan(0);
    expect(served.filter((r) => finishedCalls.has(key(r.model, r.seed, r.digest)))).toEqual([]);

    // Same outcome as a run that was never interrupted: the simulated pool is deterministic.
    const clean = await runCli(['run', file, '--output', dir, '--run-id', 'clean', '--quiet']);
    expect(clean.code, clean.stderr).toBe(0);
    const reference = new RunStore(join(dir, 'clean', 'run.sqlite'));
    const uninterrupted = reference.samples();
    reference.close();
    expect(samples.map((s) => [s.sampleId, s.correct])).toEqual(
      uninterrupted.map((s) => [s.sampleId, s.correct]),
    );
    expect(readJsonLines(log1).length).toBeGreaterThan(0);
  }, 180_000);
});
