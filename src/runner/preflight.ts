import { existsSync, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { resumeRefusal } from '../config/identity.js';
import type { LoadedConfig, PricedPoolMember } from '../config/load.js';
import { isOrchestratorMember } from '../orchestrators/member.js';
import { orchestratorFamilies } from '../orchestrators/registry.js';
import { loadPriceTable, resolvePrices } from '../providers/prices.js';
import { memberApiKeyNames } from '../providers/registry.js';
import { checkRunId, findRunDir, newRunId, runDirIn, STORE_FILE } from '../store/run-dir.js';
import type { Task } from '../suites/types.js';
import { CorruptStoreError, UsageError } from '../util/errors.js';
import { describeFault } from '../util/storage-fault.js';
import { assertRunnableWithoutDropped } from './ablation.js';
import { checkEndpoints, type EndpointCheck } from './endpoints.js';
import type { ConfiguredOrchestrator } from './orchestrators.js';
import { loadSuitesOrProblems } from './setup.js';

export interface PreflightOptions {
  /** Environment with `.env` merged: where API keys are looked for. */
  env: NodeJS.ProcessEnv;
  resume?: boolean | string | undefined;
  runId?: string | undefined;
  /** Pool members are served from a cassette: no key is needed. */
  replay?: boolean;
  /** Samples run on queue workers: they hold the keys and the sandboxes, not this process. */
  queue?: boolean;
  /** One cheap request per endpoint (a model list): which answer, which refuse the key. */
  checkEndpoints?: boolean;
}

export interface PreflightResult {
  /** Every problem found, one entry each (an entry may span lines): the run must not start. */
  problems: string[];
  /** Worth saying, not worth stopping for (a head trained on the simulated pool driving live agents). */
  warnings: string[];
  /** The suites' tasks, when every suite loaded. */
  tasks?: Task[];
  /** Every orchestrator built (heads loaded in onnxruntime), when all could be. */
  orchestrators?: ConfiguredOrchestrator[];
  /** The pool with prices, when every member has one. */
  priced?: PricedPoolMember[];
  /** With `checkEndpoints`: one line per endpoint. */
  endpoints?: EndpointCheck[];
}

/** Preflight found problems: exit 2, every problem listed, nothing run or spent. */
export class PreflightError extends UsageError {
  override name = 'PreflightError';
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? (problems[0] as string)
        : `preflight found ${problems.length} problems (nothing was run or spent):\n${problems
            .map((p, i) => `  ${i + 1}. ${p.replaceAll('\n', '\n     ')}`)
            .join('\n')}`,
    );
  }
}

/**
 * Everything that can be checked before a run without spending anything, all at once: suite files
 * (present and readable), head files (present, load in onnxruntime, featurizer and dimension, agent
 * slots ↔ pool), the orchestrators' needs (a dropped judge or planner), a price for every model, an
 * API key for every member, a sandbox for code suites, an output folder that takes writes, and a
 * resumed run's config; with `checkEndpoints`, whether each endpoint answers. Returns what it loaded,
 * so the run does not load it twice.
 */
