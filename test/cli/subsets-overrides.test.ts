import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src/store/run-store.js';
import { demoConfigCopy, quickerDemo, repoRoot } from '../runner/helpers.js';
import { runCli } from './cli-process.js';

/** The demo's three suites on the simulated pool, ten times quicker. */
function demo() {
  return demoConfigCopy(quickerDemo(32));
}

function stored(storeFile: string) {
  const store = new RunStore(storeFile);
  try {
    const run = store.getRun();
    return {
      samples: store.samples(),
      run,
      config: JSON.parse(run?.configJson ?? '{}') as Record<string, unknown>,
    };
  } finally {
    store.close();
  }
}

const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('error: '));

describe('subsets and overrides (real process, simulated pool)', () => {
  it('--limit 3 --only fusion runs exactly 3 tasks of each suite, with fusion alone, and records the selection', async () => {
    const { dir, file } = demo();
    const out = await runCli([
      'run',
      file,
      '--output',
      dir,
      '--run-id',
      'r',
      '--limit',
      '3',
      '--only',
      'fusion',
      '--quiet',
    ]);
    expect(out.code, out.stderr).toBe(0);
    const { samples, config } = stored(join(dir, 'r', 'run.sqlite'));
    expect(samples).toHaveLength(3 * 3);
    expect(new Set(samples.map((s) => s.orchestrator))).toEqual(new Set(['fusion']));
    for (const suite of ['demo-code', 'demo-math', 'demo-mcq'])
      expect(samples.filter((s) => s.sampleId.includes(`/${suite}/`))).toHaveLength(3);
    expect(config.selection).toEqual({ limit: 3, only: ['fusion'] });
    const report = JSON.parse(readFileSync(join(dir, 'r', 'report.json'), 'utf8')) as {
      samples: { recorded: number; planned: number };
    };
    expect(report.samples).toMatchObject({ recorded: 9, planned: 9 });
  });

  it('--sample N takes a seeded N per suite: the same seed the same tasks, a larger sample holds a smaller one', async () => {
    const { dir, file } = demo();
    const tasksOf = async (id: string, ...flags: string[]) => {
      const out = await runCli([
        'run',
        file,
        '--output',
        dir,
        '--run-id',
        id,
        '--only',
        'single-qwen',
        '--quiet',
        ...flags,
      ]);
      expect(out.code, out.stderr).toBe(0);
      return stored(join(dir, id, 'run.sqlite'))
        .samples.map((s) => s.sampleId)
        .sort();
    };
    const a = await tasksOf('a', '--sample', '2');
    expect(stored(join(dir, 'a', 'run.sqlite')).config.selection).toEqual({
      only: ['single-qwen'],
      sample: { count: 2, seed: 20261125 },
    });
    const b = await tasksOf('b', '--sample', '4', '--seed', '20261125');
    const c = await tasksOf('c', '--sample', '2', '--seed', '3');
    expect(a).toHaveLength(3 * 2);
    expect(b).toHaveLength(3 * 4);
    expect(b).toEqual(expect.arrayContaining(a));
    expect(c).toHaveLength(3 * 2);
    expect(c).not.toEqual(a);
  }, 120_000);

  it('--set points a trinity orchestrator at another head: a missing one is named by preflight, a valid one is run', async () => {
    const { dir, file } = demo();
    const missing = await runCli(
      [
        'run',
        file,
        '--output',
        dir,
        '--only',
        'trinity-trained',
        '--set',
        'orchestrators[trinity-trained].head=heads/none.onnx',
        '--dry-run',
      ],
      {},
      dir,
    );
    expect(missing.code).toBe(2);
    // Relative to the working directory, as a path typed on the command line.
    expect(missing.stderr).toContain(join(dir, 'heads', 'none.onnx'));
    mkdirSync(join(dir, 'heads'));
    copyFileSync(join(repoRoot, 'configs/heads/demo-hand.onnx'), join(dir, 'heads', 'new.onnx'));
    const out = await runCli(
      [
        'run',
        file,
        '--output',
        dir,
        '--run-id',
        'h',
        '--limit',
        '2',
        '--only',
        'trinity-trained,trinity-hand',
        '--set',
        'orchestrators[trinity-trained].head=heads/new.onnx',
        '--quiet',
      ],
      {},
      dir,
    );
    expect(out.code, out.stderr).toBe(0);
    const { config, samples } = stored(join(dir, 'h', 'run.sqlite'));
    const heads = (config.orchestrators as { id: string; head?: string }[]).map((o) => [o.id, o.head]);
    expect(heads).toEqual([
      ['trinity-trained', join(dir, 'heads', 'new.onnx')],
      ['trinity-hand', join(repoRoot, 'configs/heads/demo-hand.onnx')],
    ]);
    expect(config.selection).toEqual({
      limit: 2,
      only: ['trinity-trained', 'trinity-hand'],
      set: ['orchestrators[trinity-trained].head=heads/new.onnx'],
    });
    expect(samples).toHaveLength(2 * 3 * 2);
  }, 120_000);

  it('--set budget.usd changes what --dry-run prints against and where the run stops', async () => {
    const { dir, file } = demo();
    const dry = await runCli([
      'run',
      file,
      '--output',
      dir,
      '--only',
      'fusion',
      '--limit',
      '2',
      '--set',
      'budget.usd=123.5',
      '--dry-run',
    ]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('$123.5');
    const stopped = await runCli([
      'run',
      file,
      '--output',
      dir,
      '--run-id',
      'b',
      '--only',
      'fusion',
      '--limit',
      '2',
      '--set',
      'budget.usd=0.01',
      '--quiet',
    ]);
    expect(stopped.code, stopped.stderr).toBe(3);
    expect(stopped.stdout).toMatch(/budget: stopped at .* of \$0\.01 spent/);
  });

  it('a bad override is one error line naming it, exit 2', async () => {
    const { dir, file } = demo();
    const out = await runCli(['run', file, '--output', dir, '--set', 'pool[0].modle=x']);
    expect(out.code).toBe(2);
    expect(errorLines(out.stderr)).toEqual([
      "error: --set pool[0].modle=x: unknown field 'modle' — did you mean 'model'?",
    ]);
    expect(out.stderr).not.toMatch(/\n\s+at /);
    const index = await runCli(['run', file, '--output', dir, '--set', 'pool[40].model=x']);
    expect(index.code).toBe(2);
    expect(errorLines(index.stderr)).toEqual([
      expect.stringMatching(/^error: --set pool\[40\]\.model=x: pool has \d+ items .*no pool\[40\]$/),
    ]);
    const only = await runCli(['run', file, '--output', dir, '--only', 'fuson']);
    expect(only.code).toBe(2);
    expect(errorLines(only.stderr)).toEqual([
      expect.stringMatching(/^error: --only: no orchestrator with id 'fuson' — did you mean 'fusion'\?/),
    ]);
    const both = await runCli(['run', file, '--output', dir, '--limit', '2', '--sample', '2']);
    expect(both.code).toBe(2);
    expect(errorLines(both.stderr)).toEqual([
      'error: --limit and --sample both choose the tasks: give one of them',
    ]);
  });

  it('--resume refuses a changed --limit, --only or config field, naming the run, its file and the fields; --resume <id> works from another folder after a rename', async () => {
    const { dir, file } = demo();
    const flags = ['--only', 'fusion', '--limit', '2'];
    const first = await runCli([
      'run',
      file,
      '--output',
      dir,
      '--run-id',
      'r',
      ...flags,
      '--set',
      'budget.usd=0.01',
      '--quiet',
    ]);
    expect(first.code, first.stderr).toBe(3);

    const limit = await runCli([
      'run',
      file,
      '--output',
      dir,
      '--resume',
      '--only',
      'fusion',
      '--limit',
      '3',
      '--quiet',
    ]);
    expect(limit.code).toBe(2);
    expect(errorLines(limit.stderr)).toEqual([
      `error: cannot resume r (made from ${file}) with ${file}: a field differs — --limit: 2 → 3 (run it as it was — its subset was: --limit 2 --only fusion — or start a new run without --resume)`,
    ]);
    const only = await runCli(['run', file, '--output', dir, '--resume', '--limit', '2', '--quiet']);
    expect(errorLines(only.stderr)).toEqual([expect.stringContaining('--only: ["fusion"] → (none)')]);

    writeFileSync(file, readFileSync(file, 'utf8').replace('seed: 20261125', 'seed: 7'));
    const edited = await runCli(['run', file, '--output', dir, '--resume', ...flags, '--quiet']);
    expect(edited.code).toBe(2);
    expect(errorLines(edited.stderr)).toEqual([
      expect.stringMatching(/^error: cannot resume r \(made from .*run\.yaml\) .*seed: 20261125 → 7/),
    ]);

    // A copy of the original config in another folder, renamed: the run is found by id and resumes.
    const other = join(dir, 'elsewhere');
    mkdirSync(other);
    writeFileSync(
      join(other, 'renamed.yaml'),
      readFileSync(file, 'utf8')
        .replace('seed: 7', 'seed: 20261125')
        .replace(/^name: demo$/m, 'name: renamed-demo'),
    );
    const resumed = await runCli(
      [
        'run',
        'renamed.yaml',
        '--output',
        '..',
        '--resume',
        'r',
        ...flags,
        '--set',
        'budget.usd=1000',
        '--quiet',
      ],
      {},
      other,
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(stored(join(dir, 'r', 'run.sqlite')).samples).toHaveLength(2 * 3);
  }, 120_000);
});
