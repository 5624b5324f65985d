import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSuite } from '../../src/suites/load.js';
import { repoRoot } from '../runner/helpers.js';
import { runCli } from './cli-process.js';

describe('baton demo --help', () => {
  it('names every orchestrator and suite of configs/demo.yaml and the number of tasks and samples', async () => {
    const configFile = join(repoRoot, 'configs/demo.yaml');
    const config = parse(readFileSync(configFile, 'utf8')) as {
      orchestrators: { id: string; family: string }[];
      suites: { path: string }[];
      pool: { id: string }[];
    };
    const tasks = config.suites
      .map((s) => loadSuite(resolve(dirname(configFile), s.path)).length)
      .reduce((a, b) => a + b, 0);

    const out = await runCli(['demo', '--help']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(
      `${config.orchestrators.length} orchestrators × ${tasks} tasks = ${config.orchestrators.length * tasks} samples`,
    );
    for (const o of config.orchestrators) {
      expect(out.stdout).toMatch(new RegExp(`^ {4}${o.family} +.*\\b${o.id}(,|$)`, 'm'));
    }
    for (const s of config.suites) {
      expect(out.stdout).toContain(`(${relative(repoRoot, resolve(dirname(configFile), s.path))})`);
    }
    expect(out.stdout).toContain(`pool: ${config.pool.length} members, all SIMULATED`);
    expect(out.stdout).not.toMatch(/four orchestrator/);
  });
});
