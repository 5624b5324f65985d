import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_WINDOW } from '../../src/providers/redact.js';
import type { Report } from '../../src/report/types.js';
import type { CallEvent } from '../../src/store/records.js';
import { SHARED_CACHE_FILE } from '../../src/store/shared-cache.js';
import { type FakePool, faultRunConfig, KEYS, startFakePool } from '../runner/fault-run.js';
import { freshCacheDir, runCli, startCli } from './cli-process.js';

/** Requests the three fake APIs have answered so far. */
const requests = () => [pool.openai, pool.anthropic, pool.gemini].reduce((n, f) => n + f.served.length, 0);

function report(dir: string, runId: string): Report {
  return JSON.parse(readFileSync(join(dir, runId, 'report.json'), 'utf8')) as Report;
}

const overall = (r: Report) =>
  r.rows
    .filter((row) => row.suite === 'generated')
    .map((row) => [row.orchestrator, row.correct, row.samples]);

/** Rows of the cache file (opened read-only, as another process would). */
function cacheRows(cacheDir: string): { key: string; hits: number; last_used_at: number }[] {
  const db = new Database(join(cacheDir, SHARED_CACHE_FILE), { readonly: true });
  try {
    return db.prepare('SELECT key, hits, last_used_at FROM response ORDER BY key').all() as {
      key: string;
      hits: number;
      last_used_at: number;
    }[];
  } finally {
    db.close();
  }
}

let pool: FakePool;
beforeAll(async () => {
  // Every fourth answer quotes the caller's key: the client scrubs it before anything caches it.
  pool = await startFakePool({ seed: 11, echoKey: ['none', 'none', 'none', 'answer'] });
});
afterAll(async () => {
  await pool.close();
});

// 6 tasks × 4 pool members, one `single` orchestrator each: 24 model calls per run.
const CALLS = 24;

