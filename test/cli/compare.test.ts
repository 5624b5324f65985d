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

/** `baton compare` of the strong orchestrator against the weak one of the same run. */
const strongVersusWeak = (maxCostIncrease: string) =>
  runCli(['compare', runDir, runDir, '--a', 'strong', '--b', 'weak', '--max-cost-increase', maxCostIncrease]);

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

describe('baton compare (real process)', () => {
  it('exits 1 on a significant accuracy drop and writes a JUnit failure', async () => {
    const junit = join(dir, 'junit.xml');
    const out = await runCli(['compare', runDir, runDir, '--a', 'weak', '--b', 'strong', '--junit', junit]);
    expect(out.code, out.stderr).toBe(1);
    expect(out.stdout).toMatch(/McNemar exact p = /);
    expect(out.stdout).toMatch(/verdict: REGRESSION \(accuracy\)/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testcase classname="baton.compare" name="accuracy">\n      <failure');
    expect(xml).toContain('[simulated]');
  });

  it('exits 0 when the new side is better and its extra cost is within the tolerance', async () => {
    const out = await strongVersusWeak('100000');
    expect(out.code, out.stdout).toBe(0);
    expect(out.stdout).toMatch(/verdict: pass/);
  });

  it('exits 1 on a cost rise beyond the tolerance even when accuracy holds', async () => {
    const out = await strongVersusWeak('10');
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/verdict: REGRESSION \(cost\)/);
  });

  it('exits 2 on usage errors: an ambiguous run, a missing folder', async () => {
    const ambiguous = await runCli(['compare', runDir, runDir]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/say which one to compare/);
    expect((await runCli(['compare', join(dir, 'nope'), runDir, '--a', 'x'])).code).toBe(2);
  });
});

describe('baton compare on an identical pair', () => {
  it('exits 0: no difference, no cost change', async () => {
    const out = await runCli(['compare', runDir, runDir, '--a', 'weak', '--b', 'weak']);
    expect(out.code, out.stdout).toBe(0);
    expect(out.stdout).toMatch(/only A 0, only B 0/);
    expect(out.stdout).toMatch(/verdict: pass/);
  });
});
