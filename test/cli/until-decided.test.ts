import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadRunConfig, readRunConfig } from '../../src/config/load.js';
import type { Report } from '../../src/report/types.js';
import { writeReport } from '../../src/report/write.js';
import { runBenchmark } from '../../src/runner/run.js';
import { openScoring } from '../../src/scoring/open.js';
import { mulberry32, seedFrom } from '../../src/util/random.js';
import { decide } from '../../src/util/stats/confidence-sequence.js';
import { repoRoot } from '../runner/helpers.js';
import { runCli } from './cli-process.js';

/**
 * `baton run --until-decided` as a real process, on the demo's SIMULATED pool (configs/demo.yaml: the
 * same agents, skills and prices; latencies set to ~0 so the test is quick) over a GENERATED suite of
 * 200 four-option questions: the shipped demo suites hold 36 tasks, too few for a stop at ≤ 40 % of
 * them (the confidence sequence needs ~40 tasks in median for the demo's 25-point vote-qwen vs moa gap).
 */

const TASKS = 200;

/** A 200-question multiple-choice suite; the simulated agents know its answer key. */
function generatedSuite(dir: string): string {
  const random = mulberry32(seedFrom('until-decided-suite'));
  const tasks = Array.from({ length: TASKS }, (_, i) => ({
    id: `gen-${String(i).padStart(3, '0')}`,
    category: 'generated',
    question: `Generated question ${i}: which option does the answer key mark?`,
    choices: ['first', 'second', 'third', 'fourth'],
    answer: 'ABCD'[Math.floor(random() * 4)],
  }));
  const file = join(dir, 'generated-mcq.yaml');
  writeFileSync(
    file,
    stringify({
      suite: 'generated-mcq',
      version: 1,
      description: 'Generated for the --until-decided test (not a benchmark).',
      kind: 'mcq',
      tasks,
    }),
  );
  return file;
}

interface DemoConfig {
  pool: { id: string; model: string; sim: Record<string, unknown> }[];
  orchestrators: { id: string }[];
}

/** A config on the demo pool: the named agents and orchestrators of configs/demo.yaml, plus extras. */
function config(
  dir: string,
  name: string,
  opts: {
    agents: string[];
    orchestrators: string[];
    extraAgents?: DemoConfig['pool'];
    extraOrchestrators?: Record<string, unknown>[];
    decide: Record<string, unknown>[];
    /** Only the suite's first tasks. */
    limit?: number;
  },
): string {
  const demo = parse(readFileSync(join(repoRoot, 'configs/demo.yaml'), 'utf8')) as DemoConfig;
  const pool = [...demo.pool.filter((a) => opts.agents.includes(a.id)), ...(opts.extraAgents ?? [])].map(
    (a) => ({ ...a, sim: { ...a.sim, firstTokenMs: 0, tokensPerSecond: 1_000_000 } }),
  );
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      name,
      seed: 20261125,
      concurrency: 8,
      suites: [{ path: generatedSuite(dir), ...(opts.limit ? { limit: opts.limit } : {}) }],
      pool,
      orchestrators: [
        ...demo.orchestrators.filter((o) => opts.orchestrators.includes(o.id)),
        ...(opts.extraOrchestrators ?? []),
      ],
      decide: opts.decide,
    }),
  );
  return file;
}

function report(stdout: string): Report {
  const dir = /report: (\S+)\/report\.json/.exec(stdout)?.[1];
  if (!dir) throw new Error(`no report in\n${stdout}`);
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'baton-until-decided-'));

