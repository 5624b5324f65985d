import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SampleResult } from '../../src/store/records.js';
import { RunStore } from '../../src/store/run-store.js';
import { event } from './fixtures.js';

const sample = (orchestrator: string, suite: string, taskId: string) =>
  ({
    sampleId: `${orchestrator}/${suite}/${taskId}#0`,
    orchestrator,
    taskId,
    suite,
    status: 'ok',
    correct: true,
    session: 1,
  }) as SampleResult;

describe('run store traces for the HTML explorer', () => {
  it('reads samples in item order, each with its stored events in step order, in one pass', () => {
    const store = new RunStore(join(mkdtempSync(join(tmpdir(), 'baton-traces-')), 'run.sqlite'));
    const written = [
      sample('single', 'b', 't1'),
      sample('fusion', 'a', 't2'),
      sample('single', 'a', 't2'),
      sample('fusion', 'a', 't1'),
    ];
    for (const [i, s] of written.entries()) {
      // Saved out of step order; the second sample made no call.
      const steps = i === 1 ? [] : [2, 0, 1];
      store.saveSample(
        s,
        steps.map((step) => event(step, { sampleId: s.sampleId, response: `${s.sampleId} step ${step}` })),
      );
    }
    const traces = [...store.iterateTracesByItem(10)];
    // Suite, then task, then sample id: the orchestrators of one task side by side.
    expect(traces.map((t) => t.sampleId)).toEqual([
      'fusion/a/t1#0',
      'fusion/a/t2#0',
      'single/a/t2#0',
      'single/b/t1#0',
    ]);
    for (const trace of traces) {
      expect(JSON.parse(trace.sample)).toEqual(written.find((s) => s.sampleId === trace.sampleId));
      const events = JSON.parse(`[${trace.events}]`) as {
        sampleId: string;
        step: number;
        response: string;
      }[];
      expect(events.map((e) => e.step)).toEqual(trace.sampleId === 'fusion/a/t2#0' ? [] : [0, 1, 2]);
      for (const e of events) expect(e.response).toBe(`${trace.sampleId} step ${e.step}`);
    }
    expect([...store.iterateTracesByItem(2)].map((t) => t.sampleId)).toEqual([
      'fusion/a/t1#0',
      'fusion/a/t2#0',
    ]);
    // One sample's events still come back as objects after the traces were read as text.
    expect(store.events('single/b/t1#0').map((e) => e.step)).toEqual([0, 1, 2]);
    store.close();
  });
});
