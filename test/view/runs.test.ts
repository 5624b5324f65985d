import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { STORE_SCHEMA_VERSION } from '../../src/store/migrations.js';
import { ReadOnlyStore } from '../../src/store/read-only.js';
import { STORE_FILE } from '../../src/store/run-dir.js';
import { UsageError } from '../../src/util/errors.js';
import { listRuns } from '../../src/view/runs.js';
import { readRunFigures } from '../../src/view/side-by-side.js';
import { tempRoot, writeRun } from './fixtures.js';

/** Every file under `dir` with a hash of its bytes and its mtime: what "nothing was written" means. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile())
        out[p] = `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${statSync(p).mtimeMs}`;
    }
  };
  walk(dir);
  return out;
}

describe('listRuns (baton runs)', () => {
  it('lists each run folder newest first with status, samples recorded/planned, errors, spending and config', () => {
    const root = tempRoot();
    writeRun(root, 'older', { createdAt: Date.UTC(2026, 0, 1), outcomes: { o: [true, null, false] } });
    writeRun(root, 'newer', {
      createdAt: Date.UTC(2026, 5, 1),
      status: 'budget_exhausted',
      planned: 10,
      configFile: 'configs/x.yaml',
    });
    mkdirSync(join(root, 'not-a-run')); // no store: not listed
    const runs = listRuns(root);
    expect(runs.map((r) => r.id)).toEqual(['newer', 'older']);
    expect(runs[0]).toMatchObject({
      status: 'budget',
      recorded: 3,
      planned: 10,
      errors: 0,
      configFile: 'configs/x.yaml',
      createdAt: '2026-06-01T00:00:00.000Z',
      simulated: true,
      report: 'missing',
    });
    expect(runs[0]?.spentUsd).toBeCloseTo(0.03, 10);
    expect(runs[1]).toMatchObject({ status: 'complete', recorded: 3, planned: 3, errors: 1 });
  });

  it('reads without writing: no file in the folder changes, none appears (no lock, no migration, no WAL files)', () => {
    const root = tempRoot();
    writeRun(root, 'a');
    const before = snapshot(root);
    listRuns(root);
    readRunFigures('a', join(root, 'a'));
    expect(snapshot(root)).toEqual(before);
  });

  it('says why a store cannot be read, one row each, instead of failing the listing', () => {
    const root = tempRoot();
    writeRun(root, 'good');
    mkdirSync(join(root, 'garbage'));
    writeFileSync(
      join(root, 'garbage', STORE_FILE),
      'this is not SQLite at all, just text padding it out'.repeat(100),
    );
    mkdirSync(join(root, 'foreign'));
    new Database(join(root, 'foreign', STORE_FILE)).exec('CREATE TABLE t (x)');
    writeRun(root, 'old');
    const db = new Database(join(root, 'old', STORE_FILE));
    db.pragma('user_version = 3');
    db.close();
    writeRun(root, 'doctored');
    const doctored = new Database(join(root, 'doctored', STORE_FILE));
    doctored.exec("UPDATE run SET environment_json = '{not json'");
    doctored.close();
    const rows = Object.fromEntries(listRuns(root).map((r) => [r.id, r]));
    expect(rows.good?.status).toBe('complete');
    expect(rows.doctored).toMatchObject({ status: 'unreadable', detail: expect.stringMatching(/JSON/) });
    expect(rows.garbage).toMatchObject({ status: 'unreadable', recorded: null });
    expect(rows.garbage?.detail).toMatch(/unreadable: .*not a database/);
    expect(rows.foreign?.detail).toMatch(/without the tables of a baton run store/);
    expect(rows.old?.detail).toContain(
      `schema v3, older than this baton's v${STORE_SCHEMA_VERSION}; \`baton report <run folder>\` migrates it`,
    );
  });

  it('follows no link: a linked run folder is not listed, a linked store is a row saying so', () => {
    const root = tempRoot();
    const elsewhere = tempRoot();
    writeRun(elsewhere, 'outside');
    symlinkSync(join(elsewhere, 'outside'), join(root, 'linked'));
    mkdirSync(join(root, 'store-link'));
    symlinkSync(join(elsewhere, 'outside', STORE_FILE), join(root, 'store-link', STORE_FILE));
    const runs = listRuns(root);
    expect(runs.map((r) => r.id)).toEqual(['store-link']);
    expect(runs[0]).toMatchObject({ status: 'unreadable', detail: expect.stringMatching(/not followed/) });
  });

  it('tells a live run from a dead one by its lock: running, locked on another host, interrupted', () => {
    const root = tempRoot();
    const lock = (id: string, pid: number, host: string) =>
      writeFileSync(
        join(root, id, 'run.lock'),
        JSON.stringify({ pid, host, startedAt: '2026-11-29T12:00:00Z' }),
      );
    writeRun(root, 'live', { status: 'running' });
    lock('live', 1, hostname()); // pid 1 lives
    writeRun(root, 'remote', { status: 'running' });
    lock('remote', 4242, 'other-host');
    writeRun(root, 'dead', { status: 'running' });
    lock('dead', 2 ** 22 + 1, hostname()); // above pid_max: no such process
    writeRun(root, 'killed', { status: 'running' });
    const rows = Object.fromEntries(listRuns(root).map((r) => [r.id, r]));
    expect(rows.live).toMatchObject({
      status: 'running',
      detail: expect.stringMatching(/in use by pid 1 on /),
    });
    expect(rows.remote).toMatchObject({ status: 'locked', detail: expect.stringMatching(/other-host/) });
    expect(rows.dead?.status).toBe('interrupted');
    expect(rows.killed).toMatchObject({
      status: 'interrupted',
      detail: expect.stringMatching(/killed or crashed/),
    });
  });

  it('says whether report.json still describes the store: current, stale after more samples, missing', () => {
    const root = tempRoot();
    const dir = writeRun(root, 'a');
    expect(listRuns(root)[0]?.report).toBe('missing');
    writeFileSync(join(dir, 'report.html'), '<!doctype html>');
    const report = { run: { status: 'complete', sessions: 1 }, samples: { recorded: 3 } };
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    expect(listRuns(root)[0]?.report).toBe('current');
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ ...report, samples: { recorded: 2 } }));
    expect(listRuns(root)[0]?.report).toBe('stale');
  });

  it('refuses a folder that does not exist or is a file (exit 2), and lists an empty one as empty', () => {
    const root = tempRoot();
    expect(() => listRuns(join(root, 'nope'))).toThrow(UsageError);
    expect(() => listRuns(join(root, 'nope'))).toThrow(/no folder .*nope/);
    writeFileSync(join(root, 'file'), '');
    expect(() => listRuns(join(root, 'file'))).toThrow(/not a folder of runs/);
    expect(listRuns(root)).toEqual([]);
  });
});

describe('ReadOnlyStore', () => {
  it('reads what a live writer has committed, while it is still open', () => {
    const root = tempRoot();
    writeRun(root, 'a');
    // A second writer connection holds the store open in WAL mode, as a running baton does.
    const writer = new Database(join(root, 'a', STORE_FILE));
    writer.pragma('journal_mode = WAL');
    writer.exec("UPDATE run SET status = 'running'");
    const store = ReadOnlyStore.open(join(root, 'a', STORE_FILE));
    try {
      expect(store.getRun()?.status).toBe('running');
      expect(store.sampleCounts()).toEqual({ recorded: 3, errors: 0 });
    } finally {
      store.close();
      writer.close();
    }
  });
});
