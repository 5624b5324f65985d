import { chmodSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_CACHE_FILE, SharedCache } from '../../src/store/shared-cache.js';

const usage = { input: 10, output: 5, reasoning: 0, cachedInput: 0, cacheWrite: 0, cacheWrite1h: 0 };

describe('shared response cache, read-only', () => {
  it('a read-only use of a cache another run filled writes nothing to its folder (no -wal, no -shm)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-cache-'));
    const writer = SharedCache.open(dir, 'read-write') as SharedCache;
    writer.store('k1', {
      completion: { text: 'an answer', usage, latencyMs: 12, provenance: 'live', costUsd: 0.01 },
      runId: 'run-a',
      provider: 'openai',
      model: 'gpt-5',
    });
    writer.close();
    const files = readdirSync(dir).sort();
    const file = join(dir, SHARED_CACHE_FILE);
    const { mtimeMs, size } = statSync(file);

    const reader = SharedCache.open(dir, 'read-only') as SharedCache;
    expect(reader.lookup('k1')?.completion.text).toBe('an answer');
    expect(reader.lookup('k2')).toBeUndefined();
    reader.close();

    expect(readdirSync(dir).sort()).toEqual(files);
    expect(files).toEqual([SHARED_CACHE_FILE]);
    expect(statSync(file)).toMatchObject({ mtimeMs, size });
  });
});

describe('shared response cache, file permissions', () => {
  it('only its user can read the cache files, also in a folder that existed before (BATON_CACHE_DIR)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-cache-'));
    chmodSync(dir, 0o755);
    const cache = SharedCache.open(dir, 'read-write') as SharedCache;
    cache.store('k', {
      completion: { text: 'an answer', usage, latencyMs: 1, provenance: 'live', costUsd: 0 },
      runId: 'run-a',
      provider: 'openai',
      model: 'gpt-5',
    });
    cache.flush();
    const files = readdirSync(dir);
    expect(files).toContain(`${SHARED_CACHE_FILE}-wal`);
    for (const f of files) expect(statSync(join(dir, f)).mode & 0o077, f).toBe(0);
    cache.close();
  });
});
