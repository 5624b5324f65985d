import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { OrchestratorOptions } from '../orchestrators/types.js';
import { loadPlugin, PluginError } from '../plugins/load.js';
import type { AgentConfig, PricedAgent } from '../providers/types.js';
import { assertSuiteFilesPresent } from '../suites/load.js';
import type { Override } from '../util/overrides.js';
import { readYamlFile, type YamlSource } from '../util/yaml.js';
import { pluginsSchema, type RunConfig, runConfigSchema } from './schema.js';
import { isEmptySelection, type RunSelection, selectOrchestrators } from './selection.js';

/** A pool member as configured: the common fields plus its provider's own (validated by that provider). */
export type PoolMember = AgentConfig & Record<string, unknown>;

/** A pool member once its price is resolved (configs/prices.yaml and the config's override). */
export type PricedPoolMember = PoolMember & PricedAgent;

export interface LoadedConfig extends Omit<RunConfig, 'pool' | 'orchestrators'> {
  pool: PoolMember[];
  orchestrators: OrchestratorOptions[];
  /** Absolute path of the config file. */
  file: string;
  /** Suite files resolved against the config file's directory. */
  suitePaths: string[];
  /** Hash of what changes results (configHash): recorded with the run, checked by queue workers and training. */
  hash: string;
  /** SHA-256 (16 hex digits) of the config file's bytes: a bare `--resume` looks for a run made from them. */
  contentHash: string;
  /** The command line's subset and overrides (`--limit`, `--sample`, `--only`, `--set`). */
  selection: RunSelection;
}

/** How the command line changes a config as it is read. */
export interface ConfigReadOptions {
  /** `--set` overrides, applied to the file's data before validation. */
  overrides?: readonly Override[] | undefined;
  /** `--limit`, `--sample` (its seed defaults to the config's), `--only` and the `--set` texts, recorded with the run. */
  selection?: (Omit<RunSelection, 'sample'> & { sample?: { count: number; seed?: number } }) | undefined;
  /** Where `--only` says what it left out (default stderr). */
  warn?: ((message: string) => void) | undefined;
}

export async function loadRunConfig(file: string, options: ConfigReadOptions = {}): Promise<LoadedConfig> {
  const config = await readRunConfig(file, options);
  // Every missing suite file at once, with where to get it, before any provider starts or anything is spent.
  assertSuiteFilesPresent(
    config.suites.map((options, i) => ({ path: config.suitePaths[i] as string, options })),
  );
  return config;
}

/**
 * A run config, validated, without checking that its suite files exist (preflight lists those with the
 * rest). Its plugins are loaded first: their families, providers and scorers are what its entries name.
 */
export async function readRunConfig(file: string, options: ConfigReadOptions = {}): Promise<LoadedConfig> {
  const source = await loadConfigPlugins(file, options.overrides);
  const config = source.validate(runConfigSchema());
  const dir = dirname(resolve(file));
  const suitePaths = config.suites.map((s) => resolve(dir, s.path));
  const { sample, ...chosen } = options.selection ?? {};
  const selection: RunSelection = {
    ...chosen,
    ...(sample ? { sample: { count: sample.count, seed: sample.seed ?? config.seed } } : {}),
  };
  const warn = options.warn ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  const read = {
    ...config,
    pool: config.pool as PoolMember[],
    orchestrators: config.orchestrators as OrchestratorOptions[],
    file: resolve(file),
    suitePaths,
    contentHash: source.contentHash,
    selection,
    hash: '',
  };
  const loaded = selection.only ? selectOrchestrators(read, selection.only, warn) : read;
  return { ...loaded, hash: configHash(loaded) };
}

/**
 * Loads the plugins a config lists (paths relative to it) into this process's registries; any problem
 * is an InputError at the plugin's entry. Returns the parsed file for the rest of its validation.
 */
export async function loadConfigPlugins(
  file: string,
  overrides: readonly Override[] = [],
): Promise<YamlSource> {
  const source = readYamlFile(file, overrides);
  const { plugins } = source.validate(z.object({ plugins: pluginsSchema }));
  const dir = dirname(resolve(file));
  for (const [i, plugin] of plugins.entries()) {
    try {
      await loadPlugin(resolve(dir, plugin));
    } catch (err) {
      if (!(err instanceof PluginError)) throw err;
      throw source.problemAt(['plugins', i], `plugin ${plugin}: ${err.message}`);
    }
  }
  return source;
}

/**
 * Hash of what changes results (`meaningfulConfig`). Recomputed when the command line changes the
 * config (`--drop-agent`).
 */
export function configHash(config: MeaningfulParts): string {
  return createHash('sha256')
    .update(JSON.stringify(meaningfulConfig(config)))
    .digest('hex')
    .slice(0, 16);
}

type MeaningfulParts = Pick<
  LoadedConfig,
  | 'name'
  | 'seed'
  | 'repeats'
  | 'scoring'
  | 'pool'
  | 'orchestrators'
  | 'suites'
  | 'plugins'
  | 'drop'
  | 'ablation'
  | 'faults'
  | 'decide'
> & { selection?: RunSelection | undefined };

/**
 * What changes results: budget, concurrency, retries and output may differ on a resume (also when set
 * with `--set`). Prices are resolved later (at start), so a price-table update does not block a
 * resume. The `--set` texts are left out: their effect is in the fields they set.
 */
export function meaningfulConfig(config: MeaningfulParts): Record<string, unknown> {
  const { set: _texts, ...selection } = config.selection ?? {};
  return {
    name: config.name,
    seed: config.seed,
    repeats: config.repeats,
    scoring: config.scoring,
    pool: config.pool,
    orchestrators: config.orchestrators,
    suites: config.suites,
    // Absent when unused, so configs written before ablation existed keep their hash.
    ...(config.plugins.length > 0 ? { plugins: config.plugins } : {}),
    ...(config.drop.length > 0 ? { drop: config.drop } : {}),
    ...(config.ablation ? { ablation: config.ablation } : {}),
    ...(config.faults.length > 0 ? { faults: config.faults } : {}),
    // It sets the order tasks run in and where --until-decided stops.
    ...(config.decide.length > 0 ? { decide: config.decide } : {}),
    // The run's subset (`--limit`, `--sample`, `--only`); absent for a whole run.
    ...(isEmptySelection(selection) ? {} : { selection }),
  };
}
