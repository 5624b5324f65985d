import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRunConfig } from '../../src/config/load.js';
import { resolvePrices } from '../../src/providers/prices.js';
import type { Comparison } from '../../src/report/compare/gate.js';
import type { SampleResult } from '../../src/store/records.js';
import { RunStore } from '../../src/store/run-store.js';
import { suiteRecords } from '../../src/suites/grading.js';
import type { Task } from '../../src/suites/types.js';
import { repoRoot } from '../runner/helpers.js';
import { runCli } from './cli-process.js';

/**
 * Run folders with a controlled accuracy difference, written straight into real run stores: the run
 * record is what `baton run` records for the demo's simulated pool (its config, prices resolved from
 * the price table, suite records of a generated multiple-choice suite of n items); the samples, one
 * orchestrator's, say which items each side got right. A real simulated run cannot be steered to
 * "exactly one item worse", and the gate only reads these records; test/cli/compare.test.ts gates a
 * real simulated run.
 */
let dir: string;
let config: Record<string, unknown>;

const tasks = (n: number): Task[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `q${i}`,
    suite: 'gen-mcq',
    category: 'mcq',
    kind: 'mcq',
    prompt: `Question ${i}? Answer with a letter.`,
    reference: 'ABCD'[i % 4] as string,
    choices: ['one', 'two', 'three', 'four'],
    distractors: [],
    meta: {},
  }));

interface RunSpec {
  n: number;
  right: (i: number) => boolean;
  cost?: (i: number) => number;
  latency?: (i: number) => number;
  /** Items whose sample failed (not scored; its cost still spent). */
  failed?: (i: number) => boolean;
  /** Items whose sample reused cached calls. */
  cached?: (i: number) => boolean;
  /** Changes to the recorded config (a price, the seed). */
  edit?: (config: Record<string, unknown>) => Record<string, unknown>;
}

function writeRun(id: string, spec: RunSpec): string {
  const runDir = join(dir, id);
  mkdirSync(runDir, { recursive: true });
  const store = new RunStore(join(runDir, 'run.sqlite'));
  const recorded = { ...config, suiteRecords: suiteRecords(tasks(spec.n)) };
  store.createRun({
    id,
    name: 'demo',
    configHash: 'fixture',
    configJson: JSON.stringify(spec.edit ? spec.edit(recorded) : recorded),
    configFile: join(repoRoot, 'configs/demo.yaml'),
    createdAt: 0,
    simulated: true,
    planned: spec.n,
    environment: {},
  });
  for (let i = 0; i < spec.n; i++) {
    const failed = spec.failed?.(i) ?? false;
    const correct = failed ? null : spec.right(i);
    store.saveSample(
      {
        sampleId: `trinity/gen-mcq/q${i}#0`,
        orchestrator: 'trinity',
        family: 'trinity',
        taskId: `q${i}`,
        suite: 'gen-mcq',
        category: 'mcq',
        kind: 'mcq',
        repeat: 0,
        seed: i,
        status: failed ? 'error' : 'ok',
        answer: failed ? null : correct ? 'A' : 'B',
        correct,
        score: null,
        errorCode: failed ? 'provider_error' : null,
        errorMessage: failed ? 'rate limited after 4 attempts' : null,
        costUsd: spec.cost?.(i) ?? 0.002 + 0.0001 * (i % 7),
        latencyMs: spec.latency?.(i) ?? 900 + ((i * 37) % 400),
        scoringMs: 0,
        calls: 3,
        cachedCalls: spec.cached?.(i) ? 3 : 0,
        inputTokens: 300,
        outputTokens: 200,
        reasoningTokens: 0,
        simulated: true,
        provenance: { live: 0, simulated: 3, replayed: 0 },
        isolation: null,
        meta: {},
        startedAt: 0,
        endedAt: 0,
        session: 1,
      } as SampleResult,
      [],
    );
  }
  store.close();
  return runDir;
}

/** 80 % right on the first 32 of every 40 items. */
const base = (i: number) => i % 40 < 32;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-compare-gates-'));
  const demo = await readRunConfig(join(repoRoot, 'configs/demo.yaml'));
  config = { ...demo, pool: resolvePrices(demo.pool).pool };
});

