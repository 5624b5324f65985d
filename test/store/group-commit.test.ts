import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GROUP_COMMIT_MS, RunStore } from '../../src/store/run-store.js';
import { completion, inStoreProcess, sample } from './fixtures.js';

function open() {
  const file = join(mkdtempSync(join(tmpdir(), 'baton-group-commit-')), 'run.sqlite');
  const store = new RunStore(file);
  const other = new Database(file, { readonly: true });
  const committed = () => ({
    samples: (other.prepare('SELECT count(*) AS n FROM sample').get() as { n: number }).n,
    cached: (other.prepare('SELECT count(*) AS n FROM response_cache').get() as { n: number }).n,
  });
  return { file, store, other, committed };
}

describe('run store group commit', () => {
  it('commits the writes of a window together; its own reads see them at once', async () => {
    const { store, other, committed } = open();
    for (const id of ['a', 'b', 'c']) {
      store.cacheResponse(`k-${id}`, completion(id));
      store.saveSample(sample(id), []);
    }
    // Another connection (a report, a crash survivor) sees nothing until the window ends ...
    expect(committed()).toEqual({ samples: 0, cached: 0 });
    // ... while this store answers from what it holds.
    expect(store.cachedResponse('k-b')?.text).toBe('b');
    await sleep(GROUP_COMMIT_MS * 4);
    expect(committed()).toEqual({ samples: 3, cached: 3 });

    store.saveSample(sample('d'), []);
    expect(store.samples().map((s) => s.sampleId)).toEqual(['a', 'b', 'c', 'd']);
    expect(committed().samples).toBe(4);
    store.cacheResponse('k-e', completion('e'));
    store.close();
    expect(committed().cached).toBe(4);
    other.close();
  });

  it('keeps the first response cached under a key, as INSERT OR IGNORE does', () => {
    const { store, other } = open();
    store.cacheResponse('k', completion('first'));
    store.cacheResponse('k', completion('second'));
    store.flush();
    store.cacheResponse('k', completion('third'));
    expect(store.cachedResponse('k')?.text).toBe('first');
    store.close();
    other.close();
  });

  // A real process caches two responses and a sample, then dies inside the commit window: by SIGKILL
  // once its event-loop turn has ended (journal lines are written then), or by exiting mid-turn.
  it.each([
    [
      'killed by SIGKILL after the turn',
      'await new Promise((r) => setImmediate(r)); process.kill(process.pid, "SIGKILL");',
      'SIGKILL',
    ],
    ['exiting within the turn', 'process.exit(7);', null],
  ])(
    'loses no paid response when the process is %s before the commit: the journal brings it back',
    (_, death, signal) => {
      const file = join(mkdtempSync(join(tmpdir(), 'baton-group-commit-')), 'run.sqlite');
      const child = inStoreProcess(
        file,
        `store.cacheResponse('k1', c('one'));
         store.cacheResponse('k2', c('two'));
         store.saveSample({ sampleId: 's1', orchestrator: 'o', taskId: 't', suite: 's', status: 'ok', correct: true, session: 1 }, []);
         ${death}`,
      );
      expect(child.signal).toBe(signal);
      expect(readFileSync(`${file}-responses.jsonl`, 'utf8').split('\n')).toHaveLength(3);
      const reopened = new RunStore(file);
      expect(reopened.cachedResponse('k1')?.text).toBe('one');
      expect(reopened.cachedResponse('k2')?.text).toBe('two');
      // The sample of the lost window is not recorded: a resume runs it again, from the cache.
      expect(reopened.samples()).toEqual([]);
      reopened.close();
      expect(readFileSync(`${file}-responses.jsonl`, 'utf8')).toBe('');
    },
  );

  it('reports a commit that failed after the window once, holds what it was given, and rescues it to the journal', async () => {
    const { file, store: first, other } = open();
    first.close();
    other.close();
    const failures: unknown[] = [];
    const store = new RunStore(file, { onFailure: (f) => failures.push(f.error) });
    const saboteur = new Database(file);
    saboteur.exec('DROP TABLE response_cache');
    saboteur.close();
    store.cacheResponse('k', completion('held'));
    await sleep(GROUP_COMMIT_MS * 4);
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toMatch(/response_cache/);
    // Nothing more is written, nothing thrown: what arrives after the failure is held too.
    expect(() => store.saveSample(sample('a'), [])).not.toThrow();
    store.cacheResponse('k2', completion('also held'));
    expect(store.cachedResponse('k2')?.text).toBe('also held');
    expect(() => store.flush()).toThrow(/response_cache/);
    expect(store.rescue()).toEqual({ held: 2, savedIn: 'journal', lost: 0 });
    store.close();
    expect(failures).toHaveLength(1);
    // The next open recreates the table and imports both from the journal.
    const reopened = new RunStore(file);
    expect(reopened.cachedResponse('k')?.text).toBe('held');
    expect(reopened.cachedResponse('k2')?.text).toBe('also held');
    reopened.close();
  });
});
