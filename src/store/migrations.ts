import type Database from 'better-sqlite3';
import { ORCHESTRATOR_PROVIDER } from '../orchestrators/member.js';
import type { Provenance } from '../providers/provenance.js';
import type { CallEvent, NestedRunEvent, TraceEvent } from './records.js';

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
 * 4 — provenance per call: each event's JSON and a `provenance` column say live / simulated /
 *     replayed, and each sample's JSON counts its calls per provenance. Events of older runs are
 *     stamped from the run's one flag: every call of a run recorded as simulated counts as
 *     simulated (those runs did not record which agents were), calls of a `replay` pool member or
 *     of a `baton run --replay` as replayed, the others as live; the run row's
 *     `provenance_inferred` says they were stamped.
 * 5 — trace events are tagged: `kind` in each event's JSON and a `kind` column say `call` (a model
 *     call) or `nested` (a call to an orchestrator member, summing its nested run: `summedUsage`,
 *     `summedCostUsd`, `nestedOrchestrator`, `calls`, `meta`; no attempt fields). Events of older
 *     runs are tagged by their provider (`orchestrator` → nested) and rewritten into that shape.
 * 6 — a `shared_cache` column: 1 for a call answered from the response cache shared across runs
 *     (its JSON's `sharedCache` says which run bought it), so reports tell what a run spent from what
 *     other runs paid. Older stores had no shared cache: their events get 0.
 * Older stores are migrated in place when opened; the JSON stays the source of truth.
 */
export const STORE_SCHEMA_VERSION = 6;

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
  'provenance',
  'shared_cache',
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
  provenance: 'TEXT',
  shared_cache: 'INTEGER NOT NULL DEFAULT 0',
};

/**
 * The values of EVENT_FACT_COLUMNS for one event, in that order. A nested run's row carries its sums
 * (so queries over model calls select `kind = 'call'`).
 */
export function eventFacts(e: TraceEvent): (string | number | null)[] {
  const [usage, costUsd] = e.kind === 'call' ? [e.usage, e.costUsd] : [e.summedUsage, e.summedCostUsd];
  const inputBytes = e.request.messages.reduce((n, m) => n + Buffer.byteLength(m.content, 'utf8'), 0);
  return [
    e.orchestrator,
    e.provider,
    e.endpoint,
    e.model,
    e.parentStep,
    inputBytes,
    e.response === null ? 0 : Buffer.byteLength(e.response, 'utf8'),
    usage.input,
    usage.output,
    usage.reasoning,
    costUsd,
    e.startedAt,
    e.endedAt,
    e.latencyMs,
    e.error === null ? 0 : 1,
    // Events of stores older than v4 have none: stampProvenance fills it in.
    e.provenance ?? null,
    e.kind === 'call' && e.sharedCache ? 1 : 0,
  ];
}