describe('the response cache shared across runs (real processes, real SDKs, fake APIs)', () => {
  const cacheDir = freshCacheDir();
  const env = { ...KEYS, BATON_CACHE_DIR: cacheDir };

  it('answers an identical new run without a request, at no cost, with the same results', async () => {
    const { dir, file } = await faultRunConfig(pool, 6, { concurrency: 4 });
    const before = requests();
    const first = await runCli(['run', file, '--output', dir, '--run-id', 'first', '--quiet'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(requests() - before).toBe(CALLS);
    expect(first.stderr).toContain(`${CALLS} new calls, 0 from the shared cache (worth $0, spent $`);

    const again = requests();
    const second = await runCli(['run', file, '--output', dir, '--run-id', 'second', '--quiet'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(requests() - again).toBe(0);
    expect(second.stderr).toMatch(
      new RegExp(`^0 new calls, ${CALLS} from the shared cache \\(worth \\$[0-9.]+, spent \\$0\\)$`, 'm'),
    );

    const [a, b] = [report(dir, 'first'), report(dir, 'second')];
    expect(overall(b)).toEqual(overall(a));
    // The answers cost what they cost: orchestrators compare on equal terms whoever paid.
    expect(b.rows.map((r) => r.costUsd)).toEqual(a.rows.map((r) => r.costUsd));
    const answers = a.spending.reduce((n, r) => n + r.answersUsd, 0);
    expect(answers).toBeGreaterThan(0);
    expect(a.spending.every((r) => r.sharedCacheCalls === 0 && r.spentUsd === r.answersUsd)).toBe(true);
    expect(b.spending.every((r) => r.spentUsd === 0 && r.paidCalls === 0)).toBe(true);
    expect(b.spending.reduce((n, r) => n + r.sharedCacheUsd, 0)).toBeCloseTo(answers, 10);

    // Each event says which run bought its answer, and when.
    const store = new Database(join(dir, 'second', 'run.sqlite'), { readonly: true });
    try {
      const events = (store.prepare('SELECT json FROM event').all() as { json: string }[]).map(
        (r) => JSON.parse(r.json) as CallEvent,
      );
      expect(events).toHaveLength(CALLS);
      for (const e of events) {
        expect(e.cached).toBe(true);
        expect(e.sharedCache?.runId).toBe('first');
        expect(e.sharedCache?.cachedAt).toBeGreaterThan(0);
      }
    } finally {
      store.close();
    }

    // No key, nor any 8 characters of one, in the cache file (some answers quoted the key).
    const bytes = [SHARED_CACHE_FILE, `${SHARED_CACHE_FILE}-wal`]
      .map((f) => join(cacheDir, f))
      .filter(existsSync)
      .map((f) => readFileSync(f).toString('latin1'))
      .join('');
    expect(bytes).toContain('[redacted]');
    for (const key of Object.values(KEYS))
      for (let i = 0; i + KEY_WINDOW <= key.length; i++)
        expect(
          bytes.includes(key.slice(i, i + KEY_WINDOW)),
          `cache holds part of a key: ${key.slice(i, i + KEY_WINDOW)}`,
        ).toBe(false);
  }, 180_000);

  it('is neither read nor written with --no-cache or cache: false', async () => {
    const entries = cacheRows(cacheDir);
    const { dir, file } = await faultRunConfig(pool, 6, { concurrency: 4 });
    const before = requests();
    const off = await runCli(['run', file, '--output', dir, '--run-id', 'off', '--quiet', '--no-cache'], env);
    expect(off.code, off.stderr).toBe(0);
    expect(requests() - before).toBe(CALLS);
    expect(off.stderr).toContain(`${CALLS} new calls (shared cache off; spent $`);

    const configured = await faultRunConfig(pool, 6, { concurrency: 4, cache: false });
    const between = requests();
    const fromConfig = await runCli(
      ['run', configured.file, '--output', configured.dir, '--run-id', 'config-off', '--quiet'],
      env,
    );
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    expect(requests() - between).toBe(CALLS);
    // Not even a hit's use was written.
    expect(cacheRows(cacheDir)).toEqual(entries);
  }, 180_000);

  it('read-only (CI): hits are used, nothing is written', async () => {
    const entries = cacheRows(cacheDir);
    // Two more tasks than the cache holds: their 8 calls are sent and not cached.
    const { dir, file } = await faultRunConfig(pool, 8, { concurrency: 4, cache: 'read-only' });
    const before = requests();
    const out = await runCli(['run', file, '--output', dir, '--run-id', 'ci', '--quiet'], env);
    expect(out.code, out.stderr).toBe(0);
    expect(requests() - before).toBe(8);
    expect(out.stderr).toContain(`8 new calls, ${CALLS} from the shared cache (worth $`);
    expect(out.stderr).toContain('read-only: nothing written to it');
    expect(cacheRows(cacheDir)).toEqual(entries);
  }, 180_000);

  it('stats counts entries by model; prune --older-than drops those unused for that long', async () => {
    const stats = await runCli(['cache', 'stats', '--json'], env);
    expect(stats.code, stats.stderr).toBe(0);
    const figures = JSON.parse(stats.stdout) as {
      entries: number;
      hits: number;
      bytesOnDisk: number;
      byModel: { model: string; entries: number }[];
    };
    expect(figures.entries).toBe(CALLS);
    expect(figures.hits).toBe(CALLS);
    expect(figures.bytesOnDisk).toBeGreaterThan(0);
    expect(figures.byModel.map((m) => [m.model, m.entries]).sort()).toEqual(
      [
        ['claude-sonnet-4-20250514', 6],
        ['gemini-2.5-pro', 6],
        ['gpt-5', 6],
        ['gpt-5-mini', 6],
      ].sort(),
    );
    const text = await runCli(['cache', 'stats', '--cache-dir', cacheDir], {});
    expect(text.stdout).toContain(`entries: ${CALLS} (`);

    // Ten entries last used 40 days ago, the others now.
    const db = new Database(join(cacheDir, SHARED_CACHE_FILE));
    const old = Date.now() - 40 * 86_400_000;
    db.prepare(
      'UPDATE response SET last_used_at = ?, created_at = ? WHERE key IN (SELECT key FROM response ORDER BY key LIMIT 10)',
    ).run(old, old);
    db.close();
    const kept = await runCli(['cache', 'prune', '--older-than', '41d'], env);
    expect(kept.stdout).toContain(`pruned 0 entries`);
    const pruned = await runCli(['cache', 'prune', '--older-than', '30d', '--cache-dir', cacheDir], {});
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain(`pruned 10 entries`);
    expect(pruned.stdout).toContain(`${CALLS - 10} left`);
    expect(cacheRows(cacheDir)).toHaveLength(CALLS - 10);

    const bad = await runCli(['cache', 'prune', '--older-than', 'a month'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --older-than: expected a duration such as 12h, 30d or 2w/m);
  }, 120_000);
});

describe('two runs at once on one shared cache', () => {
  it('both complete, the file stays sound, and a third identical run makes no request', async () => {
    const cacheDir = freshCacheDir();
    const env = { ...KEYS, BATON_CACHE_DIR: cacheDir };
    const { dir, file } = await faultRunConfig(pool, 6, { concurrency: 4 });
    const runs = ['one', 'two'].map(
      (id) => startCli(['run', file, '--output', dir, '--run-id', id, '--quiet'], env).done,
    );
    for (const out of await Promise.all(runs)) expect(out.code, out.stderr).toBe(0);
    for (const id of ['one', 'two']) expect(report(dir, id).samples.recorded).toBe(CALLS);

    const db = new Database(join(cacheDir, SHARED_CACHE_FILE), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // Whichever run wrote a key first, it is there once.
      expect(db.prepare('SELECT count(*) AS n FROM response').get()).toEqual({ n: CALLS });
    } finally {
      db.close();
    }

    const before = requests();
    const third = await runCli(['run', file, '--output', dir, '--run-id', 'three', '--quiet'], env);
    expect(third.code, third.stderr).toBe(0);
    expect(requests() - before).toBe(0);
    expect(third.stderr).toContain(`0 new calls, ${CALLS} from the shared cache`);
    expect(overall(report(dir, 'three'))).toEqual(overall(report(dir, 'one')));
  }, 240_000);
});

describe('an unusable cache file', () => {
  it('stops the run before anything is bought: one error line naming the file and the fixes, exit 2', async () => {
    const cacheDir = freshCacheDir();
    writeFileSync(join(cacheDir, SHARED_CACHE_FILE), 'this is not a database '.repeat(200));
    const { dir, file } = await faultRunConfig(pool, 2, { concurrency: 4 });
    const before = requests();
    const out = await runCli(['run', file, '--output', dir, '--run-id', 'x', '--quiet'], {
      ...KEYS,
      BATON_CACHE_DIR: cacheDir,
    });
    expect(out.code).toBe(2);
    expect(requests() - before).toBe(0);
    const errors = out.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(join(cacheDir, SHARED_CACHE_FILE));
    expect(errors[0]).toContain('--no-cache');
    expect(errors[0]).toContain('delete');
    expect(out.stderr).not.toMatch(/\n\s+at /);
    // Nothing was created for the run.
    expect(existsSync(join(dir, 'x'))).toBe(false);
  }, 60_000);
});
