import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ServedRequest } from '../../src/providers/sim/server.js';
import { RunStore } from '../../src/store/run-store.js';
import {
  demoConfigCopy,
  distinctRequests,
  quickerDemo,
  readJsonLines,
  recordedSamples,
} from '../runner/helpers.js';
import { runCli, startCli } from './cli-process.js';

describe('SIGKILL mid-run, then --resume (real processes)', () => {
  it('ends with the uninterrupted sample set, no sample twice, no call repeated for samples finished before the kill', async () => {
    const { dir, file } = demoConfigCopy((t) => distinctRequests(quickerDemo(4)(t)));
    const dbFile = join(dir, 'k', 'run.sqlite');
    const log1 = join(dir, 'served-1.jsonl');
    const first = startCli(['run', file, '--output', dir, '--run-id', 'k', '--quiet'], {
      BATON_SIM_LOG: log1,
    });
    while (recordedSamples(dbFile, "status = 'ok'") < 30) {
      await sleep(50);
      expect(first.child.exitCode, 'run ended before it could be killed').toBeNull();
    }
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    const killed = new RunStore(dbFile);
    const planned = killed.getRun()?.planned ?? 0;
    expect(planned).toBe(5 * 12);
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
