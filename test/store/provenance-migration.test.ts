import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ORCHESTRATOR_PROVIDER } from '../../src/orchestrators/member.js';
import { writeReport } from '../../src/report/write.js';
import { STORE_SCHEMA_VERSION } from '../../src/store/migrations.js';
import type { SampleResult } from '../../src/store/records.js';
import { RunStore } from '../../src/store/run-store.js';
import { repoRoot } from '../runner/helpers.js';
import { event, sample } from './fixtures.js';

/**
 * A run folder written by the release before provenance per call (store schema 3): `baton run` of a
 * pool with one agent on the OpenAI fake (`live`) and two simulated ones (`claude`, `gemini`),
 * orchestrators single-live, single-claude and fusion (panel live + gemini, judge claude), three
 * demo MCQ tasks. That release flagged the whole run simulated and labelled it "every answer comes
 * from baton's simulated pool". Its config names suite files under /tmp that no longer exist.
 */
const V3_MIXED_POOL = join(repoRoot, 'test/fixtures/stores/v3-mixed-pool.db');

function oldRunFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-old-run-'));
  copyFileSync(V3_MIXED_POOL, join(dir, 'run.sqlite'));
  return dir;
}

describe('store schema v4: provenance per call', () => {
  it('reports a run the previous release wrote: every agent of its simulated run counts as simulated, and the label says why', async () => {
    const dir = oldRunFolder();
    const before = new Database(join(dir, 'run.sqlite'), { readonly: true });
    expect(before.pragma('user_version', { simple: true })).toBe(3);
    expect(before.prepare('SELECT simulated FROM run').get()).toEqual({ simulated: 1 });
    before.close();

    const { report, files } = await writeReport(dir);
    for (const f of files) expect(existsSync(f), f).toBe(true);
    expect(report.samples.recorded).toBe(9);
    expect(report.provenance).toMatchObject({
      inferred: true,
      simulated: ['claude', 'gemini', 'live'],
      live: [],
      replayed: [],
    });
    expect(report.simulated).toBe(true);
    for (const r of report.rows) expect(r.simulated, r.orchestrator).toBe(true);
    expect(report.provenance.calls).toEqual({ live: 0, simulated: 18, replayed: 0 });
    // Not "every answer comes from the simulated pool": the run had a live member, it just did not say which.
    expect(report.label).toBe(
      'SIMULATED: this run was recorded before baton kept provenance per agent; it had simulated members and did not record which agents answered, so all 3 count as simulated (claude, gemini, live): these figures say nothing about real models.',
    );

    const store = new RunStore(join(dir, 'run.sqlite'));
    const events = store.events();
    const samples = store.samples();
    const facts = [...store.iterateCallFacts()];
    store.close();
    expect(events.map((e) => e.provenance)).toEqual(events.map(() => 'simulated'));
    expect(facts.map((f) => f.provenance)).toEqual(events.map(() => 'simulated'));
    for (const s of samples) {
      expect(s.provenance, s.sampleId).toEqual({ live: 0, simulated: s.calls, replayed: 0 });
      expect(s.simulated, s.sampleId).toBe(true);
    }
    const db = new Database(join(dir, 'run.sqlite'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(STORE_SCHEMA_VERSION);
    db.close();
  });

  it('stamps an old run without a simulated member live, and a replay member (or a --replay run) replayed', async () => {
    const stamped = (command: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'baton-old-live-'));
      const file = join(dir, 'run.sqlite');
      const store = new RunStore(file);
      store.createRun({
        id: 'old',
        name: 'old',
        configHash: 'h',
        configJson: '{}',
        configFile: 'x.yaml',
        createdAt: 0,
        simulated: false,
        planned: 1,
        environment: { command },
      });
      // As that release wrote a call to an orchestrator member: a model call's shape, its provider the tag.
      const memberCall = event(2, { agentId: 'member', provider: ORCHESTRATOR_PROVIDER });
      store.saveSample({ ...sample('s1'), calls: 2, simulated: false } as SampleResult, [
        event(0, { agentId: 'a' }),
        event(1, { agentId: 'b', provider: 'replay' }),
        memberCall,
      ]);
      store.close();
      // Back to what the previous release wrote: no provenance anywhere, no kinds, schema 3.
      const db = new Database(file);
      db.exec(`UPDATE event SET json = json_remove(json, '$.provenance', '$.kind');
        ALTER TABLE event DROP COLUMN provenance;
        ALTER TABLE event DROP COLUMN kind;
        ALTER TABLE run DROP COLUMN provenance_inferred;
        UPDATE sample SET json = json_remove(json, '$.provenance');`);
      db.pragma('user_version = 3');
      db.close();
      const reopened = new RunStore(file);
      const result = {
        events: reopened.events().map((e) => [e.agentId, e.provenance]),
        sample: reopened.samples()[0],
        inferred: reopened.getRun()?.provenanceInferred,
      };
      reopened.close();
      return result;
    };
    const live = stamped('baton run x.yaml');
    expect(live.events).toEqual([
      ['a', 'live'],
      ['b', 'replayed'],
      ['member', 'live'],
    ]);
    // The call to an orchestrator member is not a model call: the sample counts the other two.
    expect(live.sample).toMatchObject({
      simulated: false,
      provenance: { live: 1, simulated: 0, replayed: 1 },
    });
    expect(live.inferred).toBe(true);
    const replayed = stamped('baton run x.yaml --replay cassette.jsonl');
    expect(replayed.events.map(([, p]) => p)).toEqual(['replayed', 'replayed', 'replayed']);
    expect(replayed.sample?.provenance).toEqual({ live: 0, simulated: 0, replayed: 2 });
  });

  it('leaves a run recorded at schema 4 as recorded', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-v4-')), 'run.sqlite');
    const store = new RunStore(file);
    store.createRun({
      id: 'new',
      name: 'new',
      configHash: 'h',
      configJson: '{}',
      configFile: 'x.yaml',
      createdAt: 0,
      simulated: true,
      planned: 1,
      environment: {},
    });
    store.saveSample(
      {
        ...sample('s1'),
        calls: 2,
        simulated: true,
        provenance: { live: 1, simulated: 1, replayed: 0 },
      } as SampleResult,
      [event(0, { agentId: 'a' }), event(1, { agentId: 'sim', provider: 'sim', provenance: 'simulated' })],
    );
    store.close();
    const reopened = new RunStore(file);
    expect(reopened.getRun()?.provenanceInferred).toBe(false);
    expect(reopened.events().map((e) => e.provenance)).toEqual(['live', 'simulated']);
    expect([...reopened.iterateCallFacts()].map((f) => f.provenance)).toEqual(['live', 'simulated']);
    expect(reopened.samples()[0]?.provenance).toEqual({ live: 1, simulated: 1, replayed: 0 });
    reopened.close();
  });
});