describe('baton run --until-decided (simulated demo pool, generated 200-question suite)', () => {
  // moa (a) vs vote-qwen (b): in the demo's own report moa leads by 25 points (9 of 36 tasks
  // discordant, all for moa); here the 4-option questions give a gap of similar size.
  const largeGap = (dir: string) =>
    config(dir, 'large-gap', {
      agents: ['gpt5', 'qwen', 'gemma', 'r1'],
      orchestrators: ['moa', 'vote-qwen'],
      decide: [{ a: 'moa', b: 'vote-qwen', margin: 2 }],
    });

  it('a large gap: stops with ≤ 40 % of the tasks and reaches the full run’s verdict; a resume continues the same sequence', async () => {
    const dir = tmp();
    const file = largeGap(dir);
    const started = performance.now();
    const full = await runCli(['run', file, '--output', join(dir, 'full'), '--quiet']);
    const fullSeconds = (performance.now() - started) / 1000;
    expect(full.code, full.stderr).toBe(0);
    const fullReport = report(full.stdout);
    const f = fullReport.sequential;
    expect(f?.itemsRun).toBe(TASKS);
    expect(f?.itemsAvailable).toBe(TASKS);
    expect(f?.stoppedEarly).toBe(false);

    const t0 = performance.now();
    const early = await runCli(['run', file, '--output', join(dir, 'early'), '--quiet', '--until-decided']);
    const earlySeconds = (performance.now() - t0) / 1000;
    expect(early.code, early.stderr).toBe(0);
    const s = report(early.stdout).sequential;
    if (!s || !f) throw new Error('no sequential section');
    const [c] = s.comparisons;
    const [cf] = f.comparisons;
    console.log(
      `until-decided: ${s.itemsRun} of ${s.itemsAvailable} tasks run (decided after ${s.decidedAtItem}) in ${earlySeconds.toFixed(1)} s; ` +
        `verdict ${c?.verdict} [${c?.lower.toFixed(1)}, ${c?.upper.toFixed(1)}] pp, mean ${c?.meanDifference?.toFixed(1)}; ` +
        `full run: ${f.itemsRun} tasks in ${fullSeconds.toFixed(1)} s, verdict ${cf?.verdict} [${cf?.lower.toFixed(1)}, ${cf?.upper.toFixed(1)}] pp, mean ${cf?.meanDifference?.toFixed(1)}`,
    );
    expect(s.stoppedEarly).toBe(true);
    expect(s.itemsRun).toBeLessThanOrEqual(0.4 * TASKS);
    expect(s.decidedAtItem).not.toBeNull();
    expect(c?.verdict).toBe('B worse');
    expect(cf?.verdict).toBe(c?.verdict);
    // The full run's fixed-n paired bootstrap interval (report.paired) answers the same question the same way.
    const paired = fullReport.paired.find(
      (p) =>
        p.suite === 'generated-mcq' &&
        new Set([p.a, p.b]).size === 2 &&
        [p.a, p.b].includes('moa') &&
        [p.a, p.b].includes('vote-qwen'),
    );
    if (!paired) throw new Error('no paired row for moa and vote-qwen');
    // difference = accuracy(a) − accuracy(b) of the row; the question is about vote-qwen − moa.
    const sign = paired.a === 'vote-qwen' ? 1 : -1;
    const fixed = [sign * paired.ci95.low, sign * paired.ci95.high].sort((x, y) => x - y) as [number, number];
    expect(decide({ lower: fixed[0], upper: fixed[1] }, 0.02, 'non-inferiority')).toBe('no');
    // The same sequence whatever the timing: the full run passed through the same decision point.
    expect(f.decidedAtItem).toBe(s.decidedAtItem);
    // Printed and in every report file.
    expect(early.stdout).toContain('sequential decision: ');
    expect(early.stderr).toMatch(/until-decided: every comparison decided after \d+ of 200 tasks/);
    const md = readFileSync(join(dirOf(early.stdout), 'report.md'), 'utf8');
    expect(md).toContain('## Sequential decision (anytime-valid)');
    expect(md).toContain('remain valid under optional stopping');
    expect(md).toContain(`Tasks used: ${s.itemsRun} of ${TASKS} available`);
    const html = readFileSync(join(dirOf(early.stdout), 'report.html'), 'utf8');
    expect(html).toContain('data-testid="sequential"');

    // Interrupted after a few tasks, then resumed: the same order, the same intervals (rebuilt from
    // the stored samples), the same decision point.
    const loaded = await loadRunConfig(file);
    loaded.output = join(dir, 'resumed');
    const { sandbox, scorer } = await openScoring(loaded.scoring);
    try {
      const stop = new AbortController();
      let n = 0;
      await expect(
        runBenchmark({
          config: loaded,
          env: {},
          command: 'test',
          sandbox,
          scorer,
          runId: 'r',
          untilDecided: true,
          signal: stop.signal,
          onSample: () => {
            if (++n === 10) stop.abort();
          },
        }),
      ).rejects.toThrow();
      let decidedOnResume: number | null = null;
      const resumed = await runBenchmark({
        config: loaded,
        env: {},
        command: 'test',
        sandbox,
        scorer,
        resume: true,
        untilDecided: true,
        onDecided: (state) => {
          decidedOnResume = state.decidedAtItem;
        },
      });
      expect(resumed.status).toBe('complete');
      expect(decidedOnResume).toBe(s.decidedAtItem);
      const r = (await writeReport(resumed.runDir)).report.sequential;
      expect(r?.decidedAtItem).toBe(s.decidedAtItem);
      expect(r?.comparisons[0]?.verdict).toBe('B worse');
      expect(r?.itemsRun).toBeLessThanOrEqual(0.4 * TASKS);
      expect(r?.itemsRun).toBeGreaterThan(10 / 2);
    } finally {
      await sandbox.close();
    }
  });

  it('no true gap (the first 100 generated tasks): runs through every task and says "not distinguishable"', async () => {
    const dir = tmp();
    // A twin of qwen: the same profile under another model name, so its answers are drawn
    // independently with the same skill — no true difference by construction.
    const demo = parse(readFileSync(join(repoRoot, 'configs/demo.yaml'), 'utf8')) as DemoConfig;
    const qwen = demo.pool.find((a) => a.id === 'qwen') as DemoConfig['pool'][number];
    const file = config(dir, 'no-gap', {
      agents: ['qwen'],
      orchestrators: ['single-qwen'],
      extraAgents: [{ ...qwen, id: 'qwen-twin', model: 'sim/qwen3-32b-twin' }],
      extraOrchestrators: [{ id: 'single-qwen-twin', family: 'single', agent: 'qwen-twin' }],
      decide: [{ a: 'single-qwen', b: 'single-qwen-twin', margin: 2 }],
      limit: 100,
    });
    const t0 = performance.now();
    const run = await runCli(['run', file, '--output', join(dir, 'runs'), '--quiet', '--until-decided']);
    const seconds = (performance.now() - t0) / 1000;
    expect(run.code, run.stderr).toBe(0);
    const s = report(run.stdout).sequential;
    const c = s?.comparisons[0];
    console.log(
      `no gap: ${s?.itemsRun} of ${s?.itemsAvailable} tasks in ${seconds.toFixed(1)} s; ${c?.verdict} [${c?.lower.toFixed(1)}, ${c?.upper.toFixed(1)}] pp, mean ${c?.meanDifference?.toFixed(1)}`,
    );
    expect(s?.itemsRun).toBe(100);
    expect(s?.itemsAvailable).toBe(100);
    expect(s?.decidedAtItem).toBeNull();
    expect(c?.verdict).toBe('not distinguishable');
    expect(run.stdout).toMatch(
      /sequential decision: 100 of 100 tasks run \(not decided\).*not distinguishable/,
    );
  });

  it('refuses --until-decided without decide: (exit 2); a decide: naming no orchestrator is an error at its line', async () => {
    const dir = tmp();
    const file = largeGap(dir);
    const text = readFileSync(file, 'utf8');
    const without = join(dir, 'without.yaml');
    writeFileSync(without, text.replace(/decide:[\s\S]*$/, ''));
    const refused = await runCli(['run', without, '--output', dir, '--quiet', '--until-decided']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--until-decided needs comparisons to decide');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, text.replace('b: vote-qwen', 'b: vote-qwne'));
    const line = text.split('\n').findIndex((l) => l.includes('b: vote-qwen')) + 1;
    await expect(readRunConfig(bad)).rejects.toThrow(`bad.yaml:${line}`);
    await expect(readRunConfig(bad)).rejects.toThrow("no orchestrator with id 'vote-qwne'");
    writeFileSync(bad, text.replace('margin: 2', 'margin: 0\n    mode: equivalence'));
    await expect(readRunConfig(bad)).rejects.toThrow('equivalence needs a margin above 0');
  });
});

function dirOf(stdout: string): string {
  const dir = /report: (\S+)\/report\.json/.exec(stdout)?.[1];
  if (!dir) throw new Error(`no report in\n${stdout}`);
  return dir;
}
