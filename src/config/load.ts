import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { OrchestratorOptions } from '../orchestrators/types.js';
import { loadPlugin, PluginError } from '../plugins/load.js';
import type { AgentConfig, PricedAgent } from '../providers/types.js';
import { assertSuiteFilesPresent } from '../suites/load.js';
import { readYamlFile, type YamlSource } from '../util/yaml.js';
import { pluginsSchema, type RunConfig, runConfigSchema } from './schema.js';

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
  /** Hash of the validated config: a resumed run must have the same one. */
  hash: string;
}

export async function loadRunConfig(file: string): Promise<LoadedConfig> {
  const config = await readRunConfig(file);
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
export async function readRunConfig(file: string): Promise<LoadedConfig> {
  const source = await loadConfigPlugins(file);
  const config = source.validate(runConfigSchema());
  const dir = dirname(resolve(file));
  const suitePaths = config.suites.map((s) => resolve(dir, s.path));
  const loaded = {
    ...config,
    pool: config.pool as PoolMember[],
    orchestrators: config.orchestrators as OrchestratorOptions[],
    file: resolve(file),
    suitePaths,
    hash: '',
  };
  return { ...loaded, hash: configHash(loaded) };
}

/**
 * Loads the plugins a config lists (paths relative to it) into this process's registries; any problem
 * is an InputError at the plugin's entry. Returns the parsed file for the rest of its validation.
 */
export async function loadConfigPlugins(file: string): Promise<YamlSource> {
  const source = readYamlFile(file);
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
 * Hash of what changes results: budget, concurrency, retries and output may differ on a resume.
 * Prices are resolved later (at start), so a price-table update does not block a resume. Recomputed
 * when the command line changes the config (`--drop-agent`).
 */
export function configHash(config: Omit<LoadedConfig, 'hash' | 'file' | 'suitePaths'>): string {
  const meaningful = {
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
  };
  return createHash('sha256').update(JSON.stringify(meaningful)).digest('hex').slice(0, 16);
}
