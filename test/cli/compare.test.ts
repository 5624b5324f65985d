import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadRunConfig } from '../../src/config/load.js';
import { runBenchmark } from '../../src/runner/run.js';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { createScorer } from '../../src/scoring/index.js';
import { demoConfigCopy } from '../runner/helpers.js';
import { runCli } from './cli-process.js';

/** `baton compare` of the strong orchestrator (candidate B) against the weak one (baseline A) of the same run. */
const strongOverWeak = (maxCostIncrease: string) =>
  runCli(['compare', runDir, runDir, '--a', 'weak', '--b', 'strong', '--max-cost-increase', maxCostIncrease]);

let runDir: string;
let dir: string;

// One simulated run with a weak cheap model and a strong expensive one on the same 36 tasks.
beforeAll(async () => {
  const copy = demoConfigCopy((t) => t.replace(/firstTokenMs: \d+/g, 'firstTokenMs: 1'));
  dir = copy.dir;
  const config = parse(readFileSync(copy.file, 'utf8')) as Record<string, unknown>;
  config.orchestrators = [
    { id: 'weak', family: 'single', agent: 'gemma' },
    { id: 'strong', family: 'single', agent: 'gpt5' },
  ];
  writeFileSync(copy.file, stringify(config));
  const loaded = await loadRunConfig(copy.file);
  loaded.output = dir;
  const sandbox = createLocalSandbox({ concurrency: 2 });
  try {
    runDir = (
      await runBenchmark({
        config: loaded,
        env: {},
        command: 'test',
        sandbox,
        scorer: createScorer({ sandbox }),
        runId: 'pair',
      })
    ).runDir;
  } finally {
    await sandbox.close();
  }
});

describe('baton compare (real process, A = baseline, B = candidate)', () => {
  it('exits 1 when the candidate is worse (non-inferiority, the default) and writes a JUnit failure', async () => {
    const junit = join(dir, 'junit.xml');
    const out = await runCli(['compare', runDir, runDir, '--a', 'strong', '--b', 'weak', '--junit', junit]);
    expect(out.code, out.stderr).toBe(1);
    // The runner recorded its suites: the two sides of one run are comparable.
    expect(out.stdout).toMatch(/comparable: suites, tasks, repeats, seeds, prices, pool and grading match/);
    expect(out.stdout).toMatch(/McNemar exact p = /);
    expect(out.stdout).toMatch(/B−A −\d+\.\d pp/);
    expect(out.stdout).toMatch(/verdict: FAIL \(accuracy/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testcase classname="baton.compare" name="accuracy">\n      <failure');
    expect(xml).toContain('[simulated]');
  });

  it('exits 0 when the candidate is better (also with --mode superiority) and its extra cost is within the tolerance', async () => {
    const out = await strongOverWeak('100000%');
    expect(out.code, out.stdout).toBe(0);
    expect(out.stdout).toMatch(/verdict: pass/);
    const superior = await runCli([
      'compare',
      runDir,
      runDir,
      '--a',
      'weak',
      '--b',
      'strong',
      '--mode',
      'superiority',
      '--max-cost-increase',
      'none',
    ]);
    expect(superior.code, superior.stdout).toBe(0);
    expect(superior.stdout).toMatch(/gate cost per item: not gated/);
  });

  it('exits 1 on a cost rise beyond the tolerance even when accuracy holds', async () => {
    const out = await strongOverWeak('10%');
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/verdict: FAIL \(cost per item\)/);
  });

  it('exits 2 on usage errors: an ambiguous run, a missing folder', async () => {
    const ambiguous = await runCli(['compare', runDir, runDir]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/say which one to compare/);
    expect((await runCli(['compare', join(dir, 'nope'), runDir, '--a', 'x'])).code).toBe(2);
  });
});

describe('baton compare on an identical pair of 36 tasks', () => {
  it('no difference, yet 36 items cannot rule out a 2-point drop: exit 1; a 10-point margin passes', async () => {
    const out = await runCli(['compare', runDir, runDir, '--a', 'weak', '--b', 'weak']);
    expect(out.code, out.stdout).toBe(1);
    expect(out.stdout).toMatch(/only A 0, only B 0/);
    expect(out.stdout).toMatch(/cannot rule out a drop of 2 pp or more at n = 36/);
    const wide = await runCli(['compare', runDir, runDir, '--a', 'weak', '--b', 'weak', '--margin', '10']);
    expect(wide.code, wide.stdout).toBe(0);
    expect(wide.stdout).toMatch(/verdict: pass/);
  });
});
