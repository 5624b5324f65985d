import { rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { CachedCompletion } from '../providers/types.js';
import { CorruptStoreError } from '../util/errors.js';
import { describeFault, isCorruption } from '../util/storage-fault.js';
import { parseCompletion, ResponseJournal, recoverJournal } from './journal.js';
import { closeDatabase, openDatabase, reserveSpace } from './open.js';
import { PendingWrites } from './pending-writes.js';
import { PreparedStatements } from './reads.js';
import type { SampleResult, TraceEvent } from './records.js';
import { RunRecords } from './run-record.js';

/** Stores with journal lines possibly not written yet: a process that exits mid-turn writes them first. */
const openStores = new Set<RunStore>();
process.on('exit', () => {
  for (const store of openStores) store.writeJournal();
});

/** Longest a finished sample waits before its group commit. */
export const GROUP_COMMIT_MS = 100;
/** Samples that trigger a commit before the window ends. */
const GROUP_COMMIT_SAMPLES = 256;

/** Free space kept aside beside a run's store and released when a write fails, to save what is held. */
export const DEFAULT_RESERVE_BYTES = 4 * 1024 * 1024;

export interface RunStoreOptions {
  /**
   * Told once, at the first write that failed (disk full, read-only, I/O error). The store then writes
   * nothing more: what arrives is held in memory until `rescue()`.
   */
  onFailure?: (failure: StoreFailure) => void;
  /** Warnings (corrupt journal lines skipped at import); default: stderr. */
  warn?: (message: string) => void;
  /** Check the whole file at open (`PRAGMA quick_check`): a run about to write into it. */
  check?: boolean;
  /**
   * Bytes of free space to keep in `<store>-reserve` (a file of zeros) while the store is open for a
   * run; freed by `rescue()` so that responses held in memory can still reach the disk.
   */
  reserveBytes?: number;
}

/** The first failed write: what failed and on which file. */
export interface StoreFailure {
  error: unknown;
  path: string;
}

/** What `rescue()` managed to save of the responses held when a write failed. */
export interface RescueOutcome {
  /** Responses received but not committed when the rescue started. */
  held: number;
  /** Where they are now: committed to the store, in the journal (imported at the next open), or not all saved. */
  savedIn: 'store' | 'journal' | 'nowhere';
  /** Responses that could not be written anywhere (a resume buys them again). */
  lost: number;
}

/**
 * One run in one SQLite file: the run record, each finished sample with its trace events (written
 * together in one transaction, so a sample is either wholly recorded or absent), and the response
 * cache that lets a resumed run skip calls already paid for.
 *
 * Group commit: commits, not rows, were the store's cost on the hot path, so samples and cached
 * responses are committed together at most every GROUP_COMMIT_MS. A response is money, so before it
 * waits for that commit it is appended to a journal beside the store (one write to the OS per turn of
 * the event loop, for every response that turn brought; a killed process does not lose what the OS
 * has); opening the store imports whatever a crash left there. A crash can thus lose finished samples
 * of the last window — a resume runs them again — but never a paid call: their calls come back from
 * the cache. Every read flushes first.
 *
 * Faults: each journal line carries a checksum, and a torn or altered line is skipped at import with
 * a warning (its call is bought again), never served. The first failed write (journal or commit) puts
 * the store in failure: it tells `onFailure` (the run stops buying), writes nothing more, and keeps
 * every response it is given in memory until `rescue()` frees the reserve and saves them.
 */
export class RunStore extends RunRecords {
  private readonly db: Database.Database;
  private readonly pending: PendingWrites;
  private readonly prepared: PreparedStatements;
  private flushTimer: NodeJS.Timeout | undefined;
  /** Cached responses not committed yet, one checksummed line each; emptied by every commit. */
  private readonly journal: ResponseJournal;
  private journalWrite: NodeJS.Immediate | undefined;
  /** The first failed write; from then on the store only holds what it is given. */
  private failure: StoreFailure | undefined;
  private readonly onFailure: ((failure: StoreFailure) => void) | undefined;
  private readonly warn: (message: string) => void;
  private readonly reserveFile: string | undefined;

  constructor(
    private readonly file: string,
    options: RunStoreOptions = {},
  ) {
    super();
    this.onFailure = options.onFailure;
    this.warn = options.warn ?? ((message) => process.stderr.write(`warning: ${message}\n`));
    this.db = openDatabase(file, options.check === true);
    this.pending = new PendingWrites(this.db);
    this.prepared = new PreparedStatements(this.db);
    const journalFile = `${file}-responses.jsonl`;
    try {
      this.reserveFile = options.reserveBytes
        ? reserveSpace(`${file}-reserve`, options.reserveBytes)
        : undefined;
      recoverJournal(journalFile, this.warn, (responses) => {
        for (const [key, json] of responses) this.pending.holdResponse(key, json);
        this.pending.commit();
      });
      this.pending.opened();
      this.journal = new ResponseJournal(journalFile);
    } catch (err) {
      this.db.close();
      throw isCorruption(err) ? new CorruptStoreError(file, describeFault(err)) : err;
    }
    openStores.add(this);
  }

  /**
   * Commits every write still pending now (reads and close do this themselves). Throws the store's
   * failure, the first one or this commit's: what was pending stays held for `rescue()`.
   */
  flush(): void {
    this.throwIfFailed();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.heldResponses === 0 && this.pending.heldSamples === 0) return;
    try {
      this.pending.commit();
    } catch (err) {
      this.fail(err, `${this.file}-wal`);
      this.throwIfFailed();
    }
    this.journal.empty();
  }

  /** Writes this turn's journal lines (at the turn's end, or when the process exits before it). */
  writeJournal(): void {
    if (this.journalWrite) clearImmediate(this.journalWrite);
    this.journalWrite = undefined;
    if (this.journal.holding === 0 || this.failure) return;
    this.appendJournal();
  }

  private appendJournal(): boolean {
    try {
      this.journal.appendHeld();
      return true;
    } catch (err) {
      this.fail(err, this.journal.file);
      return false;
    }
  }

  /** The first failed write: stop writing, keep what is held, tell the run once. */
  private fail(error: unknown, path: string): void {
    if (this.failure) return;
    this.failure = { error, path };
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.onFailure?.(this.failure);
  }

  /** The first write that failed, if any. */
  get failed(): StoreFailure | undefined {
    return this.failure;
  }

  /**
   * After a failure: frees the reserve, then saves the responses held in memory — appended to the
   * journal (small, so it fits in the freed reserve) and, if the disk takes it, committed with the
   * held samples. Returns where they ended up.
   */
  rescue(): RescueOutcome {
    if (this.reserveFile) rmSync(this.reserveFile, { force: true });
    const held = this.pending.heldResponses;
    const journaled = this.journal.holding === 0 || this.appendJournal();
    try {
      this.pending.commit();
      this.journal.empty();
      return { held, savedIn: 'store', lost: 0 };
    } catch {
      return journaled
        ? { held, savedIn: 'journal', lost: 0 }
        : { held, savedIn: 'nowhere', lost: this.journal.holding };
    }
  }

  /**
   * A statement over committed data: pending writes are flushed first, so reads see every write.
   * Prepared once per SQL text (a report asks for thousands of samples one by one); `iterate` callers
   * prepare their own, since one statement cannot run two iterations at once.
   */
  protected statement(sql: string, shared = true): Database.Statement {
    this.flush();
    return this.prepared.get(sql, shared);
  }

  /** Schedules the group commit (never throws: a failed commit is the store's failure, told to onFailure). */
  private queueFlush(): void {
    if (this.failure) return;
    if (this.pending.heldSamples >= GROUP_COMMIT_SAMPLES) {
      this.tryFlush();
      return;
    }
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.tryFlush();
    }, GROUP_COMMIT_MS);
    // The run closes the store (which commits) before it ends; a pending commit keeps nothing alive.
    this.flushTimer.unref();
  }

  private tryFlush(): void {
    try {
      this.flush();
    } catch {
      // Recorded as the store's failure (see fail).
    }
  }

  /**
   * Commits what is pending and closes. After a failure it commits nothing (call `rescue()` first) and
   * does not throw; otherwise a failing last commit throws.
   */
  close(): void {
    try {
      if (!this.failure) this.flush();
    } finally {
      openStores.delete(this);
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.journal.close();
      closeDatabase(this.db);
      if (this.reserveFile) rmSync(this.reserveFile, { force: true });
    }
  }

  /** A write outside the group commit (run record, session, status): a refusal is the store's failure. */
  protected write(sql: string, ...params: unknown[]): void {
    const statement = this.statement(sql);
    try {
      statement.run(...params);
    } catch (err) {
      // Any refused write: the run cannot record what it buys, so it must stop buying.
      this.fail(err, this.file);
      throw err;
    }
  }

  /**
   * Records a sample and its trace atomically, replacing an earlier failed attempt at the same sample.
   * Never throws: after a failure the sample is held for `rescue()`.
   */
  saveSample(sample: SampleResult, events: TraceEvent[]): void {
    this.pending.holdSample(sample, events);
    this.queueFlush();
  }

  cachedResponse(key: string): CachedCompletion | undefined {
    // Committed first: a response already stored under this key wins over one still pending.
    const committed = this.pending.committedResponse(key);
    if (committed !== undefined) {
      const completion = parseCompletion(committed);
      if (completion) return completion;
      // Damaged on disk: bought again and stored over it, never served.
      if (this.pending.markDamaged(key))
        this.warn(`${this.file}: the cached response ${key} is unreadable; its call will be bought again`);
    }
    const json = this.pending.heldResponse(key);
    return json === undefined ? undefined : (JSON.parse(json) as CachedCompletion);
  }

  /** Never throws: a response is money, so after a failure it is held in memory for `rescue()`. */
  cacheResponse(key: string, completion: CachedCompletion): void {
    // INSERT OR IGNORE: the first response stored under a key is the one kept.
    if (this.pending.heldResponse(key) !== undefined) return;
    const json = JSON.stringify(completion);
    this.journal.hold(key, json);
    this.pending.holdResponse(key, json);
    if (this.failure) return;
    this.journalWrite ??= setImmediate(() => this.writeJournal());
    this.queueFlush();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
