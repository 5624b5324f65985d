import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { STORE_SCHEMA_VERSION } from '../../src/store/migrations.js';
import { RunStore } from '../../src/store/run-store.js';
import { event } from './fixtures.js';

describe('run store schema v1', () => {
  it('migrates a v0 store in place: event numbers become columns, backfilled from the JSON', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-store-')), 'run.sqlite');
    // A store as the first release wrote it.
    const old = new Database(file);
    old.exec(`CREATE TABLE event (sample_id TEXT NOT NULL, step INTEGER NOT NULL, agent_id TEXT NOT NULL, role TEXT NOT NULL,
      cached INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (sample_id, step));`);
    const insert = old.prepare('INSERT INTO event VALUES (?, ?, ?, ?, ?, ?)');
    for (const e of [
      event(0),
      event(1, { endpoint: 'http://10.0.0.5:8000/v1', error: 'boom', response: null }),
    ])
      insert.run(e.sampleId, e.step, e.agentId, e.role, 0, JSON.stringify(e));
    old.close();

    const store = new RunStore(file);
    const facts = [...store.iterateCallFacts()];
    store.close();
    expect(facts).toHaveLength(2);
    expect(facts[0]).toMatchObject({
      sampleId: 's1',
      orchestrator: 'fusion',
      provider: 'openai-compatible',
      input_bytes: 6, // "héllo" is 6 UTF-8 bytes
      output_bytes: 3,
      input_tokens: 10,
      output_tokens: 5,
      reasoning_tokens: 2,
      started_at: 1000,
      ended_at: 1500,
      failed: 0,
    });
    expect(facts[1]).toMatchObject({ endpoint: 'http://10.0.0.5:8000/v1', output_bytes: 0, failed: 1 });
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(STORE_SCHEMA_VERSION);
    expect(
      again.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'event_facts'").all(),
    ).toEqual([]);
    again.close();
  });

  it('drops the v2 covering index of event facts (schema v3), keeping every event', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-migrate-')), 'run.sqlite');
    const store = new RunStore(file);
    store.saveSample(
      {
        sampleId: 's1',
        orchestrator: 'o',
        taskId: 't',
        suite: 's',
        status: 'ok',
        correct: true,
        session: 1,
      } as never,
      [event(0), event(1)],
    );
    store.close();
    // Turn it into a store as version 2 left it.
    const v2 = new Database(file);
    v2.exec('CREATE INDEX event_facts ON event (sample_id, step, agent_id, role, cached, cost_usd)');
    v2.pragma('user_version = 2');
    v2.close();

    const reopened = new RunStore(file);
    expect([...reopened.iterateCallFacts()].map((f) => f.step)).toEqual([0, 1]);
    reopened.close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(STORE_SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'event_facts'").all()).toEqual([]);
    db.close();
  });
});