describe('baton compare --mode non-inferiority --margin 2 (real process, simulated-pool run records)', () => {
  it('B worse on 40 items (2 items lost, 1 gained: −2.5 pp, the nearest 40 items allow to −3) exits 1', async () => {
    const a = writeRun('a40', { n: 40, right: base });
    const b = writeRun('b40', { n: 40, right: (i) => (i < 2 ? false : i === 35 ? true : base(i)) });
    const junit = join(dir, 'b40.xml');
    const out = await runCli([
      'compare',
      a,
      b,
      '--mode',
      'non-inferiority',
      '--margin',
      '2',
      '--junit',
      junit,
    ]);
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stdout).toMatch(/comparable: suites, tasks, repeats, seeds, prices, pool and grading match/);
    expect(out.stdout).toMatch(/only A 2, only B 1/);
    expect(out.stdout).toMatch(/B−A −2\.5 pp \(95% CI −\d+\.\d pp to \+\d+\.\d pp/);
    expect(out.stdout).toMatch(
      /gate accuracy \(non-inferiority, margin 2 pp\): FAIL \[lower bound > −2\.0 pp\]/,
    );
    expect(out.stdout).toMatch(/verdict: FAIL \(accuracy\)/);
    expect(out.stdout).toMatch(/\[SIMULATED\]/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testcase classname="baton.compare" name="accuracy">\n      <failure');
    expect(xml).toMatch(/<testsuites tests="5" failures="1" skipped="2">/);
  });

  it('no drop on 40 items still fails: a 2-point drop is not ruled out, and it says how many items would be', async () => {
    const a = writeRun('a40s', { n: 40, right: base });
    const b = writeRun('b40s', { n: 40, right: (i) => (i === 0 ? false : i === 35 ? true : base(i)) });
    const out = await runCli(['compare', a, b]);
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stdout).toMatch(/B−A 0\.0 pp/);
    expect(out.stdout).toMatch(/cannot rule out a drop of 2 pp or more at n = 40/);
    expect(out.stdout).toMatch(/about \d+ items in all \(\d+ more\) would give an 80% chance of passing/);
  });

  it('no drop on 400 items (2 items lost, 2 gained) exits 0, writing the same verdicts as JSON and JUnit', async () => {
    const a = writeRun('a400', { n: 400, right: base });
    const b = writeRun('b400', {
      n: 400,
      right: (i) => (i === 0 || i === 1 ? false : i === 35 || i === 75 ? true : base(i)),
    });
    const json = join(dir, 'b400.json');
    const junit = join(dir, 'b400.xml');
    const out = await runCli([
      'compare',
      a,
      b,
      '--mode',
      'non-inferiority',
      '--margin',
      '2',
      '--json',
      json,
      '--junit',
      junit,
    ]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/gate accuracy \(non-inferiority, margin 2 pp\): PASS/);
    expect(out.stdout).toMatch(/gate cost per item: PASS \[upper bound ≤ \+10%\]/);
    expect(out.stdout).toMatch(/gate latency p50: not gated/);
    expect(out.stdout).toMatch(/verdict: pass/);
    const c = JSON.parse(readFileSync(json, 'utf8')) as Comparison;
    expect(c.verdict).toBe('pass');
    expect(c.gates.map((g) => [g.gate, g.unit, g.verdict])).toEqual([
      ['accuracy', 'pp', 'pass'],
      ['cost per item', '%', 'pass'],
      ['latency p50', '%', 'not gated'],
      ['latency p95', '%', 'not gated'],
    ]);
    expect(c.accuracy?.ciPoints.low).toBeGreaterThan(-2);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuites tests="5" failures="0" skipped="2">/);
  });

  it('one price changed: exit 2 listing it; with --allow-different prices the gate decides and says prices differ', async () => {
    const a = writeRun('a400p', { n: 400, right: base });
    const raised = (c: Record<string, unknown>) => ({
      ...c,
      pool: (c.pool as { id: string; price: Record<string, number> }[]).map((m) =>
        m.id === 'gpt5' ? { ...m, price: { ...m.price, input: 1.5 } } : m,
      ),
    });
    const b = writeRun('b400p', { n: 400, right: base, edit: raised });
    const json = join(dir, 'refused.json');
    const refused = await runCli(['compare', a, b, '--json', json]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stdout).toMatch(/NOT COMPARABLE/);
    expect(refused.stdout).toMatch(
      / {2}prices gpt5: A \{"cachedInput":0\.125,"input":1\.25,"output":10\} \| B \{"cachedInput":0\.125,"input":1\.5,"output":10\}/,
    );
    expect(refused.stderr).toMatch(
      /error: the runs are not comparable: prices differ .*--allow-different prices/,
    );
    expect(refused.stdout).not.toMatch(/gate accuracy/);
    expect((JSON.parse(readFileSync(json, 'utf8')) as Comparison).verdict).toBe('not comparable');

    const junit = join(dir, 'allowed.xml');
    const allowed = await runCli(['compare', a, b, '--allow-different', 'prices', '--junit', junit]);
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(
      /allowed differences \(--allow-different\):\n {2}prices gpt5: A .*1\.25.* \| B .*1\.5/,
    );
    expect(allowed.stdout).toMatch(/verdict: pass/);
    expect(readFileSync(junit, 'utf8')).toMatch(
      /name="comparability">\n {6}<system-out>prices gpt5: .*\(allowed\)/,
    );
  });

  it('a seed and a task difference are each listed; unknown --allow-different fields are refused', async () => {
    const a = writeRun('a40d', { n: 40, right: base });
    const b = writeRun('b39d', { n: 39, right: base, edit: (c) => ({ ...c, seed: 7 }) });
    const out = await runCli(['compare', a, b]);
    expect(out.code).toBe(2);
    expect(out.stdout).toMatch(/ {2}suites gen-mcq: A [0-9a-f]{64} \| B [0-9a-f]{64}/);
    expect(out.stdout).toMatch(/ {2}tasks gen-mcq\/q39: A ran \| B absent/);
    expect(out.stdout).toMatch(/ {2}seeds: A 20261125 \| B 7/);
    const bad = await runCli(['compare', a, b, '--allow-different', 'budget']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no field 'budget'/);
  });
});

