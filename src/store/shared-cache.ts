import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CachedCompletion } from '../providers/types.js';
import { RunFault } from '../util/errors.js';
import { describeFault, isCorruption, isStorageFault } from '../util/storage-fault.js';
import { parseCompletion } from './journal.js';
import { closeDatabase } from './open.js';

/** The cache's file in its folder. */
export const SHARED_CACHE_FILE = 'responses.sqlite';
/** Schema of the cache file (SQLite `user_version`). */
const SHARED_CACHE_SCHEMA_VERSION = 1;
/** How long a process waits for another one's write to finish before giving up. */
const BUSY_TIMEOUT_MS = 15_000;
/** Longest a bought answer or a hit's use waits in memory before it is written to the cache. */
const WRITE_BATCH_MS = 500;

/**
 * `read-write`: hits are used and new answers written; `read-only` (CI): hits are used, nothing is
 * written (not even when an entry was last used).
 */
export type SharedCacheMode = 'read-write' | 'read-only';

/**
 * The folder of the shared response cache: `$BATON_CACHE_DIR`, else `$XDG_CACHE_HOME/baton`, else
 * `~/.cache/baton`.
 */
export function sharedCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.BATON_CACHE_DIR) return env.BATON_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'baton');
  return join(homedir(), '.cache', 'baton');
}

/**
 * The shared cache cannot be used: its file is not a sound SQLite database, or cannot be opened or
 * read. The run stops (exit 2) rather than silently buying every call again; the message says how to go on.
 */
export class SharedCacheError extends RunFault {
  override name = 'SharedCacheError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(
      `shared response cache ${file} is unusable: ${detail}; run without it (--no-cache, or cache: false in the config) or delete ${file} (and its -wal and -shm files) to start an empty cache`,
    );
  }
}

/** A hit: the answer as bought (`costUsd`: what its call paid), the run that bought it, and when. */
export interface SharedCacheHit {
  completion: CachedCompletion;
  runId: string;
  /** When it was written to the shared cache (ms since the epoch). */
  cachedAt: number;
}

/** What is written for a bought answer: the answer, its origin run, and whom it was bought from. */
export interface SharedCacheWrite {
  completion: CachedCompletion;
  runId: string;
  provider: string;
  model: string;
}

