import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write.js';
import { STORE_SCHEMA_VERSION } from '../../src/store/migrations.js';
import type { CallEvent, NestedRunEvent } from '../../src/store/records.js';
import { RunStore } from '../../src/store/run-store.js';
import { repoRoot } from '../runner/helpers.js';

/**
 * A run folder's store written by the release before trace events had kinds (65107d0, store schema 4),
 * gzipped: a simulated pool, three demo tasks × four orchestrators — fusion; vote; moa whose proposers
 * include the fusion pipeline as an orchestrator member (a nested run, 5 calls, under step 1 of each
 * moa sample); single on gemma — with gemma out from the ninth sample on (3 calls refused, 1 error
 * sample). Beside it, the report.json that release's `baton report` rendered from that store (gzipped
 * too: both byte for byte as written).
 */
const FIXTURE = join(repoRoot, 'test/fixtures/stores/v4-nested-outage');

function oldRunFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-v4-run-'));
  writeFileSync(join(dir, 'run.sqlite'), gunzipSync(readFileSync(`${FIXTURE}.db.gz`)));
  return dir;
}

interface EgressTotals {
  orchestrator: string;
  calls: number;
  cachedCalls: number;
  inputBytes: number;
  outputBytes: number;
  inputTokens: number;
  outputTokens: number;
}

/**
 * A report.json as text, without the instant it was written and without what report schema 4 changed
 * on purpose (docs/report-schema.md): egress rows per vendor instead of per host (compared apart, by
 * their totals), the egress note that says so, the schema version, the new `smallSample` and
 * `decision`, and the pairwise table's order (compared in the old order) and its note.
 */
function reportText(text: string): string {
  const {
    generatedAt,
    schemaVersion,
    egress,
    smallSample,
    decision,
    spending,
    paired,
    notes,
    run,
    ...report
  } = JSON.parse(text) as {
    run: Record<string, unknown>;
    generatedAt: string;
    schemaVersion: number;
    egress: unknown;
    smallSample?: unknown;
    decision?: unknown;
    // Added with the shared response cache (that release had none: every call was paid by its run).
    spending?: unknown;
    paired: PairedRow[];
    notes: string[];
  };
  const kept = notes.filter(
    (n) =>
      !n.startsWith('Data egress counts') &&
      !n.startsWith('Spending: ') &&
      !n.startsWith('No correction for multiple comparisons') &&
      !n.startsWith('The pairwise table is ordered'),
  );
  // Added since that release: the run's subset and overrides (`{}` for every run it made).
  const { selection, ...runBefore } = run;
  expect(selection ?? {}).toEqual({});
  return JSON.stringify(
    { ...report, run: runBefore, paired: alphabetical(paired), notes: kept, generatedAt: '<DATE>' },
    null,
    2,
  );
}

interface PairedRow {
  a: string;
  b: string;
  onlyA: number;
  onlyB: number;
  accuracyA: number;
  accuracyB: number;
  difference: number;
  ci95: { low: number; high: number };
  disagreement?: string | null;
}

/**
 * Pairs as report schema 3 listed them (A before B by id, pairs in id order; no `disagreement`):
 * schema 4 lists them baseline first, then by accuracy, a pair read B against A being the same
 * figures mirrored.
 */
function alphabetical(rows: PairedRow[]): PairedRow[] {
  const out = rows.map(({ disagreement, ...r }) =>
    r.a < r.b
      ? r
      : {
          ...r,
          a: r.b,
          b: r.a,
          onlyA: r.onlyB,
          onlyB: r.onlyA,
          accuracyA: r.accuracyB,
          accuracyB: r.accuracyA,
          difference: -r.difference,
          ci95: { low: -r.ci95.high, high: -r.ci95.low },
        },
  );
  return out.sort((x, y) => (x.a === y.a ? (x.b < y.b ? -1 : x.b > y.b ? 1 : 0) : x.a < y.a ? -1 : 1));
}

/** Egress calls, bytes and tokens per orchestrator: the same however the rows are grouped. */
function egressTotals(text: string): Record<string, Omit<EgressTotals, 'orchestrator'>> {
  const totals: Record<string, Omit<EgressTotals, 'orchestrator'>> = {};
  const rows = (JSON.parse(text) as { egress: { rows: EgressTotals[] } }).egress.rows;
  for (const { orchestrator, ...row } of rows) {
    const t = totals[orchestrator] ?? {
      calls: 0,
      cachedCalls: 0,
      inputBytes: 0,
      outputBytes: 0,
      inputTokens: 0,
      outputTokens: 0,
    };
    totals[orchestrator] = t;
    for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += row[k];
  }
  return totals;
}

describe('a run written by the previous release (store schema 4)', () => {
  it('reports as that release reported it, after the migration to tagged trace events', async () => {
    const dir = oldRunFolder();
    const before = new Database(join(dir, 'run.sqlite'), { readonly: true });
    expect(before.pragma('user_version', { simple: true })).toBe(4);
    before.close();

    await writeReport(dir);
    const previous = gunzipSync(readFileSync(`${FIXTURE}.report.json.gz`)).toString('utf8');
    const expected = reportText(previous);
    const current = readFileSync(join(dir, 'report.json'), 'utf8');
    expect(reportText(current)).toBe(expected);
    expect(egressTotals(current)).toEqual(egressTotals(previous));
    // Per vendor now: the simulated pool's five models behind one local endpoint are five vendors.
    const report = JSON.parse(current) as { egress: { rows: { vendor: string }[] } };
    expect(new Set(report.egress.rows.map((r) => r.vendor)).size).toBeGreaterThan(1);
    // Reporting the migrated store again changes nothing.
    await writeReport(dir);
    expect(reportText(readFileSync(join(dir, 'report.json'), 'utf8'))).toBe(expected);

    const store = new RunStore(join(dir, 'run.sqlite'));
    const events = store.events();
    const samples = store.samples();
    store.close();
    expect(samples).toHaveLength(12);
    expect(events).toHaveLength(51);
    const calls = events.filter((e): e is CallEvent => e.kind === 'call');
    const nested = events.filter((e): e is NestedRunEvent => e.kind === 'nested');
    expect(calls).toHaveLength(48);
    expect(nested).toHaveLength(3);
    for (const run of nested) {
      expect(run).toMatchObject({
        step: 1,
        nestedOrchestrator: 'fusion',
        calls: 5,
        provider: 'orchestrator',
      });
      expect(run).not.toHaveProperty('usage');
      expect(run).not.toHaveProperty('attempts');
      const inside = calls.filter((e) => e.sampleId === run.sampleId && e.depth === 1);
      expect(inside).toHaveLength(5);
      expect(run.summedCostUsd).toBeCloseTo(
        inside.reduce((sum, e) => sum + e.costUsd, 0),
        12,
      );
    }
    // Each sample counted its model calls, never the nested run's summary.
    for (const s of samples)
      expect(s.calls, s.sampleId).toBe(calls.filter((e) => e.sampleId === s.sampleId).length);
    expect(calls.filter((e) => e.error !== null && e.attempts === 0)).toHaveLength(3);
    expect(samples.filter((s) => s.status === 'error')).toHaveLength(1);

    const db = new Database(join(dir, 'run.sqlite'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(STORE_SCHEMA_VERSION);
    expect(db.prepare('SELECT kind, count(*) AS n FROM event GROUP BY kind ORDER BY kind').all()).toEqual([
      { kind: 'call', n: 48 },
      { kind: 'nested', n: 3 },
    ]);
    db.close();
  });
});
