import type Database from 'better-sqlite3';
import { EVENT_FACT_COLUMNS, eventFacts } from './migrations.js';
import type { SampleResult, TraceEvent } from './records.js';

/**
 * What the next group commit writes — finished samples with their trace events (a sample and its
 * events in one transaction: wholly recorded or absent) and responses bought — and lookups of the
 * responses already committed. Emptied only once the transaction committed: a failed commit leaves
 * everything held here.
 */
export class PendingWrites {
  /** Statements on the per-call and per-sample hot path, prepared once. */
  private readonly hot: {
    deleteEvents: Database.Statement;
    insertSample: Database.Statement;
    insertEvent: Database.Statement;
    cached: Database.Statement;
    cache: Database.Statement;
    recache: Database.Statement;
  };
  private readonly insertAll: () => void;
  private readonly responses = new Map<string, string>();
  private samples: [SampleResult, TraceEvent[]][] = [];
  /**
   * Whether a lookup must ask SQLite: false while the cache holds only what this store committed
   * itself (a fresh run), whose keys `committedKeys` knows — a run's calls then skip one query each.
   */
  private cacheHadRowsAtOpen = false;
  private readonly committedKeys = new Set<string>();
  /** Committed responses found unreadable: the response bought again replaces them. */
  private readonly damagedKeys = new Set<string>();
  /**
   * Samples with rows in the store: only these can have old trace events to delete first. Read on the
   * first write, so a store opened only to read (a report) never loads every id.
   */
  private storedSampleIds: Set<string> | undefined;

  constructor(private readonly db: Database.Database) {
    const columns = [
      'sample_id',
      'step',
      'agent_id',
      'role',
      'cached',
      'kind',
      'json',
      ...EVENT_FACT_COLUMNS,
    ];
    this.hot = {
      deleteEvents: db.prepare('DELETE FROM event WHERE sample_id = ?'),
      insertSample: db.prepare(
        `INSERT OR REPLACE INTO sample (sample_id, orchestrator, task_id, suite, status, correct, session, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertEvent: db.prepare(
        `INSERT INTO event (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      ),
      cached: db.prepare('SELECT json FROM response_cache WHERE key = ?'),
      cache: db.prepare('INSERT OR IGNORE INTO response_cache (key, json, created_at) VALUES (?, ?, ?)'),
      recache: db.prepare('INSERT OR REPLACE INTO response_cache (key, json, created_at) VALUES (?, ?, ?)'),
    };
    const now = Date.now;
    this.insertAll = db.transaction(() => {
      for (const [key, json] of this.responses)
        (this.damagedKeys.has(key) ? this.hot.recache : this.hot.cache).run(key, json, now());
      for (const [sample, events] of this.samples) this.writeSample(sample, events);
    });
  }

  /** Once the store is open (the journal imported): from now on lookups of other rows ask SQLite. */
  opened(): void {
    this.cacheHadRowsAtOpen = this.db.prepare('SELECT 1 FROM response_cache LIMIT 1').get() !== undefined;
  }

  holdSample(sample: SampleResult, events: TraceEvent[]): void {
    this.samples.push([sample, events]);
  }

  holdResponse(key: string, json: string): void {
    this.responses.set(key, json);
  }

  get heldSamples(): number {
    return this.samples.length;
  }

  get heldResponses(): number {
    return this.responses.size;
  }

  /** A response held for the next commit, as JSON. */
  heldResponse(key: string): string | undefined {
    return this.responses.get(key);
  }

  /** A committed response, as stored JSON. */
  committedResponse(key: string): string | undefined {
    if (!this.cacheHadRowsAtOpen && !this.committedKeys.has(key)) return undefined;
    return (this.hot.cached.get(key) as { json: string } | undefined)?.json;
  }

  /** A committed response is unreadable: the next one held under its key replaces it. False if known. */
  markDamaged(key: string): boolean {
    if (this.damagedKeys.has(key)) return false;
    this.damagedKeys.add(key);
    return true;
  }

  commit(): void {
    this.insertAll();
    if (!this.cacheHadRowsAtOpen) for (const key of this.responses.keys()) this.committedKeys.add(key);
    this.responses.clear();
    this.samples = [];
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
        e.kind === 'call' && e.cached ? 1 : 0,
        e.kind,
        JSON.stringify(e),
        ...eventFacts(e),
      );
    }
  }
}