export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version >= STORE_SCHEMA_VERSION) return;
  db.transaction(() => {
    // First: the steps below read events in their current shape.
    if (version < 5) tagEventKinds(db);
    if (version < 1) addEventFactColumns(db);
    db.exec('DROP INDEX IF EXISTS event_facts');
    if (version < 4) stampProvenance(db);
    if (!columns(db, 'event').has('shared_cache'))
      db.exec(`ALTER TABLE event ADD COLUMN shared_cache ${COLUMN_TYPES.shared_cache}`);
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

/**
 * v4: the provenance of every call of a run recorded before baton kept it per call, and each
 * sample's counts of them (its `simulated` flag then agrees with them). A run flagged simulated had
 * at least one simulated member and did not record which: all its calls count as simulated.
 */
function stampProvenance(db: Database.Database): void {
  if (!columns(db, 'event').has('provenance')) db.exec('ALTER TABLE event ADD COLUMN provenance TEXT');
  if (!columns(db, 'run').has('provenance_inferred')) {
    db.exec('ALTER TABLE run ADD COLUMN provenance_inferred INTEGER NOT NULL DEFAULT 0');
    // A run recorded before v4 (a new store has no run yet): its calls' provenance is inferred below.
    db.exec('UPDATE run SET provenance_inferred = 1');
  }
  const run = db.prepare('SELECT simulated, environment_json AS environment FROM run LIMIT 1').get() as
    | { simulated: number; environment: string }
    | undefined;
  const simulated = run?.simulated === 1;
  // `baton run --replay` served every member from a cassette; the command line is all that says so.
  let command = '';
  try {
    command = String((JSON.parse(run?.environment ?? '{}') as { command?: unknown }).command ?? '');
  } catch {
    // An unreadable environment: nothing known of the command.
  }
  const replayRun = /(^|\s)--replay(\s|=|$)/.test(command);
  const stamp = `CASE WHEN ${simulated ? 1 : 0} THEN 'simulated' WHEN ${replayRun ? 1 : 0} OR provider = 'replay' THEN 'replayed' ELSE 'live' END`;
  db.exec(
    `UPDATE event SET provenance = ${stamp}, json = json_set(json, '$.provenance', ${stamp}) WHERE provenance IS NULL`,
  );
  const count = (p: Provenance) =>
    `(SELECT count(*) FROM event e WHERE e.sample_id = sample.sample_id AND e.kind = 'call' AND e.provenance = '${p}')`;
  db.exec(
    `UPDATE sample SET json = json_set(json,
       '$.provenance', json_object('live', ${count('live')}, 'simulated', ${count('simulated')}, 'replayed', ${count('replayed')}),
       '$.simulated', json(CASE WHEN ${count('simulated')} > 0 THEN 'true' ELSE 'false' END))
     WHERE json_extract(json, '$.provenance') IS NULL`,
  );
}

/**
 * v5: every event tagged `call` or `nested`. A call to an orchestrator member — a nested run's summary,
 * or a call to a member refused before its run started — becomes a nested-run event; the others only
 * gain their tag.
 */
function tagEventKinds(db: Database.Database): void {
  if (!columns(db, 'event').has('kind'))
    db.exec("ALTER TABLE event ADD COLUMN kind TEXT NOT NULL DEFAULT 'call'");
  const memberCalls = db
    .prepare(
      `SELECT rowid, json FROM event WHERE json_extract(json, '$.kind') IS NULL AND json_extract(json, '$.provider') = '${ORCHESTRATOR_PROVIDER}'`,
    )
    .all() as { rowid: number; json: string }[];
  if (memberCalls.length > 0) {
    const orchestratorOf = memberOrchestrators(db);
    const update = db.prepare("UPDATE event SET kind = 'nested', json = ? WHERE rowid = ?");
    for (const row of memberCalls)
      update.run(
        JSON.stringify(nestedRunEventOf(JSON.parse(row.json) as V4MemberCall, orchestratorOf)),
        row.rowid,
      );
  }
  db.exec(
    `UPDATE event SET json = json_set(json, '$.kind', 'call') WHERE json_extract(json, '$.kind') IS NULL`,
  );
}

/** A call to an orchestrator member as schema 4 stored it: a model call's fields, plus the run it summed. */
type V4MemberCall = Omit<CallEvent, 'kind'> & {
  nested?: { orchestrator: string; calls: number; meta: Record<string, unknown> };
};

function nestedRunEventOf(event: V4MemberCall, orchestratorOf: ReadonlyMap<string, string>): NestedRunEvent {
  const {
    usage,
    costUsd,
    cached: _cached,
    attempts: _attempts,
    attemptErrors: _attemptErrors,
    attemptLog: _attemptLog,
    nested,
    ...common
  } = event;
  return {
    kind: 'nested',
    ...common,
    // A call refused before its run started recorded no run: the config names the member's orchestrator.
    nestedOrchestrator: nested?.orchestrator ?? orchestratorOf.get(event.agentId) ?? event.agentId,
    calls: nested?.calls ?? 0,
    meta: nested?.meta ?? {},
    summedUsage: usage,
    summedCostUsd: costUsd,
  };
}

/** The run config's orchestrator members: member id → the orchestrator it runs. */
function memberOrchestrators(db: Database.Database): Map<string, string> {
  const row = db.prepare('SELECT config_json AS config FROM run LIMIT 1').get() as
    | { config: string }
    | undefined;
  try {
    const pool = (JSON.parse(row?.config ?? '{}') as { pool?: { id: string; orchestrator?: string }[] }).pool;
    return new Map(
      (pool ?? []).flatMap((m) => (m.orchestrator === undefined ? [] : [[m.id, m.orchestrator]])),
    );
  } catch {
    // An unreadable config: the refused member calls keep their member's id.
    return new Map();
  }
}

function columns(db: Database.Database, table: string): Set<string> {
  return new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
}
