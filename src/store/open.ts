import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CorruptStoreError } from '../util/errors.js';
import { describeFault, isCorruption } from '../util/storage-fault.js';
import { migrate } from './migrations.js';

/** The tables as the first schema made them; migrations add the rest (see migrations.ts). */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS run (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, config_hash TEXT NOT NULL, config_json TEXT NOT NULL,
  config_file TEXT NOT NULL, created_at INTEGER NOT NULL, simulated INTEGER NOT NULL,
  sessions INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL, planned INTEGER NOT NULL DEFAULT 0,
  environment_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS sample (
  sample_id TEXT PRIMARY KEY, orchestrator TEXT NOT NULL, task_id TEXT NOT NULL, suite TEXT NOT NULL,
  status TEXT NOT NULL, correct INTEGER, session INTEGER NOT NULL, json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS event (
  sample_id TEXT NOT NULL, step INTEGER NOT NULL, agent_id TEXT NOT NULL, role TEXT NOT NULL,
  cached INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (sample_id, step)
);
CREATE TABLE IF NOT EXISTS response_cache (key TEXT PRIMARY KEY, json TEXT NOT NULL, created_at INTEGER NOT NULL);
`;

/**
 * Opens (or creates) a store. A file that is not a sound SQLite database — not SQLite at all, cut
 * short, bits flipped in its structure — is a CorruptStoreError (one line, exit 2), never a stack.
 */
export function openDatabase(file: string, check: boolean): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    if (check) {
      const problems = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
      const first = problems[0]?.quick_check;
      if (first !== undefined && first !== 'ok')
        throw new CorruptStoreError(file, `integrity check failed: ${first.split('\n')[0]}`);
    }
    db.exec(SCHEMA);
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof CorruptStoreError) throw err;
    if (isCorruption(err)) throw new CorruptStoreError(file, describeFault(err));
    throw err;
  }
}

/**
 * Closes a store opened by openDatabase, leaving it in rollback-journal mode when no other connection
 * has it open: a closed store is then one file that read-only readers (`baton runs`, `baton view`) can
 * open without SQLite creating its WAL companions beside it. With another connection open (a reader, a
 * live run) it stays in WAL mode, which the next writer's close settles; waiting for that is not worth a
 * slower close, so the switch does not wait for locks.
 */
export function closeDatabase(db: Database.Database): void {
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
  } catch {
    // Busy (another connection) or the disk refused: WAL mode is as sound, only less convenient to read.
  }
  db.close();
}

/** Keeps `bytes` of the disk for a rescue: a file of zeros (written, so its blocks are really taken). */
export function reserveSpace(file: string, bytes: number): string {
  try {
    if (statSync(file).size === bytes) return file;
  } catch {
    // not there yet
  }
  const fd = openSync(file, 'w');
  try {
    const zeros = Buffer.alloc(Math.min(bytes, 1 << 20));
    for (let done = 0; done < bytes; ) done += writeSync(fd, zeros, 0, Math.min(zeros.length, bytes - done));
  } catch (err) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw err;
  }
  closeSync(fd);
  return file;
}
