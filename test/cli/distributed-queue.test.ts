import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src/store/run-store.js';
import { REDIS_URL, skipRedis } from '../queue/redis.js';
import { demoConfigCopy, quickerDemo, recordedSamples } from '../runner/helpers.js';
import { runCli, startCli } from './cli-process.js';

describe.skipIf(skipRedis)('distributed run on BullMQ + Redis (real processes)', () => {
  it('records every sample exactly once with results equal to a single-process run, after a worker is SIGKILLed mid-run', async () => {
    const { dir, file } = demoConfigCopy(quickerDemo(6));
    const queueName = `test-${randomBytes(4).toString('hex')}`;
    const queue = ['--queue', REDIS_URL, '--queue-name', queueName];
    // Short locks: a killed worker's jobs go back to the queue within about 2 s.
    const workers = [0, 1, 2].map(() =>
      startCli(['worker', ...queue, '--concurrency', '2', '--lock-ms', '2000', '--config', file]),
    );
    try {
      const dbFile = join(dir, 'd', 'run.sqlite');
      const coordinator = startCli(['run', file, ...queue, '--output', dir, '--run-id', 'd', '--quiet']);
      while (recordedSamples(dbFile) < 20) {
        await sleep(50);
        expect(coordinator.child.exitCode, 'run ended before a worker could be killed').toBeNull();
      }
      const victim = workers[0];
      victim?.child.kill('SIGKILL');
      expect((await victim?.done)?.signal).toBe('SIGKILL');
      const finished = await coordinator.done;
      expect(finished.code, finished.stderr).toBe(0);

      const store = new RunStore(dbFile);
      const planned = store.getRun()?.planned ?? 0;
      const samples = store.samples();
      const events = store.events();
      store.close();
      expect(planned).toBeGreaterThan(40);
      expect(samples).toHaveLength(planned);
      expect(new Set(samples.map((s) => s.sampleId)).size).toBe(planned);
      expect(samples.filter((s) => s.status !== 'ok')).toEqual([]);
      // One trace per sample: no event twice (the store's key is (sample, step)) and every sample traced.
      expect(new Set(events.map((e) => `${e.sampleId}#${e.step}`)).size).toBe(events.length);
      expect(new Set(events.map((e) => e.sampleId)).size).toBe(planned);

      // Same outcome as one process with the same seed: the simulated pool is deterministic.
      const single = await runCli(['run', file, '--output', dir, '--run-id', 'single', '--quiet']);
      expect(single.code, single.stderr).toBe(0);
      const reference = new RunStore(join(dir, 'single', 'run.sqlite'));
      const expected = reference.samples();
      reference.close();
      const view = (s: (typeof samples)[number]) => [s.sampleId, s.status, s.correct, s.answer, s.calls];
      expect(samples.map(view)).toEqual(expected.map(view));
    } finally {
      for (const w of workers)
        if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.done));
    }
  }, 240_000);
});
