import { resolve } from 'node:path';
import type { Command } from 'commander';
import { environmentWithDotEnv } from '../config/env.js';
import { loadRunConfig } from '../config/load.js';
import { chooseSharedCache } from '../runner/shared-cache.js';
import { openScoring } from '../scoring/open.js';
import { UsageError } from '../util/errors.js';
import { addSelectionOptions, readSelectionFlags, type SelectionFlags } from './selection-options.js';

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);

/** `baton train <config>`: sep-CMA-ES on a trinity head, with a random-search baseline. */
export function addTrainCommand(program: Command): void {
  const train = program
    .command('train')
    .description(
      "Train a trinity orchestrator's head with sep-CMA-ES (config: training: section); resumes where it stopped",
    )
    .argument('<config>', 'run config with a training: section')
    .option(
      '--output <file>',
      "head file to write (default: the config's training.output, else head.onnx in the training folder); the random-search head goes beside it",
    )
    .option('--force', 'overwrite an existing head file (without it, training refuses to start)')
    .option(
      '--output-dir <dir>',
      "directory for the training folder <name>-training, one run folder per generation (default: the config's output)",
    )
    .option('--no-cache', 'neither read nor write the response cache shared across runs');
  addSelectionOptions(train).action(
    async (
      configFile: string,
      opts: { output?: string; outputDir?: string; force?: boolean; cache: boolean } & SelectionFlags,
    ) => {
      if ((opts.only ?? []).length > 0)
        throw new UsageError(
          '--only does not apply to baton train: it trains the orchestrator training.orchestrator names (choose another with --set training.orchestrator=<id>)',
        );
      const config = await loadRunConfig(configFile, readSelectionFlags(opts));
      if (opts.outputDir) config.output = opts.outputDir;
      const env = environmentWithDotEnv(process.env);
      const simulated = config.pool.some((a) => a.provider === 'sim') ? ' (simulated)' : '';
      const { sandbox, scorer } = await openScoring(config.scoring);
      try {
        const { train } = await import('../train/train.js'); // onnxruntime loads on use
        const outcome = await train({
          config,
          env,
          sharedCache: chooseSharedCache(config.cache, !opts.cache, env),
          command: ['baton', ...process.argv.slice(2)].join(' '),
          sandbox,
          scorer,
          headFile: opts.output === undefined ? undefined : resolve(opts.output),
          overwrite: opts.force,
          onGeneration: (r, total) => {
            process.stderr.write(
              `generation ${r.generation + 1}/${total}: sep-CMA-ES best ${pct(r.best)} mean ${pct(r.mean)}` +
                ` | random search best ${pct(r.baselineBest)} mean ${pct(r.baselineMean)}` +
                ` | spent $${r.spentUsd.toFixed(4)}${simulated}\n`,
            );
          },
        });
        process.stdout.write(
          `head: ${outcome.head}\n${outcome.baselineHead ? `random-search head: ${outcome.baselineHead}\n` : ''}` +
            `training runs: ${outcome.dir}\ntotal spent: $${outcome.spentUsd.toFixed(4)}${simulated} (the answers' cost; sent for by this process: $${outcome.paidUsd.toFixed(4)}, the rest came from the response caches or earlier processes)\n`,
        );
      } finally {
        await sandbox.close();
      }
    },
  );
}