describe('cost and latency gates (real process)', () => {
  it('fail on a rise whose interval upper bound exceeds the limit; pass when it stays under', async () => {
    const a = writeRun('a400c', { n: 400, right: base });
    const b = writeRun('b400c', {
      n: 400,
      right: base,
      cost: (i) => 1.15 * (0.002 + 0.0001 * (i % 7)),
      latency: (i) => 1.25 * (900 + ((i * 37) % 400)),
    });
    const junit = join(dir, 'cost.xml');
    const out = await runCli([
      'compare',
      a,
      b,
      '--max-cost-increase',
      '10%',
      '--max-latency-increase',
      '20%',
      '--junit',
      junit,
    ]);
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(out.stdout).toMatch(
      /gate cost per item: FAIL \[upper bound ≤ \+10%\] — A \$0\.002\d+\/item, B \$0\.002\d+\/item: \+15\.0%/,
    );
    expect(out.stdout).toMatch(
      /gate latency p50: FAIL \[upper bound ≤ \+20%\] — A \d+ ms, B \d+ ms: \+25\.0%/,
    );
    expect(out.stdout).toMatch(/gate latency p95: FAIL/);
    expect(out.stdout).toMatch(/verdict: FAIL \(cost per item, latency p50, latency p95\)/);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuites tests="5" failures="3" skipped="0">/);
    const loose = await runCli([
      'compare',
      a,
      b,
      '--max-cost-increase',
      '20%',
      '--max-latency-increase',
      '30',
    ]);
    expect(loose.code, loose.stdout).toBe(0);
  });

  it("counts a failed sample's cost and leaves cache hits out of latency, as the report does", async () => {
    const a = writeRun('a400f', { n: 400, right: base, cost: () => 0.002, latency: () => 1000 });
    // B: the same cost per scored item, but 40 failed samples that cost $0.01 each (paid retries); half
    // of its items answered from the cache in 1 ms, the others 25 % slower than A.
    const b = writeRun('b400f', {
      n: 400,
      right: base,
      failed: (i) => i % 10 === 9,
      cost: (i) => (i % 10 === 9 ? 0.01 : 0.002),
      cached: (i) => i % 2 === 0,
      latency: (i) => (i % 2 === 0 ? 1 : 1250),
    });
    const out = await runCli([
      'compare',
      a,
      b,
      '--max-cost-increase',
      '10%',
      '--max-latency-increase',
      '20%',
    ]);
    expect(out.code, out.stdout + out.stderr).toBe(1);
    // (360 × 0.002 + 40 × 0.01) / 400 = 0.0028: +40 %, not the +0 % of the scored items alone.
    expect(out.stdout).toMatch(
      /gate cost per item: FAIL \[upper bound ≤ \+10%\] — A \$0\.002000\/item, B \$0\.002800\/item: \+40\.0%/,
    );
    // Only items neither side answered from the cache are timed: 1250 ms against 1000 ms.
    expect(out.stdout).toMatch(
      /gate latency p50: FAIL \[upper bound ≤ \+20%\] — A 1000 ms, B 1250 ms: \+25\.0%/,
    );
  });

  it('options in the wrong unit or removed are usage errors (exit 2)', async () => {
    const a = writeRun('a40u', { n: 40, right: base });
    const percentMargin = await runCli(['compare', a, a, '--margin', '2%']);
    expect(percentMargin.code).toBe(2);
    expect(percentMargin.stderr).toMatch(/percentage points, not a relative percent/);
    const equivalence = await runCli(['compare', a, a, '--mode', 'equivalence']);
    expect(equivalence.code).toBe(2);
    expect(equivalence.stderr).toMatch(/needs --margin/);
    const maxDrop = await runCli(['compare', a, a, '--max-drop', '1']);
    expect(maxDrop.code).toBe(2);
    expect(maxDrop.stderr).toMatch(/--max-drop is gone.*--mode non-inferiority --margin/);
  });
});
