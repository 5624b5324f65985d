import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { RunStore } from '../../src/store/run-store.js';
import { runCli } from './cli-process.js';

describe('baton demo (real process, simulated pool, real code execution)', () => {
  it('runs every family (15 orchestrator configurations) over the same tasks and writes labelled reports', async () => {
    const output = mkdtempSync(join(tmpdir(), 'baton-demo-'));
    const out = await runCli(['demo', '--output', output, '--quiet']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('SIMULATED');
    expect(out.stdout).toMatch(/\| orchestrator \| family \| suite \|/);

    const [runId] = readdirSync(output);
    const runDir = join(output, runId as string);
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    const markdown = readFileSync(join(runDir, 'report.md'), 'utf8');
    expect(report.simulated).toBe(true);
    expect(report.label).toMatch(/^SIMULATED: every answer comes from baton's simulated pool/);
    expect(markdown).toContain('# baton report: demo (simulated)');
    expect(markdown).toContain(`> **${report.label}**`);
    // Every agent, call and row is simulated, and says so; nothing is live or replayed.
    expect(report.provenance).toMatchObject({ live: [], replayed: [], inferred: false });
    expect(report.provenance.simulated).toHaveLength(report.provenance.agents.length);
    expect(report.provenance.calls.live + report.provenance.calls.replayed).toBe(0);
    for (const r of report.rows) expect(r.simulated, r.orchestrator).toBe(true);
    expect(markdown).toMatch(/^\| single-gpt5 \(sim\) \| single \|/m);
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('<title>SIMULATED — baton report: demo</title>');
    expect(html).toContain('<body class="simulated">');

    // Every orchestrator family runs, each over the same 36 tasks.
    const orchestrators = new Set(report.rows.map((r) => r.orchestrator));
    const families = new Set(report.rows.map((r) => r.family));
    expect([...families].sort()).toEqual([
      'endpoint',
      'fusion',
      'moa',
      'plan',
      'prompted-router',
      'single',
      'trinity',
      'vote',
    ]);
    expect(orchestrators.size).toBe(15);
    expect(report.samples).toMatchObject({ planned: 15 * 36, recorded: 15 * 36 });
    for (const row of report.rows.filter((r) => r.suite === 'all')) {
      expect(row.samples).toBe(36);
      expect(row.costPerTaskUsd).toBeGreaterThan(0);
      expect(row.latencyMs.p50).toBeGreaterThan(0);
      expect(row.tokensPerTask.input).toBeGreaterThan(0);
      expect(row.tokensPerTask.output).toBeGreaterThan(0);
    }

    // Oracle and random baselines over the six single-agent runs: the oracle is at least the best
    // member alone, random the mean of the members' accuracies (no member errored).
    const singles = report.rows.filter((r) => r.family === 'single' && r.suite === 'all');
    expect(singles).toHaveLength(6);
    const overall = report.baselines.find((b) => b.suite === 'all' && b.without === null);
    expect(overall?.members).toHaveLength(6);
    expect(overall?.items).toBe(36);
    const accuracies = singles.map((r) => r.accuracy as number);
    expect(overall?.oracle).toBeGreaterThanOrEqual(Math.max(...accuracies));
    expect(overall?.random).toBeCloseTo(accuracies.reduce((a, b) => a + b, 0) / accuracies.length, 10);
    expect(report.ablation).toBeNull();

    // The planners' malformed plans were resampled and counted.
    const resamples = report.coordination.find(
      (c) => c.orchestrator === 'plan-prompted-gpt5' && c.fact === 'planResamples',
    );
    expect(resamples?.total).toBeGreaterThan(0);

    // `baton report` rebuilds the same figures from the store alone.
    const again = await runCli(['report', runDir]);
    expect(again.code, again.stderr).toBe(0);
    const rebuilt = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    expect({ ...rebuilt, generatedAt: '' }).toEqual({ ...report, generatedAt: '' });

    const store = new RunStore(join(runDir, 'run.sqlite'));
    const samples = store.samples();
    const events = store.events();
    store.close();
    for (const s of samples) expect(s.provenance).toEqual({ live: 0, simulated: s.calls, replayed: 0 });
    expect(events.every((e) => e.provenance === 'simulated')).toBe(true);
    // Every orchestrator ran exactly the same task ids.
    const tasksOf = (o: string) =>
      samples
        .filter((s) => s.orchestrator === o)
        .map((s) => `${s.suite}/${s.taskId}`)
        .sort();
    for (const o of orchestrators) expect(tasksOf(o)).toEqual(tasksOf('single-gpt5'));
    // Code verdicts come from executing the tests: each code sample carries per-test results, and
    // both outcomes occur (the simulated pool's wrong solutions really fail).
    const code = samples.filter((s) => s.kind === 'code');
    expect(code.length).toBe(15 * 12);
    // With an engine (required in CI), the demo grades code in Docker and says so per sample.
    const isolation = new Set(code.map((s) => s.isolation));
    expect(isolation.size).toBe(1);
    if (process.env.BATON_REQUIRE_DOCKER === '1') {
      expect([...isolation]).toEqual(['docker']);
      expect(markdown).toMatch(/isolation: docker — \d+ code samples graded in the Docker sandbox/);
    }
    expect(out.stderr).toMatch(
      isolation.has('docker') ? /code answers run in Docker/ : /NOT an isolation boundary/,
    );
    for (const s of code) {
      expect(s.score?.kind).toBe('code');
      if (s.score?.kind === 'code' && s.score.result) {
        expect(s.score.result.verdicts.length).toBeGreaterThan(0);
        expect(s.score.result.passed).toBe(s.correct);
      }
    }
    expect(code.some((s) => s.correct)).toBe(true);
    expect(
      code.some(
        (s) =>
          s.correct === false &&
          s.score?.kind === 'code' &&
          s.score.result?.verdicts.some((v) => v.status !== 'passed'),
      ),
    ).toBe(true);

    // The dry-run estimate against what the demo really cost: no orchestrator above its p95, the
    // total within a factor of two of the p50.
    const dry = await runCli(['run', 'configs/demo.yaml', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    const estimated = new Map(
      [...dry.stdout.matchAll(/^ {2}(\S+) +\d+ samples {2}p50 +\$([\d.]+) {2}p95 +\$([\d.]+)/gm)].map((m) => [
        m[1] as string,
        { p50: Number(m[2]), p95: Number(m[3]) },
      ]),
    );
    let measuredTotal = 0;
    for (const row of report.rows.filter((r) => r.suite === 'all')) {
      const measured = row.costPerTaskUsd * row.samples;
      measuredTotal += measured;
      expect(measured, row.orchestrator).toBeLessThanOrEqual(estimated.get(row.orchestrator)?.p95 ?? 0);
    }
    const total = estimated.get('total');
    expect(measuredTotal).toBeGreaterThan((total?.p50 ?? 0) / 2);
    expect(measuredTotal).toBeLessThan((total?.p50 ?? 0) * 2);
  }, 600_000); // ~2 min alone on 2 cores; a loaded machine takes much longer, and this is not a timing test
});