export async function preflight(config: LoadedConfig, options: PreflightOptions): Promise<PreflightResult> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const dropped = new Set(config.drop);

  const suites = loadSuitesOrProblems(config);
  problems.push(...suites.problems);
  const tasks = suites.loaded?.flatMap((s) => s.tasks);

  // Orchestrators: each built as the run would (TRINITY heads loaded and checked against the pool).
  try {
    assertRunnableWithoutDropped(config);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    problems.push(err.message);
  }
  const configDir = dirname(config.file);
  const built: ConfiguredOrchestrator[] = [];
  for (const o of config.orchestrators) {
    const family = orchestratorFamilies.find((f) => f.family === o.family);
    if (!family) {
      problems.push(`orchestrator ${o.id}: unknown family '${o.family}'`);
      continue;
    }
    try {
      built.push({
        id: o.id,
        family: o.family,
        orchestrator: await family.create(o as never, { configDir, pool: config.pool }),
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      problems.push(
        message.startsWith(`orchestrator ${o.id}`) ? message : `orchestrator ${o.id}: ${message}`,
      );
    }
  }
  if (config.orchestrators.some((o) => o.family === 'trinity')) {
    const { simTrainedHeadWarnings } = await import('../orchestrators/trinity/sim-trained.js');
    warnings.push(...simTrainedHeadWarnings(config));
  }

  // Prices: every member without one, each named (a replay is still priced: its report shows costs).
  let priced: PricedPoolMember[] | undefined = [];
  try {
    const table = loadPriceTable();
    for (const agent of config.pool) {
      try {
        priced?.push(...resolvePrices([agent], table).pool);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        problems.push(err.message);
        priced = undefined;
      }
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    problems.push(err.message); // the price table itself is broken
    priced = undefined;
  }

  // API keys: every variable missing across the pool, once each, with the members that need it.
  if (!options.replay && !options.queue) {
    const needs = new Map<string, string[]>();
    for (const agent of config.pool) {
      if (dropped.has(agent.id)) continue;
      const names = memberApiKeyNames(agent);
      if (names.length === 0 || names.some((n) => options.env[n])) continue;
      const key = names.join(' or ');
      needs.set(key, [...(needs.get(key) ?? []), agent.id]);
    }
    for (const [names, agents] of needs)
      problems.push(
        `no API key: set ${names} in the environment or in .env (needed by pool member${agents.length > 1 ? 's' : ''} ${agents.join(', ')})`,
      );
  }

  // The sandbox, when code answers will be graded here.
  const code = tasks ? tasks.some((t) => t.kind === 'code') : true;
  if (code && !options.queue) {
    const problem = await sandboxProblem(config.scoring.sandbox, options.env);
    if (problem) problems.push(problem);
  }

  // Where the run writes, and a resumed run's config.
  problems.push(...outputProblems(config, options));

  const result: PreflightResult = { problems, warnings };
  if (tasks) result.tasks = tasks;
  if (built.length === config.orchestrators.length) result.orchestrators = built;
  if (priced) result.priced = priced;

  if (options.checkEndpoints) {
    const agents = config.pool.filter((a) => !dropped.has(a.id) && !isOrchestratorMember(a));
    result.endpoints = await checkEndpoints(agents, options.env);
    for (const e of result.endpoints)
      if (!e.ok) problems.push(`endpoint ${e.endpoint} (${e.agents.join(', ')}): ${e.detail}`);
  }
  return result;
}

/** Why code answers could not be graded: a required Docker that does not answer, or no Python for the local driver. */
async function sandboxProblem(
  choice: LoadedConfig['scoring']['sandbox'],
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  if (choice !== 'local') {
    const { checkDocker } = await import('../sandbox/docker/engine.js');
    const { sandboxImage } = await import('../sandbox/docker/image.js');
    const check = await checkDocker(sandboxImage());
    if (check.ok) return undefined;
    if (choice === 'docker') return `scoring.sandbox is docker, but ${check.reason}`;
  }
  const { resolvePython } = await import('../sandbox/local/python.js');
  try {
    resolvePython(undefined, env);
    return undefined;
  } catch (err) {
    return `code suites need a sandbox: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * The output folder must take writes: a scratch folder is made and removed where the run folder
 * would be created (its nearest existing ancestor). A resumed run must exist, be readable and come
 * from this config.
 */
function outputProblems(config: LoadedConfig, options: PreflightOptions): string[] {
  const problems: string[] = [];
  if (options.resume) {
    let runDir: string;
    try {
      runDir = findRunDir(
        config.output,
        config,
        typeof options.resume === 'string' ? options.resume : undefined,
      );
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      return [err.message];
    }
    // A folder that refuses writes is the problem to fix first (its store may not open read-only either).
    const refused = refusesWrites(runDir);
    if (refused) return [`cannot write in the run folder ${runDir}: ${refused}`];
    const stored = storedRun(join(runDir, STORE_FILE));
    if ('problem' in stored) problems.push(stored.problem);
    else {
      const refusal = resumeRefusal(stored, config);
      if (refusal) problems.push(refusal);
    }
    return problems;
  }
  let runDir: string;
  try {
    runDir = runDirIn(
      config.output,
      options.runId === undefined ? newRunId(config.name) : checkRunId(options.runId),
    );
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return [err.message];
  }
  if (existsSync(join(runDir, STORE_FILE)))
    problems.push(`run ${options.runId ?? runDir} already exists in ${config.output}; use --resume`);
  let ancestor = runDir;
  while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
  const refused = refusesWrites(ancestor);
  if (refused) problems.push(`cannot create the run folder ${runDir}: ${refused}`);
  return problems;
}

/** Why a folder refuses a new entry (not a folder, read-only, no permission), or undefined when it takes one. */
function refusesWrites(dir: string): string | undefined {
  try {
    if (!statSync(dir).isDirectory()) return `ENOTDIR: ${dir} is not a directory`;
    rmdirSync(mkdtempSync(join(dir, '.baton-preflight-')));
    return undefined;
  } catch (err) {
    return describeFault(err);
  }
}

/** The run a store holds and the config it was started with, read without writing anything. */
function storedRun(
  file: string,
): { id: string; configFile: string; configJson: string } | { problem: string } {
  const noRecord = () => ({
    problem: new CorruptStoreError(
      file,
      'it holds no run record (empty or truncated); remove the run folder to start over',
    ).message,
  });
  let db: Database.Database | undefined;
  try {
    db = new Database(resolve(file), { readonly: true, fileMustExist: true });
    const row = db
      .prepare('SELECT id, config_file AS configFile, config_json AS configJson FROM run LIMIT 1')
      .get() as { id: string; configFile: string; configJson: string } | undefined;
    return row ?? noRecord();
  } catch (err) {
    if (err instanceof Error && /no such table/.test(err.message)) return noRecord();
    return { problem: new CorruptStoreError(file, describeFault(err)).message };
  } finally {
    db?.close();
  }
}
