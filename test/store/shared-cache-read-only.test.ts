import { mkdtempSync, readdirSync, statSync } from 'node:fs';
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
