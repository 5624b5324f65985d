import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { CachedCompletion } from '../../src/providers/types.js';
import { SHARED_CACHE_FILE, SharedCache, SharedCacheError } from '../../src/store/shared-cache.js';

const answer = (text: string): CachedCompletion => ({
  text,
  usage: { input: 10, output: 5, reasoning: 0, cachedInput: 0, cacheWrite: 0, cacheWrite1h: 0 },
  latencyMs: 12,
  provenance: 'live',
  costUsd: 0.001,
});
const write = (text: string) => ({
  completion: answer(text),
  runId: 'r1',
  provider: 'openai',
  model: 'gpt-5',
});

describe('the shared response cache file', () => {
  it('serves what a run wrote to a later process, with the run that bought it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-shared-'));
    const writer = SharedCache.open(dir, 'read-write') as SharedCache;
    writer.store('k1', write('first'));
    // Held answers are served before they reach the file.
    expect(writer.lookup('k1')?.completion.text).toBe('first');
    writer.close();
    const reader = SharedCache.open(dir, 'read-only') as SharedCache;
    try {
      expect(reader.lookup('k1')).toMatchObject({ runId: 'r1', completion: answer('first') });
      expect(reader.lookup('k2')).toBeUndefined();
      // Read-only: a new answer is not written.
      reader.store('k2', write('second'));
      reader.flush();
      expect(reader.lookup('k2')).toBeUndefined();
    } finally {
      reader.close();
    }
    expect(SharedCache.open(mkdtempSync(join(tmpdir(), 'baton-shared-')), 'read-only')).toBeUndefined();
  });

  it('keeps the first answer stored under a key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-shared-'));
    for (const text of ['first', 'second']) {
      const cache = SharedCache.open(dir, 'read-write') as SharedCache;
      cache.store('k', write(text));
      cache.close();
    }
    const cache = SharedCache.open(dir, 'read-write') as SharedCache;
    expect(cache.lookup('k')?.completion.text).toBe('first');
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 0 });
    cache.close();
    // The lookup's use was written at close.
    const again = SharedCache.open(dir, 'read-only') as SharedCache;
    expect(again.stats().hits).toBe(1);
    again.close();
  });

  it('refuses to serve an entry that does not hold an answer: one error naming the file and the fixes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-shared-'));
    const cache = SharedCache.open(dir, 'read-write') as SharedCache;
    cache.store('k', write('answer'));
    cache.flush();
    const db = new Database(join(dir, SHARED_CACHE_FILE));
    db.prepare("UPDATE response SET json = '{\"text\":' WHERE key = 'k'").run();
    db.close();
    try {
      expect(() => cache.lookup('k')).toThrow(SharedCacheError);
      expect(() => cache.lookup('k')).toThrow(/--no-cache.*delete .*responses\.sqlite/);
    } finally {
      cache.close();
    }
  });
});

// A full disk for real needs a small tmpfs, which only root can mount (the store's fault tests do the same).
const root = process.getuid?.() === 0;
const mounts: string[] = [];
afterAll(() => {
  for (const dir of mounts) spawnSync('umount', ['-l', dir]);
});

describe.skipIf(!root)('a full disk under the shared cache (tmpfs, needs root)', () => {
  it('is one warning; what was cached before is still served and the run goes on', (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-shared-full-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], {
      encoding: 'utf8',
    });
    if (mounted.status !== 0) ctx.skip(`cannot mount a tmpfs here (${mounted.stderr.trim()})`);
    mounts.push(dir);
    const warnings: string[] = [];
    const cache = SharedCache.open(dir, 'read-write', { warn: (m) => warnings.push(m) }) as SharedCache;
    cache.store('small', write('kept'));
    cache.flush();
    const big = 'x'.repeat(8 * 1024);
    for (let i = 0; i < 64; i++) cache.store(`big-${i}`, write(`${big}${i}`));
    expect(() => cache.flush()).not.toThrow();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/SQLITE_FULL|ENOSPC|disk/i);
    expect(warnings[0]).toContain("this run's store has them");
    // No more writes are tried, nor warned about.
    cache.store('later', write('later'));
    cache.flush();
    expect(warnings).toHaveLength(1);
    expect(cache.lookup('small')?.completion.text).toBe('kept');
    cache.close();
  });
});
