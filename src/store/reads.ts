import type Database from 'better-sqlite3';
import type { Provenance } from '../providers/provenance.js';
import { EVENT_FACT_COLUMNS } from './migrations.js';
import type { PriorSpending, RunRecord, SampleResult, TraceEvent } from './records.js';

/** One model call's numbers, as the report reads them (column names as stored). */
export interface CallFacts {
  sampleId: string;
  step: number;
  agentId: string;
  role: string;
  cached: 0 | 1;
  orchestrator: string;
  provider: string;
  endpoint: string;
  model: string;
  parent_step: number | null;
  /** UTF-8 bytes of the request's message contents: the data the vendor received. */
  input_bytes: number;
  /** UTF-8 bytes of the response text. */
  output_bytes: number;
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  started_at: number;
  ended_at: number;
  latency_ms: number;
  failed: 0 | 1;
  provenance: Provenance;
  /** 1: answered from the response cache shared across runs (another run paid for it). */
  shared_cache: 0 | 1;
}

/** A sample without the answer text and score detail. */
export type SampleSummary = Omit<SampleResult, 'answer' | 'score' | 'errorMessage'>;

const SAMPLE_SUMMARY_SQL =
  "SELECT json_remove(json, '$.answer', '$.score', '$.errorMessage') AS json FROM sample ORDER BY sample_id";

/** One sample's trace events as stored JSON, in step order. */
const SAMPLE_EVENTS_SQL = 'SELECT json FROM event WHERE sample_id = ? ORDER BY step';

/**
 * Prepared statements of one database, one per SQL text (a report asks for thousands of samples one by
 * one); `shared: false` gives a statement of its own, for an iteration (one statement cannot run two at
 * once).
 */
export class PreparedStatements {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  get(sql: string, shared = true): Database.Statement {
    if (!shared) return this.db.prepare(sql);
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

/** What reports and resumes read from a run's store. */
export abstract class StoreReads {
  /**
   * A statement over committed data: pending writes are flushed first, so reads see every write.
   * Prepared once per SQL text unless `shared` is false (an iteration needs its own statement).
   */
  protected abstract statement(sql: string, shared?: boolean): Database.Statement;

  /** The run's own row (written by RunRecords), or undefined in a store that has none yet. */
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
      "SELECT total(cost_usd) AS usd FROM event WHERE kind = 'call' AND cached = 0 AND failed = 1",
    ).get() as { usd: number };
    const rows = this.statement(
      "SELECT orchestrator, count(*) AS n, total(json_extract(json, '$.costUsd')) AS usd FROM sample GROUP BY orchestrator",
    ).all() as { orchestrator: string; n: number; usd: number }[];
    const samples = new Map(rows.map((r) => [r.orchestrator, { n: r.n, usd: r.usd }]));
    const paid = cache.usd + failed.usd;
    const recorded = rows.reduce((sum, r) => sum + r.usd, 0);
    return { usd: cache.unpriced > 0 ? Math.max(paid, recorded) : paid, samples };
  }

  samples(): SampleResult[] {
    const rows = this.statement('SELECT json FROM sample ORDER BY sample_id').all() as { json: string }[];
    return rows.map((r) => JSON.parse(r.json) as SampleResult);
  }

  /** One sample in full (answer, score detail with per-test verdicts), or undefined. */
  sample(sampleId: string): SampleResult | undefined {
    const row = this.statement('SELECT json FROM sample WHERE sample_id = ?').get(sampleId) as
      | { json: string }
      | undefined;
    return row === undefined ? undefined : (JSON.parse(row.json) as SampleResult);
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

  /** Samples recorded, and how many of them failed. */
  sampleCounts(): { recorded: number; errors: number } {
    return this.statement(
      "SELECT count(*) AS recorded, coalesce(sum(status <> 'ok'), 0) AS errors FROM sample",
    ).get() as { recorded: number; errors: number };
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

  /**
   * The numbers of every model call (no messages, no outputs), ordered by sample then step. Nested
   * runs' events are left out: their calls are counted one by one.
   */
  *iterateCallFacts(): IterableIterator<CallFacts> {
    const sql = `SELECT sample_id AS sampleId, step, agent_id AS agentId, role, cached, ${EVENT_FACT_COLUMNS.join(', ')}
                 FROM event WHERE kind = 'call' ORDER BY sample_id, step`;
    yield* this.statement(sql, false).iterate() as IterableIterator<CallFacts>;
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
}
