import type Database from 'better-sqlite3';
import type { SampleResult, TraceEvent } from '../runner/types.js';

/**
 * Store schema versions (SQLite `user_version`):
 * 0 — run, sample, event (sample_id, step, agent_id, role, cached, json), response_cache;
 * 1 — event also carries its numbers as columns, so reports over large runs aggregate them
 *     without parsing each event's JSON (messages and outputs make it ~3 kB per call).
 * 2 — a covering index over (sample_id, step, those columns): the report read event facts from
 *     the index alone (half the read time on 325 000 events).
 * 3 — that index dropped again: it cost every run ~25 µs per call to maintain (a wide entry at a
 *     random position per event; a quarter of the store's write cost in bench:runner), more than it
 *     saved any report, which reads each event once.
 * Older stores are migrated in place when opened; the JSON stays the source of truth.
 */
export const STORE_SCHEMA_VERSION = 3;

export const EVENT_FACT_COLUMNS = [
  'orchestrator',
  'provider',
  'endpoint',
  'model',
  'parent_step',
  'input_bytes',
  'output_bytes',
  'input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost_usd',
  'started_at',
  'ended_at',
  'latency_ms',
  'failed',
] as const;

const COLUMN_TYPES: Record<(typeof EVENT_FACT_COLUMNS)[number], string> = {
  orchestrator: 'TEXT',
  provider: 'TEXT',
  endpoint: 'TEXT',
  model: 'TEXT',
  parent_step: 'INTEGER',
  input_bytes: 'INTEGER',
  output_bytes: 'INTEGER',
  input_tokens: 'INTEGER',
  output_tokens: 'INTEGER',
  reasoning_tokens: 'INTEGER',
  cost_usd: 'REAL',
  started_at: 'REAL',
  ended_at: 'REAL',
  latency_ms: 'REAL',
  failed: 'INTEGER',
};

/** One trace event's numbers, as the report reads them (column names as stored). */
export interface EventFacts {
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
}

/** A sample without the answer text and score detail. */
export type SampleSummary = Omit<SampleResult, 'answer' | 'score' | 'errorMessage'>;

export const SAMPLE_SUMMARY_SQL =
  "SELECT json_remove(json, '$.answer', '$.score', '$.errorMessage') AS json FROM sample ORDER BY sample_id";

/** The values of EVENT_FACT_COLUMNS for one event, in that order. */
export function eventFacts(e: TraceEvent): (string | number | null)[] {
  const inputBytes = e.request.messages.reduce((n, m) => n + Buffer.byteLength(m.content, 'utf8'), 0);
  return [
    e.orchestrator,
    e.provider,
    e.endpoint,
    e.model,
    e.parentStep,
    inputBytes,
    e.response === null ? 0 : Buffer.byteLength(e.response, 'utf8'),
    e.usage.input,
    e.usage.output,
    e.usage.reasoning,
    e.costUsd,
    e.startedAt,
    e.endedAt,
    e.latencyMs,
    e.error === null ? 0 : 1,
  ];
}

export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version >= STORE_SCHEMA_VERSION) return;
  db.transaction(() => {
    if (version < 1) addEventFactColumns(db);
    db.exec('DROP INDEX IF EXISTS event_facts');
    db.pragma(`user_version = ${STORE_SCHEMA_VERSION}`);
  })();
}

function addEventFactColumns(db: Database.Database): void {
  const present = new Set(
    (db.prepare('PRAGMA table_info(event)').all() as { name: string }[]).map((c) => c.name),
  );
  for (const column of EVENT_FACT_COLUMNS)
    if (!present.has(column)) db.exec(`ALTER TABLE event ADD COLUMN ${column} ${COLUMN_TYPES[column]}`);
  // Backfill in pages: better-sqlite3 cannot write while a statement is still iterating.
  const page = db.prepare('SELECT rowid, json FROM event WHERE input_bytes IS NULL LIMIT 1000');
  const update = db.prepare(
    `UPDATE event SET ${EVENT_FACT_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE rowid = ?`,
  );
  for (;;) {
    const rows = page.all() as { rowid: number; json: string }[];
    if (rows.length === 0) break;
    for (const row of rows) update.run(...eventFacts(JSON.parse(row.json) as TraceEvent), row.rowid);
  }
}
