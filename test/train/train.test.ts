import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRunConfig } from '../../src/config/load.js';
import { readHeadMeta } from '../../src/orchestrators/trinity/head-file.js';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { createScorer } from '../../src/scoring/index.js';
import { RunStore } from '../../src/store/run-store.js';
import { train } from '../../src/train/train.js';
import { smallTrainingCopy } from './small-training.js';

const sandbox = createLocalSandbox({ concurrency: 2 });
const scorer = createScorer({ sandbox, limits: { timeoutMs: 2000 } });
afterAll(() => sandbox.close());

/** The demo training config, shrunk: λ = 4, 3 tasks per candidate, writing its head into the temp folder. */
async function smallTraining(generations: number) {
  const { dir, file } = smallTrainingCopy({ population: 4, evaluations: 3, generations });
  const config = await loadRunConfig(file);
  config.output = dir;
  return { dir, config };
}

describe('baton train (sep-CMA-ES through the runner, simulated pool)', () => {
  it('writes a head whose metadata records the command, suites, settings and fitness curve', async () => {
    const { dir, config } = await smallTraining(2);
    const outcome = await train({ config, env: {}, command: 'baton train test', sandbox, scorer });
    const meta = readHeadMeta(join(dir, 'trained.onnx'));
    expect(meta).toMatchObject({
      origin: 'sep-cma-es',
      agents: ['gpt5', 'claude', 'gemini', 'qwen', 'gemma', 'r1'],
    });
    expect(meta.training).toMatchObject({
      command: 'baton train test',
      generations: 2,
      population: 4,
      evaluations: 3,
      simulated: true,
    });
    // Which pool the weights learned: the simulated one, slot by slot (a live pool is then warned about).
    expect(meta.trainedOn).toEqual({
      simulated: true,
      models: {
        gpt5: 'sim sim/gpt-5',
        claude: 'sim sim/claude-sonnet-4',
        gemini: 'sim sim/gemini-2.5-pro',
        qwen: 'sim sim/qwen3-32b',
        gemma: 'sim sim/gemma-3-27b',
        r1: 'sim sim/deepseek-r1-distill-qwen-32b',
      },
    });
    const curve = meta.training?.curve as { best: number; mean: number; baselineBest: number }[];
    expect(curve).toHaveLength(2);
    for (const g of curve) {
      expect(g.best).toBeGreaterThanOrEqual(g.mean);
      expect(g.baselineBest).not.toBeNull();
    }
    // The random-search baseline had the same budget and is written beside it.
    expect(outcome.baselineHead && readHeadMeta(outcome.baselineHead).origin).toBe('random-search');
    // Each generation is an ordinary run: 2 searches × λ candidates × 3 tasks samples, traced and costed.
    const run = join(outcome.dir, 'gen-0000', 'report.json');
    expect(existsSync(join(outcome.dir, 'gen-0000', 'run.sqlite'))).toBe(true);
    expect(existsSync(run)).toBe(false);
    expect(outcome.spentUsd).toBeGreaterThan(0);
  });

  it('resumes from its checkpoint: a longer run continues the shorter one instead of starting over', async () => {
    const first = await smallTraining(1);
    await train({ config: first.config, env: {}, command: 'test', sandbox, scorer });
    const checkpoint = JSON.parse(
      readFileSync(join(first.dir, 'train-demo-training', 'checkpoint.json'), 'utf8'),
    );
    expect(checkpoint.generation).toBe(1);
    const longer = {
      ...first.config,
      training: { ...first.config.training, generations: 2 },
    } as typeof first.config;
    // The longer training's head replaces the shorter one's: that takes overwrite (`--force`).
    await expect(train({ config: longer, env: {}, command: 'test', sandbox, scorer })).rejects.toThrow(
      /trained\.onnx exists: pass --force/,
    );
    const outcome = await train({
      config: longer,
      env: {},
      command: 'test',
      sandbox,
      scorer,
      overwrite: true,
    });
    expect(outcome.curve).toHaveLength(2);
    expect(outcome.curve[0]).toEqual(checkpoint.curve[0]);
    // Generation 0 was not run again (its run folder saw one session); generation 1 was added.
    const gen0 = new RunStore(join(outcome.dir, 'gen-0000', 'run.sqlite'));
    expect(gen0.getRun()?.sessions).toBe(1);
    gen0.close();
    expect(existsSync(join(outcome.dir, 'gen-0001', 'run.sqlite'))).toBe(true);
  });

  it('writes head.onnx into the training folder when neither --output nor training.output names a file', async () => {
    const { dir, file } = smallTrainingCopy({ population: 4, evaluations: 2, generations: 1 }, (t) =>
      t.replace('  output: trained.onnx\n', ''),
    );
    const config = await loadRunConfig(file);
    config.output = dir;
    const outcome = await train({ config, env: {}, command: 'test', sandbox, scorer });
    expect(outcome.head).toBe(join(dir, 'train-demo-training', 'head.onnx'));
    expect(outcome.baselineHead).toBe(join(dir, 'train-demo-training', 'head.random-search.onnx'));
    expect(readHeadMeta(outcome.head).origin).toBe('sep-cma-es');
  });

  it('refuses an existing head file before the first generation, naming it', async () => {
    const { dir, config } = await smallTraining(1);
    const existing = join(dir, 'elsewhere', 'mine.onnx');
    mkdirSync(dirname(existing));
    writeFileSync(existing, 'keep me');
    await expect(
      train({ config, env: {}, command: 'test', sandbox, scorer, headFile: existing }),
    ).rejects.toThrow(
      `${existing} exists: pass --force to overwrite it, or --output <file> to write elsewhere`,
    );
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    expect(existsSync(join(dir, 'train-demo-training'))).toBe(false);
  });
});
