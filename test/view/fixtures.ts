import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRecord, SampleResult } from '../../src/store/records.js';
import { STORE_FILE } from '../../src/store/run-dir.js';
import { RunStore } from '../../src/store/run-store.js';
import { sample as summary } from '../report/fixtures.js';
import { completion, event } from '../store/fixtures.js';

export const tempRoot = () => mkdtempSync(join(tmpdir(), 'baton-view-'));

export interface FakeRun {
  name?: string;
  configFile?: string;
  seed?: number;
  status?: RunRecord['status'];
  createdAt?: number;
  /** Orchestrator id → which of the tasks t0…t(n-1) it gets right (null: the sample failed). */
  outcomes?: Record<string, (boolean | null)[]>;
  suite?: string;
  planned?: number;
}

/**
 * Writes `<root>/<id>/run.sqlite` with the run store itself: a run record (a config with a seed and a
 * suite record, so two runs can be compared) and one sample per orchestrator and task, each with one
 * model call of $0.01 (bought: in the response cache with its cost).
 */
export function writeRun(root: string, id: string, run: FakeRun = {}): string {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  const suite = run.suite ?? 's';
  const outcomes = run.outcomes ?? { o: [true, false, true] };
  const store = new RunStore(join(dir, STORE_FILE));
  const config = {
    seed: run.seed ?? 1,
    pool: [],
    suiteRecords: [{ name: suite, contentHash: 'h', grading: ['maths: equivalent'] }],
  };
  store.createRun({
    id,
    name: run.name ?? 'unit',
    configHash: 'h',
    configJson: JSON.stringify(config),
    configFile: run.configFile ?? 'configs/unit.yaml',
    createdAt: run.createdAt ?? Date.UTC(2026, 10, 29, 12),
    simulated: true,
    planned: run.planned ?? Object.values(outcomes).reduce((n, list) => n + list.length, 0),
    environment: {},
  });
  store.beginSession();
  for (const [orchestrator, list] of Object.entries(outcomes))
    for (const [i, correct] of list.entries()) {
      const s = {
        ...summary(orchestrator, `t${i}`, correct, { suite, latencyMs: 100 + 10 * i, simulated: true }),
        answer: correct === null ? null : 'x',
        score: null,
        errorMessage: correct === null ? 'boom' : null,
      } as SampleResult;
      store.cacheResponse(`${s.sampleId}/0`, { ...completion('x'), costUsd: 0.01 });
      store.saveSample(s, [
        event(0, { sampleId: s.sampleId, orchestrator, costUsd: 0.01, provenance: 'simulated' }),
      ]);
    }
  store.setStatus(run.status ?? 'complete');
  store.close();
  return dir;
}
