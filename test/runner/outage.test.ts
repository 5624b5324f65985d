import { describe, expect, it } from 'vitest';
import { loadRunConfig } from '../../src/config/load.js';
import { runBenchmark } from '../../src/runner/run.js';
import type { CallEvent } from '../../src/store/records.js';
import { RunStore } from '../../src/store/run-store.js';
import { sandbox, scorer } from './fault-run.js';
import { configCopy } from './helpers.js';

describe('outage fault', () => {
  it('fails every call to the agent from the given position on; orchestrators that can route around it do', async () => {
    // One task per suite, and claude out from the very first sample.
    const { dir, file } = configCopy('ablation-demo.yaml', (text) =>
      text
        .replaceAll('limit: 4', 'limit: 1')
        .replace(
          'ablation: { drop: [claude] }',
          'faults: [{ agent: claude, kind: outage, afterSamples: 0 }]',
        ),
    );
    const outcome = await runBenchmark({
      config: { ...(await loadRunConfig(file)), output: dir },
      env: {},
      command: 'test',
      sandbox,
      scorer,
    });
    const store = new RunStore(`${outcome.runDir}/run.sqlite`);
    const samples = store.samples();
    const events = store.events();
    store.close();
    const of = (o: string) => samples.filter((s) => s.orchestrator === o);
    // Nothing else to call: the single on claude records the outage as an error, not a wrong answer.
    expect(of('single-claude').map((s) => s.errorCode)).toEqual([
      'call_failed:unavailable',
      'call_failed:unavailable',
      'call_failed:unavailable',
    ]);
    // Fusion's panel loses one member and goes on; trinity and the router go on without claude.
    for (const o of ['fusion', 'trinity-hand', 'router-prompted-gpt5', 'plan-conductor'])
      expect(
        of(o).every((s) => s.status === 'ok'),
        o,
      ).toBe(true);
    expect(of('fusion').every((s) => s.meta.panelFailures === 1)).toBe(true);
    // Every call to claude is traced as refused, with nothing billed.
    const toClaude = events.filter((e): e is CallEvent => e.kind === 'call' && e.agentId === 'claude');
    expect(toClaude.length).toBeGreaterThanOrEqual(6);
    for (const e of toClaude) {
      expect(e.error).toMatch(/^unavailable: outage of claude/);
      expect(e.costUsd).toBe(0);
    }
  }, 120_000);
});
