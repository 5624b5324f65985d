import type { Command } from 'commander';
import type { ConfigReadOptions } from '../config/load.js';
import { UsageError } from '../util/errors.js';
import { parseOverride } from '../util/overrides.js';

/** The subset and override flags as commander gives them. */
export interface SelectionFlags {
  limit?: string | undefined;
  sample?: string | undefined;
  seed?: string | undefined;
  only?: string[] | undefined;
  set?: string[] | undefined;
}

// No default value: commander would print `(default: [])` in the help.
const collect = (value: string, values: string[] | undefined) => [...(values ?? []), value];

/** After the options of a command that runs samples: how subsets and overrides behave. */
export const SELECTION_HELP = `Subsets and overrides (README: Subsets and overrides):
  --set paths: budget.usd, pool[0].params.temperature, orchestrators[<id>].head (a list item by its id);
  values are YAML (2, true, {temperature: 0}, "2" a string); a file path set here is relative to the
  working directory. The run records --limit/--sample/--seed/--only/--set; --resume needs the same
  subset and the same values of what changes results (budget, concurrency, retries may differ).
`;

/** `--limit`, `--sample`, `--seed`, `--only`, `--set` on a command that runs samples. */
export function addSelectionOptions(command: Command): Command {
  return command
    .option('--limit <n>', 'run only the first N tasks of each suite (after its own filters)')
    .option(
      '--sample <n>',
      "run N tasks of each suite chosen at random, seeded (--seed, default: the config's seed); a larger sample holds a smaller one",
    )
    .option('--seed <s>', "seed of --sample (a whole number; default: the config's seed)")
    .option(
      '--only <ids>',
      'run only these orchestrators (comma-separated ids; repeatable); others are built only when a kept one calls them as pool members',
      (ids: string, all: string[] | undefined) => [...(all ?? []), ...ids.split(',')],
    )
    .option(
      '--set <path=value>',
      'change one config value before validation (repeatable): budget.usd=2, pool[0].model=gpt-5, orchestrators[trinity-trained].head=out/head.onnx; values are YAML; file paths are relative to the working directory',
      collect,
    );
}

/** The flags checked and turned into what reading the config takes; any problem is a UsageError (exit 2). */
export function readSelectionFlags(
  flags: SelectionFlags,
): Required<Pick<ConfigReadOptions, 'overrides' | 'selection'>> {
  if (flags.limit !== undefined && flags.sample !== undefined)
    throw new UsageError('--limit and --sample both choose the tasks: give one of them');
  if (flags.seed !== undefined && flags.sample === undefined)
    throw new UsageError("--seed seeds --sample; the run's own seed is the config's seed: (--set seed=N)");
  const only = (flags.only ?? []).map((id) => id.trim());
  if (only.some((id) => id === ''))
    throw new UsageError('--only: an empty orchestrator id (ids are comma-separated)');
  const set = flags.set ?? [];
  const overrides = set.map(parseOverride);
  return {
    overrides,
    selection: {
      ...(flags.limit === undefined ? {} : { limit: positiveInteger('--limit', flags.limit) }),
      ...(flags.sample === undefined
        ? {}
        : {
            sample: {
              count: positiveInteger('--sample', flags.sample),
              ...(flags.seed === undefined ? {} : { seed: wholeNumber('--seed', flags.seed) }),
            },
          }),
      ...(only.length === 0 ? {} : { only: [...new Set(only)] }),
      ...(set.length === 0 ? {} : { set }),
    },
  };
}

function positiveInteger(option: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 1)
    throw new UsageError(`${option} takes a whole number of tasks, at least 1, not '${text}'`);
  return n;
}

function wholeNumber(option: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < 0)
    throw new UsageError(`${option} takes a whole number (0 or more), not '${text}'`);
  return n;
}