export interface SharedCacheStats {
  file: string;
  entries: number;
  /** The database file and its write-ahead log. */
  bytesOnDisk: number;
  /** Oldest and newest entry (written), and the last use of any; null when empty. */
  oldestAt: number | null;
  newestAt: number | null;
  lastUsedAt: number | null;
  /** Times an entry was served to a run (read-only runs do not count theirs). */
  hits: number;
  /** What the calls that bought the entries paid. */
  paidUsd: number;
  byModel: { provider: string; model: string; entries: number; hits: number; paidUsd: number }[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS response (
  key TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  run_id TEXT NOT NULL,
  json TEXT NOT NULL,
  paid_usd REAL NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  hits INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS response_last_used ON response (last_used_at);
`;

/**
 * The response cache shared by every run of one user (docs: README "Response cache"): one SQLite file
 * in WAL mode, so several `baton run` processes read and write it at once (a writer waits up to
 * BUSY_TIMEOUT_MS for another). An extra layer behind each run's own store, which stays the durable
 * record of what the run bought: new answers and the use of hits are batched in memory and written
 * every WRITE_BATCH_MS and at close (INSERT OR IGNORE: the first answer stored under a key is kept).
 * A write the disk refuses (full, read-only) loses nothing the run paid for — the run store has it —
 * so it is told once and the cache writes nothing more in this process.
 */
export class SharedCache {
  private readonly db: Database.Database;
  private readonly lookupStatement: Database.Statement;
  private readonly writes = new Map<string, SharedCacheWrite>();
  private readonly uses = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private writeFailed = false;
  private readonly writeBatch: (() => void) | undefined;

  private constructor(
    readonly file: string,
    readonly mode: SharedCacheMode,
    private readonly warn: (message: string) => void,
    private readonly now: () => number,
  ) {
    let db: Database.Database | undefined;
    try {
      db =
        mode === 'read-only'
          ? new Database(file, { readonly: true, fileMustExist: true })
          : new Database(file);
      this.db = db;
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      if (mode === 'read-write') {
        // Before the first table exists: pages freed by a prune can then be returned to the disk.
        this.db.pragma('auto_vacuum = INCREMENTAL');
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
        this.db.exec(SCHEMA);
        const version = this.db.pragma('user_version', { simple: true }) as number;
        if (version > SHARED_CACHE_SCHEMA_VERSION)
          throw new SharedCacheError(
            file,
            `written by a newer baton (cache schema ${version}, this one knows ${SHARED_CACHE_SCHEMA_VERSION})`,
          );
        if (version < SHARED_CACHE_SCHEMA_VERSION)
          this.db.pragma(`user_version = ${SHARED_CACHE_SCHEMA_VERSION}`);
      }
      this.lookupStatement = this.db.prepare(
        'SELECT json, run_id AS runId, created_at AS cachedAt FROM response WHERE key = ?',
      );
    } catch (err) {
      db?.close();
      throw asCacheError(file, err);
    }
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO response (key, provider, model, run_id, json, paid_usd, created_at, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const use = this.db.prepare(
      'UPDATE response SET hits = hits + 1, last_used_at = max(last_used_at, ?) WHERE key = ?',
    );
    this.writeBatch =
      mode === 'read-write'
        ? this.db.transaction(() => {
            const at = this.now();
            for (const [key, w] of this.writes)
              insert.run(
                key,
                w.provider,
                w.model,
                w.runId,
                JSON.stringify(w.completion),
                w.completion.costUsd ?? 0,
                at,
                at,
              );
            for (const [key, usedAt] of this.uses) use.run(usedAt, key);
          })
        : undefined;
  }

  /**
   * Opens (creating it, read-write) the cache in `dir`. A read-only cache that does not exist yet is
   * undefined: there is nothing to hit. Throws SharedCacheError when the file cannot be used.
   */
  static open(
    dir: string,
    mode: SharedCacheMode,
    options: { warn?: (message: string) => void; now?: () => number } = {},
  ): SharedCache | undefined {
    const file = join(dir, SHARED_CACHE_FILE);
    if (mode === 'read-only' && !exists(file)) return undefined;
    if (mode === 'read-write') {
      try {
        // Only its user reads it: it holds model answers to the prompts of every run.
        mkdirSync(dir, { recursive: true, mode: 0o700 });
      } catch (err) {
        throw new SharedCacheError(file, `its folder cannot be created: ${describeFault(err)}`);
      }
      try {
        // Also in a folder that existed with wider access: made here first, the file is its user's
        // alone (SQLite, left to it, follows the umask, and gives -wal and -shm the file's mode).
        closeSync(openSync(file, 'a', 0o600));
      } catch (err) {
        throw new SharedCacheError(file, `it cannot be created: ${describeFault(err)}`);
      }
    }
    return new SharedCache(
      file,
      mode,
      options.warn ?? ((message) => process.stderr.write(`warning: ${message}\n`)),
      options.now ?? Date.now,
    );
  }

  /** The answer stored under `key`, or undefined. Throws SharedCacheError when the file is damaged. */
  lookup(key: string): SharedCacheHit | undefined {
    const pending = this.writes.get(key);
    if (pending) return { completion: pending.completion, runId: pending.runId, cachedAt: this.now() };
    let row: { json: string; runId: string; cachedAt: number } | undefined;
    try {
      row = this.lookupStatement.get(key) as typeof row;
    } catch (err) {
      throw asCacheError(this.file, err);
    }
    if (!row) return undefined;
    const completion = parseCompletion(row.json);
    // A row that does not parse is damage inside a sound file: never served, never silently skipped.
    if (!completion) throw new SharedCacheError(this.file, `the entry ${key} does not hold an answer`);
    if (this.mode === 'read-write') {
      this.uses.set(key, this.now());
      this.schedule();
    }
    return { completion, runId: row.runId, cachedAt: row.cachedAt };
  }

  /** Keeps a bought answer for the next batch write (read-only: nothing). Never throws. */
  store(key: string, write: SharedCacheWrite): void {
    if (this.mode === 'read-only' || this.writeFailed || this.writes.has(key)) return;
    this.writes.set(key, write);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.writeFailed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch (err) {
        // Nothing may throw from a timer; the run's store has every answer. Damage found here is
        // found again, and stops the run, at the next lookup.
        this.stopWriting(err);
      }
    }, WRITE_BATCH_MS);
    this.timer.unref();
  }

  /** Writes what is held. A refused write is told once; the cache then writes nothing more. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.writeBatch || this.writeFailed || (this.writes.size === 0 && this.uses.size === 0)) return;
    try {
      this.writeBatch();
    } catch (err) {
      if (isCorruption(err)) throw asCacheError(this.file, err);
      if (!isStorageFault(err) && !isBusy(err)) throw err;
      this.stopWriting(err);
    }
    this.writes.clear();
    this.uses.clear();
  }

  /** A refused write: told once; the cache then writes nothing more in this process. */
  private stopWriting(err: unknown): void {
    if (this.writeFailed) return;
    this.writeFailed = true;
    this.warn(
      `shared cache ${this.file}: ${err instanceof Error ? err.message : describeFault(err)}; ${this.writes.size} answers not written to it (this run's store has them: nothing is bought again by this run); the shared cache takes no more writes from this process`,
    );
    this.writes.clear();
    this.uses.clear();
  }

  close(): void {
    try {
      this.flush();
    } finally {
      // The last writer to close leaves the file in rollback-journal mode, so that a read-only use
      // (CI) needs no -wal and -shm files and writes nothing beside it.
      if (this.mode === 'read-write') closeDatabase(this.db);
      else this.db.close();
    }
  }

  stats(): SharedCacheStats {
    try {
      const total = this.db
        .prepare(
          `SELECT count(*) AS entries, min(created_at) AS oldestAt, max(created_at) AS newestAt,
                  max(last_used_at) AS lastUsedAt, total(hits) AS hits, total(paid_usd) AS paidUsd FROM response`,
        )
        .get() as Omit<SharedCacheStats, 'file' | 'bytesOnDisk' | 'byModel'>;
      const byModel = this.db
        .prepare(
          `SELECT provider, model, count(*) AS entries, total(hits) AS hits, total(paid_usd) AS paidUsd
           FROM response GROUP BY provider, model ORDER BY entries DESC, provider, model`,
        )
        .all() as SharedCacheStats['byModel'];
      const bytesOnDisk = [this.file, `${this.file}-wal`].reduce((n, f) => n + sizeOf(f), 0);
      return { file: this.file, ...total, bytesOnDisk, byModel };
    } catch (err) {
      throw asCacheError(this.file, err);
    }
  }

  /** Deletes entries last used (or, never used, written) before `cutoff`; returns how many. */
  prune(cutoff: number): number {
    if (this.mode === 'read-only') throw new Error('a read-only shared cache cannot be pruned');
    try {
      const removed = this.db.prepare('DELETE FROM response WHERE last_used_at < ?').run(cutoff).changes;
      this.db.pragma('incremental_vacuum');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      return removed;
    } catch (err) {
      throw asCacheError(this.file, err);
    }
  }
}

function asCacheError(file: string, err: unknown): unknown {
  if (err instanceof SharedCacheError) return err;
  if (isCorruption(err)) return new SharedCacheError(file, describeFault(err));
  if (isStorageFault(err) || isBusy(err))
    return new SharedCacheError(file, `it cannot be opened or read: ${describeFault(err)}`);
  return err;
}

/** Another process held the write lock past the busy timeout. */
function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
