import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHeadMeta } from '../../src/orchestrators/trinity/head-file.js';
import { smallTrainingCopy } from '../train/small-training.js';
import { runCli } from './cli-process.js';

describe('baton train --output <file> (real process)', () => {
  it('refuses an existing head without --force (exit 2, naming it), writes a new one, replaces it with --force', async () => {
    const { dir, file } = smallTrainingCopy({ population: 2, evaluations: 1, generations: 1 });
    const existing = join(dir, 'existing.onnx');
    writeFileSync(existing, 'keep me');
    const refused = await runCli(['train', file, '--output', existing, '--output-dir', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `error: ${existing} exists: pass --force to overwrite it, or --output <file> to write elsewhere\n`,
    );
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(existing, 'utf8')).toBe('keep me');

    const head = join(dir, 'new', 'head.onnx');
    const trained = await runCli(['train', file, '--output', head, '--output-dir', dir]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toContain(`head: ${head}\n`);
    expect(readHeadMeta(head).origin).toBe('sep-cma-es');
    expect(existsSync(join(dir, 'new', 'head.random-search.onnx'))).toBe(true);
    // training.output of the config (trained.onnx beside it) was not written: --output wins.
    expect(existsSync(join(dir, 'trained.onnx'))).toBe(false);

    const forced = await runCli(['train', file, '--output', existing, '--output-dir', dir, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readHeadMeta(existing).origin).toBe('sep-cma-es');
  }, 120_000);
});
