import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoConfigCopy } from '../runner/helpers.js';
import { smallTrainingCopy } from '../train/small-training.js';
import { runCli } from './cli-process.js';

// README "A weights gate in CI", step by step on the simulated pool, shrunk: a 1-generation training
// and one task per suite.
describe('the README weights gate: train → run old and new weights → compare --junit (real processes)', () => {
  it('trains a head, runs one config with the old and (by --set) the new head, and compares them into JUnit', async () => {
    const training = smallTrainingCopy({ population: 2, evaluations: 1, generations: 1 });
    const { dir, file: evalConfig } = demoConfigCopy();
    const candidate = join(dir, 'candidate.onnx');
    const trained = await runCli([
      'train',
      training.file,
      '--output',
      candidate,
      '--output-dir',
      join(dir, 'training'),
    ]);
    expect(trained.code, trained.stderr).toBe(0);

    const run = ['run', evalConfig, '--output', dir, '--quiet', '--only', 'trinity-trained', '--limit', '1'];
    const baseline = await runCli([...run, '--run-id', 'baseline']);
    expect(baseline.code, baseline.stderr).toBe(0);
    const withNew = await runCli([
      ...run,
      '--run-id',
      'candidate',
      '--set',
      `orchestrators[trinity-trained].head=${candidate}`,
    ]);
    expect(withNew.code, withNew.stderr).toBe(0);
    // The candidate run loaded the new file: its config report names it.
    expect(readFileSync(join(dir, 'candidate', 'report.md'), 'utf8')).toContain(candidate);

    const junit = join(dir, 'gate.xml');
    const gate = await runCli(['compare', join(dir, 'baseline'), join(dir, 'candidate'), '--junit', junit]);
    // 0 pass or 1 a gate failed: three items decide nothing, but the runs are comparable (not 2).
    expect([0, 1], gate.stderr).toContain(gate.code);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite[^>]*>/);
  }, 240_000);
});
