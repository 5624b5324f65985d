import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { RunStore } from '../../src/store/run-store.js';
import { configCopy, repoRoot } from '../runner/helpers.js';
import { runCli } from './cli-process.js';

describe('pool ablation (configs/ablation-demo.yaml, simulated pool)', () => {
  it('runs every family with and without claude and reports accuracy and cost per orchestrator and family', async () => {
    const output = mkdtempSync(join(tmpdir(), 'baton-ablation-'));
    const out = await runCli([
      'run',
      join(repoRoot, 'configs/ablation-demo.yaml'),
      '--output',
      output,
      '--quiet',
    ]);
    expect(out.code, out.stderr).toBe(0);
    const [runId] = readdirSync(output);
    const runDir = join(output, runId as string);
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    const ablation = report.ablation;
    expect(ablation?.dropped).toEqual(['claude']);
    const families = ['endpoint', 'fusion', 'moa', 'plan', 'prompted-router', 'single', 'trinity', 'vote'];
    expect(ablation?.byFamily.map((f) => f.family)).toEqual(families);
    for (const f of ablation?.byFamily ?? []) {
      expect(f.full?.accuracy, f.family).not.toBeNull();
      expect(f.ablated?.accuracy, f.family).not.toBeNull();
      expect(f.ablated?.costPerTaskUsd, f.family).toBeGreaterThan(0);
    }
    // A single on the dropped agent cannot run; every other orchestrator ran both arms on 12 tasks.
    const skipped = ablation?.rows.filter((r) => r.arm === null).map((r) => [r.orchestrator, r.skipped]);
    expect(skipped).toEqual([['single-claude', "its agent 'claude' is dropped"]]);
    for (const r of ablation?.rows.filter((r) => r.arm !== null) ?? []) {
      expect(r.ablated?.scored, r.orchestrator).toBe(12);
      expect(r.full.scored, r.orchestrator).toBe(12);
      expect(r.mcnemarP, r.orchestrator).not.toBeNull();
    }
    // Fusion's panel shrank from four to three: fewer calls, lower cost.
    const fusion = ablation?.rows.find((r) => r.orchestrator === 'fusion');
    expect(fusion?.ablated?.costPerTaskUsd).toBeLessThan(fusion?.full.costPerTaskUsd ?? 0);
    expect(
      report.rows.find((r) => r.orchestrator === 'fusion[-claude]' && r.suite === 'all')?.callsPerTask,
    ).toBe(5);
    // The ablated arms never reached claude; the full arms did.
    const store = new RunStore(join(runDir, 'run.sqlite'));
    const events = store.events();
    store.close();
    const ablatedEvents = events.filter((e) => e.orchestrator.endsWith('[-claude]'));
    expect(ablatedEvents.length).toBeGreaterThan(0);
    expect(ablatedEvents.some((e) => e.agentId === 'claude')).toBe(false);
    expect(events.some((e) => e.agentId === 'claude')).toBe(true);
    // Oracle and random baselines for both arms; the arm without claude has five members.
    expect(report.baselines.find((b) => b.suite === 'all' && b.without === null)?.members).toHaveLength(6);
    expect(report.baselines.find((b) => b.suite === 'all' && b.without !== null)?.members).toHaveLength(5);
    expect(readFileSync(join(runDir, 'report.md'), 'utf8')).toContain('## Pool ablation: without claude');
  }, 180_000);

  it('refuses at start to drop the agent a single-agent orchestrator needs, naming it', async () => {
    const { file } = configCopy('ablation-demo.yaml');
    const out = await runCli(['run', file, '--drop-agent', 'gpt5', '--dry-run']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(
      "cannot drop gpt5: single-gpt5: its agent 'gpt5' is dropped; fusion: its judge 'gpt5' is dropped",
    );
    const unknown = await runCli(['run', file, '--drop-agent', 'nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--drop-agent: no pool member with id 'nobody'");
  });
});
