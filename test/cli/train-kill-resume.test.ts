import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { readHeadMeta } from '../../src/orchestrators/trinity/head-file.js';
import { smallTrainingCopy } from '../train/small-training.js';
import { runCli, startCli } from './cli-process.js';

const { onnx } = onnxProto;

/** The demo training, shrunk so a generation takes about a second: λ = 6, 4 tasks, 3 generations. */
function smallTraining() {
  return smallTrainingCopy({ population: 6, evaluations: 4, generations: 3 }, (t) =>
    t.replace(/concurrency: \d+/, 'concurrency: 4').replace(/firstTokenMs: 0/g, 'firstTokenMs: 20'),
  );
}

function weights(file: string): number[] {
  const model = onnx.ModelProto.decode(readFileSync(file));
  return model.graph?.initializer?.find((t) => t.name === 'W')?.floatData ?? [];
}

describe('baton train killed mid-generation (real processes)', () => {
  it('resumes to the same head as an uninterrupted run with the same seed', async () => {
    const killed = smallTraining();
    const run = startCli(['train', killed.file, '--output-dir', killed.dir]);
    // Kill once generation 1 has started writing samples: mid-generation, after a checkpoint.
    const gen1 = join(killed.dir, 'train-demo-training', 'gen-0001', 'run.sqlite');
    while (!existsSync(gen1)) {
      await sleep(50);
      expect(run.child.exitCode, 'training ended before it could be killed').toBeNull();
    }
    await sleep(300);
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    expect(existsSync(join(killed.dir, 'trained.onnx'))).toBe(false);

    const resumed = await runCli(['train', killed.file, '--output-dir', killed.dir]);
    expect(resumed.code, resumed.stderr).toBe(0);

    const straight = smallTraining();
    const clean = await runCli(['train', straight.file, '--output-dir', straight.dir]);
    expect(clean.code, clean.stderr).toBe(0);

    const a = join(killed.dir, 'trained.onnx');
    const b = join(straight.dir, 'trained.onnx');
    expect(weights(a).length).toBeGreaterThan(0);
    expect(weights(a)).toEqual(weights(b));
    expect(readHeadMeta(a).training?.curve).toEqual(readHeadMeta(b).training?.curve);
  }, 240_000);
});
