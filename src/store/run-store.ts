import {
  closeSync,
  existsSync,
  ftruncateSync,
  openSync,
  readFileSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import Database from 'better-sqlite3';
import type { CachedCompletion } from '../providers/types.js';
import type { SampleResult, TraceEvent } from '../runner/types.js';
import {
  EVENT_FACT_COLUMNS,
  type EventFacts,
  eventFacts,
  migrate,
  SAMPLE_SUMMARY_SQL,
  type SampleSummary,
} from './migrations.js';

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
  simulated: boolean;
  sessions: number;
  status: 'running' | 'complete' | 'budget_exhausted' | 'interrupted';
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
  private pendingSamples: [SampleResult, TraceEvent[]][] = [];
  /**
   * Samples with rows in the store: only these can have old trace events to delete first. Read on the
   * first write, so a store opened only to read (a report) never loads every id.
   */
  private storedSampleIds: Set<string> | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  /** Cached responses not committed yet, one `key\tjson` line each; emptied by every commit. */
  private readonly journal: number;
  /** Journal lines of this event-loop turn, written together when it ends. */
  private journalLines: string[] = [];
  private journalWrite: NodeJS.Immediate | undefined;
  /** A failed deferred commit, reported by the next write or flush (a full disk must stop the run). */
  private commitFailure: unknown;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    migrate(this.db);
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
    };
    const now = Date.now;
    this.commitPending = this.db.transaction(() => {
      for (const [key, json] of this.pendingCache) {
        this.hot.cache.run(key, json, now());
        if (!this.cacheHadRowsAtOpen) this.committedKeys.add(key);
      }
      for (const [sample, events] of this.pendingSamples) this.writeSample(sample, events);
      this.pendingCache.clear();
      this.pendingSamples = [];
    });
    const journalFile = `${file}-responses.jsonl`;
    this.recoverJournal(journalFile);
    this.cacheHadRowsAtOpen = this.db.prepare('SELECT 1 FROM response_cache LIMIT 1').get() !== undefined;
    this.journal = openSync(journalFile, 'a');
    openStores.add(this);
  }

  /** Responses a killed process had paid for but not committed: into the cache, then the journal is emptied. */
  private recoverJournal(journalFile: string): void {
    if (!existsSync(journalFile)) return;
    // A line cut short by the crash has no newline yet: it is dropped (that call was not answered in full).
    for (const line of readFileSync(journalFile, 'utf8').split('\n').slice(0, -1)) {
      const tab = line.indexOf('\t');
      if (tab > 0 && !this.pendingCache.has(line.slice(0, tab)))
        this.pendingCache.set(line.slice(0, tab), line.slice(tab + 1));
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

  /** Commits every write still pending now (reads and close do this themselves). */
  flush(): void {
    this.throwCommitFailure();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingCache.size === 0 && this.pendingSamples.length === 0) return;
    this.commitPending();
    ftruncateSync(this.journal, 0);
    // Lines not journaled yet are committed now: the turn's pending write finds nothing to write.
    this.journalLines = [];
  }

  /** Writes this turn's journal lines (at the turn's end, or when the process exits before it). */
  writeJournal(): void {
    if (this.journalWrite) clearImmediate(this.journalWrite);
    this.journalWrite = undefined;
    if (this.journalLines.length === 0) return;
    try {
      writeSync(this.journal, this.journalLines.join(''));
      this.journalLines = [];
    } catch (err) {
      this.commitFailure = err;
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

  private queueFlush(): void {
    if (this.pendingSamples.length >= GROUP_COMMIT_SAMPLES) {
      this.flush();
      return;
    }
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      try {
        this.flush();
      } catch (err) {
        this.commitFailure = err;
      }
    }, GROUP_COMMIT_MS);
    // The run closes the store (which commits) before it ends; a pending commit keeps nothing alive.
    this.flushTimer.unref();
  }

  close(): void {
    this.flush();
    openStores.delete(this);
    closeSync(this.journal);
    this.db.close();
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
      sessions: row.sessions as number,
      status: row.status as RunRecord['status'],
      planned: row.planned as number,
      environment: JSON.parse(row.environment_json as string) as Record<string, unknown>,
    };
  }

  createRun(run: Omit<RunRecord, 'sessions' | 'status'>): void {
    this.statement(
      `INSERT INTO run (id, name, config_hash, config_json, config_file, created_at, simulated, sessions, status, planned, environment_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'running', ?, ?)`,
    ).run(
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

  /** Starts a new session (first run or a resume) and returns its number. */
  beginSession(): number {
    this.statement("UPDATE run SET sessions = sessions + 1, status = 'running'").run();
    return this.getRun()?.sessions ?? 1;
  }

  setStatus(status: RunRecord['status']): void {
    this.statement('UPDATE run SET status = ?').run(status);
  }

  /** Sample ids already finished without error: a resume skips them. */
  finishedSampleIds(): Set<string> {
    const rows = this.statement("SELECT sample_id FROM sample WHERE status = 'ok'").all() as {
      sample_id: string;
    }[];
    return new Set(rows.map((r) => r.sample_id));
  }

  /** Records a sample and its trace atomically, replacing an earlier failed attempt at the same sample. */
  saveSample(sample: SampleResult, events: TraceEvent[]): void {
    this.throwCommitFailure();
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
    const json = committed ?? this.pendingCache.get(key);
    return json === undefined ? undefined : (JSON.parse(json) as CachedCompletion);
  }

  cacheResponse(key: string, completion: CachedCompletion): void {
    this.throwCommitFailure();
    // INSERT OR IGNORE: the first response stored under a key is the one kept.
    if (this.pendingCache.has(key)) return;
    const json = JSON.stringify(completion);
    this.journalLines.push(`${key}\t${json}\n`);
    this.journalWrite ??= setImmediate(() => this.writeJournal());
    this.pendingCache.set(key, json);
    this.queueFlush();
  }

  private throwCommitFailure(): void {
    if (this.commitFailure === undefined) return;
    const failure = this.commitFailure;
    this.commitFailure = undefined;
    throw failure;
  }
}
