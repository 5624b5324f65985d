import { hash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import Database from 'better-sqlite3';
import { ORCHESTRATOR_PROVIDER } from '../orchestrators/member.js';
import type { CachedCompletion } from '../providers/types.js';
import { CorruptStoreError } from '../util/errors.js';
import { describeFault, isCorruption } from '../util/storage-fault.js';
import {
  EVENT_FACT_COLUMNS,
  type EventFacts,
  eventFacts,
  migrate,
  SAMPLE_SUMMARY_SQL,
  type SampleSummary,
} from './migrations.js';
import type { PriorSpending, SampleResult, TraceEvent } from './records.js';

export type { EventFacts, SampleSummary } from './migrations.js';

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

export interface RunRecord {
  id: string;
  name: string;
  configHash: string;
  configJson: string;
  configFile: string;
  createdAt: number;
  /** True when any pool member was simulated (which ones answered: each trace event's `provenance`). */
  simulated: boolean;
  /**
   * The run was recorded (at least in part) before baton kept provenance per call: its calls were
   * stamped from `simulated` when the store was migrated (store schema 4), not recorded one by one.
   */
  provenanceInferred?: boolean;
  sessions: number;
  /** `stopped_errors`: stopped early because an endpoint's first calls all failed (auth, connection). */
  status: 'running' | 'complete' | 'budget_exhausted' | 'interrupted' | 'stopped_errors';
  planned: number;
  environment: Record<string, unknown>;
}

/** One sample's trace events as stored JSON, in step order. */
const SAMPLE_EVENTS_SQL = 'SELECT json FROM event WHERE sample_id = ? ORDER BY step';

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

/** One journal line: `key \t json \t checksum \n`, the checksum over `key \t json`. */
function journalLine(key: string, json: string): string {
  const body = `${key}\t${json}`;
  return `${body}\t${lineChecksum(body)}\n`;
}

/** 64 bits of SHA-256: enough to tell a torn or flipped line from a whole one. */
function lineChecksum(body: string): string {
  return hash('sha256', body).slice(0, 16);
}

/** A journal line's key and response, or undefined when it is torn, altered or not a response. */
function parseJournalLine(line: string): { key: string; json: string } | undefined {
  const first = line.indexOf('\t');
  const last = line.lastIndexOf('\t');
  if (first <= 0 || last <= first) return undefined;
  const body = line.slice(0, last);
  if (lineChecksum(body) !== line.slice(last + 1)) return undefined;
  const json = line.slice(first + 1, last);
  return parseCompletion(json) ? { key: line.slice(0, first), json } : undefined;
}

/** A cached response's JSON, parsed and checked for the fields a call needs, or undefined. */
function parseCompletion(json: string): CachedCompletion | undefined {
  try {
    const c = JSON.parse(json) as Partial<CachedCompletion>;
    return typeof c === 'object' &&
      c !== null &&
      typeof c.text === 'string' &&
      typeof c.usage === 'object' &&
      c.usage !== null &&
      typeof c.latencyMs === 'number'
      ? (c as CachedCompletion)
      : undefined;
  } catch {
    return undefined;
  }
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
export class RunStore {
  private readonly db: Database.Database;
  /** Statements on the per-call and per-sample hot path, prepared once. */
  private readonly hot: {
    deleteEvents: Database.Statement;
    insertSample: Database.Statement;
    insertEvent: Database.Statement;
    cached: Database.Statement;
    cache: Database.Statement;
    recache: Database.Statement;
  };
  private readonly commitPending: () => void;
  private readonly prepared = new Map<string, Database.Statement>();
  private readonly pendingCache = new Map<string, string>();
  /**
   * Whether a lookup must ask SQLite: false while the cache holds only what this store committed
   * itself (a fresh run), whose keys `committedKeys` knows — a run's calls then skip one query each.
   */
  private cacheHadRowsAtOpen = false;
  private readonly committedKeys = new Set<string>();
  /** Committed responses found unreadable: the response bought again replaces them. */
  private readonly damagedKeys = new Set<string>();
  private pendingSamples: [SampleResult, TraceEvent[]][] = [];
  /**
   * Samples with rows in the store: only these can have old trace events to delete first. Read on the
   * first write, so a store opened only to read (a report) never loads every id.
   */
  private storedSampleIds: Set<string> | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  /** Cached responses not committed yet, one checksummed line each (see journalLine); emptied by every commit. */
  private readonly journal: number;
  private readonly journalFile: string;
  /** Bytes of whole lines in the journal: a failed append is cut back to this. */
  private journalBytes = 0;
  /** Journal lines not written yet (this event-loop turn's, or all since a failure). */
  private journalLines: string[] = [];
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
    this.onFailure = options.onFailure;
    this.warn = options.warn ?? ((message) => process.stderr.write(`warning: ${message}\n`));
    this.db = openDatabase(file, options.check === true);
    const columns = ['sample_id', 'step', 'agent_id', 'role', 'cached', 'json', ...EVENT_FACT_COLUMNS];
    this.hot = {
      deleteEvents: this.db.prepare('DELETE FROM event WHERE sample_id = ?'),
      insertSample: this.db.prepare(
        `INSERT OR REPLACE INTO sample (sample_id, orchestrator, task_id, suite, status, correct, session, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertEvent: this.db.prepare(
        `INSERT INTO event (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      ),
      cached: this.db.prepare('SELECT json FROM response_cache WHERE key = ?'),
      cache: this.db.prepare('INSERT OR IGNORE INTO response_cache (key, json, created_at) VALUES (?, ?, ?)'),
      recache: this.db.prepare(
        'INSERT OR REPLACE INTO response_cache (key, json, created_at) VALUES (?, ?, ?)',
      ),
    };
    const now = Date.now;
    const insertAll = this.db.transaction(() => {
      for (const [key, json] of this.pendingCache)
        (this.damagedKeys.has(key) ? this.hot.recache : this.hot.cache).run(key, json, now());
      for (const [sample, events] of this.pendingSamples) this.writeSample(sample, events);
    });
    // Emptied only once the transaction committed: a failed commit leaves everything held here.
    this.commitPending = () => {
      insertAll();
      if (!this.cacheHadRowsAtOpen) for (const key of this.pendingCache.keys()) this.committedKeys.add(key);
      this.pendingCache.clear();
      this.pendingSamples = [];
    };
    this.journalFile = `${file}-responses.jsonl`;
    try {
      this.reserveFile = options.reserveBytes
        ? reserveSpace(`${file}-reserve`, options.reserveBytes)
        : undefined;
      this.recoverJournal(this.journalFile);
      this.cacheHadRowsAtOpen = this.db.prepare('SELECT 1 FROM response_cache LIMIT 1').get() !== undefined;
      this.journal = openSync(this.journalFile, 'a');
    } catch (err) {
      this.db.close();
      throw isCorruption(err) ? new CorruptStoreError(file, describeFault(err)) : err;
    }
    openStores.add(this);
  }

  /**
   * Responses a killed process had paid for but not committed: into the cache, then the journal is
   * emptied. A line whose checksum does not match (torn by a crash mid-write, altered on disk) is
   * skipped with a warning: its call is bought again, never served from a damaged record.
   */
  private recoverJournal(journalFile: string): void {
    if (!existsSync(journalFile)) return;
    const lines = readFileSync(journalFile, 'utf8').split('\n');
    // The text after the last newline: empty, or a line the crash cut short.
    const tail = lines.pop() ?? '';
    const skipped: number[] = [];
    lines.forEach((line, i) => {
      const entry = parseJournalLine(line);
      if (!entry) skipped.push(i + 1);
      else if (!this.pendingCache.has(entry.key)) this.pendingCache.set(entry.key, entry.json);
    });
    if (tail !== '') skipped.push(lines.length + 1);
    if (skipped.length > 0) {
      const shown = skipped.slice(0, 5).join(', ');
      const more = skipped.length > 5 ? ` and ${skipped.length - 5} more` : '';
      this.warn(
        `${journalFile}: skipped ${skipped.length} torn or corrupt journal line(s) (line ${shown}${more}); their calls will be bought again`,
      );
    }
    this.commitPending();
    truncateSync(journalFile, 0);
  }

  private writeSample(sample: SampleResult, events: TraceEvent[]): void {
    this.storedSampleIds ??= new Set(
      this.db.prepare('SELECT sample_id FROM sample').pluck().all() as string[],
    );
    if (this.storedSampleIds.has(sample.sampleId)) this.hot.deleteEvents.run(sample.sampleId);
    else this.storedSampleIds.add(sample.sampleId);
    this.hot.insertSample.run(
      sample.sampleId,
      sample.orchestrator,
      sample.taskId,
      sample.suite,
      sample.status,
      sample.correct === null ? null : sample.correct ? 1 : 0,
      sample.session,
      JSON.stringify(sample),
    );
    for (const e of events) {
      this.hot.insertEvent.run(
        e.sampleId,
        e.step,
        e.agentId,
        e.role,
        e.cached ? 1 : 0,
        JSON.stringify(e),
        ...eventFacts(e),
      );
    }
  }

  /**
   * Commits every write still pending now (reads and close do this themselves). Throws the store's
   * failure, the first one or this commit's: what was pending stays held for `rescue()`.
   */
  flush(): void {
    this.throwIfFailed();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingCache.size === 0 && this.pendingSamples.length === 0) return;
    try {
      this.commitPending();
    } catch (err) {
      this.fail(err, `${this.file}-wal`);
      this.throwIfFailed();
    }
    this.emptyJournal();
  }

  /** After a commit: the journal's lines are in the store, and lines not written yet need not be. */
  private emptyJournal(): void {
    // Lines not journaled yet are committed now: the turn's pending write finds nothing to write.
    this.journalLines = [];
    try {
      ftruncateSync(this.journal, 0);
      this.journalBytes = 0;
    } catch {
      // Committed lines left in the journal are imported again harmlessly (INSERT OR IGNORE).
    }
  }

  /** Writes this turn's journal lines (at the turn's end, or when the process exits before it). */
  writeJournal(): void {
    if (this.journalWrite) clearImmediate(this.journalWrite);
    this.journalWrite = undefined;
    if (this.journalLines.length === 0 || this.failure) return;
    this.appendJournal();
  }

  /**
   * Appends the unwritten journal lines. On failure the lines written whole are kept (the disk may
   * take some of them), the torn rest is cut off, and the lines not written stay held.
   */
  private appendJournal(): boolean {
    const data = Buffer.from(this.journalLines.join(''));
    let done = 0;
    try {
      // A short write (the disk filled mid-line) is continued; the next write then fails.
      while (done < data.length) done += writeSync(this.journal, data, done, data.length - done);
      this.journalBytes += data.length;
      this.journalLines = [];
      return true;
    } catch (err) {
      let whole = 0;
      let lines = 0;
      for (const line of this.journalLines) {
        const size = Buffer.byteLength(line);
        if (whole + size > done) break;
        whole += size;
        lines++;
      }
      // A torn last line would swallow the next one written after it: cut it off.
      try {
        ftruncateSync(this.journal, this.journalBytes + whole);
        this.journalBytes += whole;
        this.journalLines = this.journalLines.slice(lines);
      } catch {
        // Then the import skips it as torn (its checksum cannot match); every line stays held.
      }
      this.fail(err, this.journalFile);
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
    const held = this.pendingCache.size;
    const journaled = this.journalLines.length === 0 || this.appendJournal();
    try {
      this.commitPending();
      this.emptyJournal();
      return { held, savedIn: 'store', lost: 0 };
    } catch {
      return journaled
        ? { held, savedIn: 'journal', lost: 0 }
        : { held, savedIn: 'nowhere', lost: this.journalLines.length };
    }
  }

  /**
   * A statement over committed data: pending writes are flushed first, so reads see every write.
   * Prepared once per SQL text (a report asks for thousands of samples one by one); `iterate` callers
   * prepare their own, since one statement cannot run two iterations at once.
   */
  private statement(sql: string, shared = true): Database.Statement {
    this.flush();
    if (!shared) return this.db.prepare(sql);
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  /** Schedules the group commit (never throws: a failed commit is the store's failure, told to onFailure). */
  private queueFlush(): void {
    if (this.failure) return;
    if (this.pendingSamples.length >= GROUP_COMMIT_SAMPLES) {
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
      closeSync(this.journal);
      this.db.close();
      if (this.reserveFile) rmSync(this.reserveFile, { force: true });
    }
  }

  getRun(): RunRecord | undefined {
    const row = this.statement('SELECT * FROM run LIMIT 1').get() as Record<string, unknown> | undefined;
    if (!row) return undefined;
    return {
      id: row.id as string,
      name: row.name as string,
      configHash: row.config_hash as string,
      configJson: row.config_json as string,
      configFile: row.config_file as string,
      createdAt: row.created_at as number,
      simulated: row.simulated === 1,
      provenanceInferred: row.provenance_inferred === 1,
      sessions: row.sessions as number,
      status: row.status as RunRecord['status'],
      planned: row.planned as number,
      environment: JSON.parse(row.environment_json as string) as Record<string, unknown>,
    };
  }

  createRun(run: Omit<RunRecord, 'sessions' | 'status'>): void {
    this.write(
      `INSERT INTO run (id, name, config_hash, config_json, config_file, created_at, simulated, sessions, status, planned, environment_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'running', ?, ?)`,
      run.id,
      run.name,
      run.configHash,
      run.configJson,
      run.configFile,
      run.createdAt,
      run.simulated ? 1 : 0,
      run.planned,
      JSON.stringify(run.environment),
    );
  }

  /** A write outside the group commit (run record, session, status): a refusal is the store's failure. */
  private write(sql: string, ...params: unknown[]): void {
    const statement = this.statement(sql);
    try {
      statement.run(...params);
    } catch (err) {
      // Any refused write: the run cannot record what it buys, so it must stop buying.
      this.fail(err, this.file);
      throw err;
    }
  }

  /** Starts a new session (first run or a resume) and returns its number. */
  beginSession(): number {
    this.write("UPDATE run SET sessions = sessions + 1, status = 'running'");
    return this.getRun()?.sessions ?? 1;
  }

  setStatus(status: RunRecord['status']): void {
    this.write('UPDATE run SET status = ?', status);
  }

  /** Samples the run plans: raised when a pilot run is resumed with every task. */
  setPlanned(planned: number): void {
    this.write('UPDATE run SET planned = ?', planned);
  }

  /** Sample ids already finished without error: a resume skips them. */
  finishedSampleIds(): Set<string> {
    const rows = this.statement("SELECT sample_id FROM sample WHERE status = 'ok'").all() as {
      sample_id: string;
    }[];
    return new Set(rows.map((r) => r.sample_id));
  }

  /**
   * What the run has paid so far, for a resume's budget: every response bought (the cache keeps each
   * call's cost, failed-but-billed attempts before its answer included, so calls of samples a stop cut
   * short count too) plus the billed failures of recorded calls that never got an answer; and per
   * orchestrator, the samples recorded and their cost. A store whose cache entries predate their cost
   * counts at least what its samples cost.
   */
  priorSpending(): PriorSpending {
    const cache = this.statement(
      "SELECT total(json_extract(json, '$.costUsd')) AS usd, count(*) - count(json_extract(json, '$.costUsd')) AS unpriced FROM response_cache",
    ).get() as { usd: number; unpriced: number };
    const failed = this.statement(
      `SELECT total(cost_usd) AS usd FROM event WHERE cached = 0 AND failed = 1 AND provider <> '${ORCHESTRATOR_PROVIDER}'`,
    ).get() as { usd: number };
    const rows = this.statement(
      "SELECT orchestrator, count(*) AS n, total(json_extract(json, '$.costUsd')) AS usd FROM sample GROUP BY orchestrator",
    ).all() as { orchestrator: string; n: number; usd: number }[];
    const samples = new Map(rows.map((r) => [r.orchestrator, { n: r.n, usd: r.usd }]));
    const paid = cache.usd + failed.usd;
    const recorded = rows.reduce((sum, r) => sum + r.usd, 0);
    return { usd: cache.unpriced > 0 ? Math.max(paid, recorded) : paid, samples };
  }

  /**
   * Records a sample and its trace atomically, replacing an earlier failed attempt at the same sample.
   * Never throws: after a failure the sample is held for `rescue()`.
   */
  saveSample(sample: SampleResult, events: TraceEvent[]): void {
    this.pendingSamples.push([sample, events]);
    this.queueFlush();
  }

  samples(): SampleResult[] {
    const rows = this.statement('SELECT json FROM sample ORDER BY sample_id').all() as { json: string }[];
    return rows.map((r) => JSON.parse(r.json) as SampleResult);
  }

  /** Every trace event (by sample, then step), or one sample's in step order. */
  events(sampleId?: string): TraceEvent[] {
    const rows = (
      sampleId === undefined
        ? this.statement('SELECT json FROM event ORDER BY sample_id, step').all()
        : this.statement(SAMPLE_EVENTS_SQL).all(sampleId)
    ) as { json: string }[];
    return rows.map((r) => JSON.parse(r.json) as TraceEvent);
  }

  /** A sample's stored error message (scrubbed of credentials when it was recorded); null if none. */
  errorMessage(sampleId: string): string | null {
    const row = this.statement(
      "SELECT json_extract(json, '$.errorMessage') AS m FROM sample WHERE sample_id = ?",
    ).get(sampleId) as { m: string | null } | undefined;
    return row?.m ?? null;
  }

  sampleCount(): number {
    return (this.statement('SELECT count(*) AS n FROM sample').get() as { n: number }).n;
  }

  /**
   * Every sample without its bulky fields (answer text, score detail), one at a time: a report over
   * 100 000 samples never holds their JSON all at once.
   */
  *iterateSampleSummaries(): IterableIterator<SampleSummary> {
    for (const row of this.statement(SAMPLE_SUMMARY_SQL, false).iterate() as IterableIterator<{
      json: string;
    }>)
      yield JSON.parse(row.json) as SampleSummary;
  }

  /** The numbers of every trace event (no messages, no outputs), ordered by sample then step. */
  *iterateEventFacts(): IterableIterator<EventFacts> {
    const sql = `SELECT sample_id AS sampleId, step, agent_id AS agentId, role, cached, ${EVENT_FACT_COLUMNS.join(', ')}
                 FROM event ORDER BY sample_id, step`;
    yield* this.statement(sql, false).iterate() as IterableIterator<EventFacts>;
  }

  /**
   * Samples with their trace events as stored JSON text, in item order (suite, task, then sample id:
   * all orchestrators of a task side by side): `events` is the sample's event objects joined by
   * commas, in step order ('' when it made no call). One primary-key range read per sample: on a
   * 4 000-sample run this took half the time of one query with a correlated `group_concat`.
   */
  *iterateTracesByItem(limit: number): Generator<{ sampleId: string; sample: string; events: string }> {
    const samples = this.statement(
      'SELECT sample_id AS sampleId, json AS sample FROM sample ORDER BY suite, task_id, sample_id LIMIT ?',
      false,
    );
    // Not the shared statement of `events(id)`: pluck mode would stay switched on for it.
    const events = this.statement(SAMPLE_EVENTS_SQL, false).pluck();
    for (const { sampleId, sample } of samples.iterate(limit) as IterableIterator<{
      sampleId: string;
      sample: string;
    }>)
      yield { sampleId, sample, events: (events.all(sampleId) as string[]).join(',') };
  }

  /** One sample in full (answer, score detail with per-test verdicts), or undefined. */
  sample(sampleId: string): SampleResult | undefined {
    const row = this.statement('SELECT json FROM sample WHERE sample_id = ?').get(sampleId) as
      | { json: string }
      | undefined;
    return row === undefined ? undefined : (JSON.parse(row.json) as SampleResult);
  }

  cachedResponse(key: string): CachedCompletion | undefined {
    // Committed first: a response already stored under this key wins over one still pending.
    const committed =
      this.cacheHadRowsAtOpen || this.committedKeys.has(key)
        ? (this.hot.cached.get(key) as { json: string } | undefined)?.json
        : undefined;
    if (committed !== undefined) {
      const completion = parseCompletion(committed);
      if (completion) return completion;
      // Damaged on disk: bought again and stored over it, never served.
      if (!this.damagedKeys.has(key))
        this.warn(`${this.file}: the cached response ${key} is unreadable; its call will be bought again`);
      this.damagedKeys.add(key);
    }
    const json = this.pendingCache.get(key);
    return json === undefined ? undefined : (JSON.parse(json) as CachedCompletion);
  }

  /** Never throws: a response is money, so after a failure it is held in memory for `rescue()`. */
  cacheResponse(key: string, completion: CachedCompletion): void {
    // INSERT OR IGNORE: the first response stored under a key is the one kept.
    if (this.pendingCache.has(key)) return;
    const json = JSON.stringify(completion);
    this.journalLines.push(journalLine(key, json));
    this.pendingCache.set(key, json);
    if (this.failure) return;
    this.journalWrite ??= setImmediate(() => this.writeJournal());
    this.queueFlush();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}

/**
 * Opens (or creates) a store. A file that is not a sound SQLite database — not SQLite at all, cut
 * short, bits flipped in its structure — is a CorruptStoreError (one line, exit 2), never a stack.
 */
function openDatabase(file: string, check: boolean): Database.Database {
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

/** Keeps `bytes` of the disk for a rescue: a file of zeros (written, so its blocks are really taken). */
function reserveSpace(file: string, bytes: number): string {
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
