import { dirname } from 'node:path';
import type { LoadedConfig, PricedPoolMember } from '../config/load.js';
import type { RunSelection } from '../config/selection.js';
import { resolvePrices } from '../providers/prices.js';
import { redact } from '../providers/redact.js';
import {
  contentHashOf,
  type LoadedSuite,
  loadSuiteAnnounced,
  type MissingFiles,
  missingFilesMessage,
  missingSuiteFiles,
} from '../suites/load.js';
import type { Task } from '../suites/types.js';
import { InputError, UsageError } from '../util/errors.js';
import { inSeededOrder } from '../util/stats/sequential.js';
import { assertRunnableWithoutDropped } from './ablation.js';
import { AdaptiveLimiter } from './aimd.js';
import { type ProviderClients, startClients } from './clients.js';
import { type ConfiguredOrchestrator, createOrchestrators } from './orchestrators.js';

/** A config whose pool members all have a price. */
export type PricedConfig = Omit<LoadedConfig, 'pool'> & { pool: PricedPoolMember[] };

/** Everything a process needs to execute a config's samples: `baton run`'s, a queue worker's, each training generation's. */
export interface RunSetup {
  config: PricedConfig;
  tasks: Task[];
  orchestrators: ConfiguredOrchestrator[];
  /** The clients of the members not dropped; none started when samples execute elsewhere. */
  clients: ProviderClients;
  /** Agent id → the adaptive limiter of its endpoint, shared by every agent behind it. */
  limiters: Map<string, AdaptiveLimiter>;
  /** Scrubs the run's API keys from a text. */
  scrub(text: string): string;
  /** Stops the provider clients. */
  close(): Promise<void>;
}

export interface SetupOptions {
  env: NodeJS.ProcessEnv;
  /** Tasks already loaded (preflight's, a pilot's or a training generation's share); else the config's suites. */
  tasks?: Task[] | undefined;
  /** Orchestrators already built (preflight's, training's candidate heads); else the config's. */
  orchestrators?: ConfiguredOrchestrator[] | undefined;
  /** Serve every pool member from this cassette instead of its provider. */
  replayFrom?: string | undefined;
  /** Samples execute elsewhere (`baton run --queue`): no provider is started, the workers hold the keys. */
  remote?: boolean | undefined;
  /** The limiter of one endpoint, given its first agent (a queue worker adds a global rate limit); default plain AIMD. */
  limiter?: ((agent: PricedPoolMember) => AdaptiveLimiter) | undefined;
}

type SuitesOf = Pick<LoadedConfig, 'suites' | 'suitePaths'> & { selection?: RunSelection | undefined };

/**
 * The config's suites, loaded (skipped rows announced once on stderr) and cut to the run's subset
 * (`--limit`, `--sample`): the one place a run reads them.
 */
export function loadSuites(config: SuitesOf): LoadedSuite[] {
  return config.suites.map((options, i) =>
    selectTasks(loadSuiteAnnounced(config.suitePaths[i] as string, options), config.selection),
  );
}

const shortSuitesAnnounced = new Set<string>();

/**
 * `--limit N`: the suite's first N tasks; `--sample N`: the first N in the seeded order of its seed
 * (the order `--until-decided` takes tasks in: a larger sample holds a smaller one), kept in file
 * order. A suite with fewer tasks runs whole, said once on stderr.
 */
export function selectTasks(suite: LoadedSuite, selection: RunSelection | undefined): LoadedSuite {
  const count = selection?.limit ?? selection?.sample?.count;
  if (count === undefined) return suite;
  const option = selection?.limit !== undefined ? '--limit' : '--sample';
  if (suite.tasks.length < count && !shortSuitesAnnounced.has(`${suite.name}\0${option}`)) {
    shortSuitesAnnounced.add(`${suite.name}\0${option}`);
    process.stderr.write(
      `note: suite ${suite.name} has ${suite.tasks.length} task(s), fewer than ${option} ${count}: all of them run\n`,
    );
  }
  if (suite.tasks.length <= count) return suite;
  let tasks: Task[];
  if (selection?.sample) {
    const chosen = new Set(inSeededOrder(selection.sample.seed, suite.tasks).slice(0, count));
    tasks = suite.tasks.filter((t) => chosen.has(t));
  } else tasks = suite.tasks.slice(0, count);
  return { ...suite, tasks, contentHash: contentHashOf(tasks) };
}

/**
 * `loadSuites` for preflight: every reason the suites cannot load instead of the first — the missing
 * files as one list (with where to get each), then each file that does not load.
 */
export function loadSuitesOrProblems(config: SuitesOf): {
  loaded: LoadedSuite[] | undefined;
  problems: string[];
} {
  const loaded: LoadedSuite[] = [];
  const problems: string[] = [];
  const missing: MissingFiles[] = [];
  for (const [i, options] of config.suites.entries()) {
    const path = config.suitePaths[i] as string;
    const absent = missingSuiteFiles([{ path, options }]);
    if (absent.length > 0) {
      missing.push(...absent);
      continue;
    }
    try {
      loaded.push(selectTasks(loadSuiteAnnounced(path, options), config.selection));
    } catch (err) {
      if (!(err instanceof UsageError || err instanceof InputError)) throw err;
      problems.push(err.message);
    }
  }
  if (missing.length > 0) problems.unshift(missingFilesMessage(missing));
  return { loaded: problems.length === 0 ? loaded : undefined, problems };
}

/**
 * Builds what executing a config's samples takes, in the order a bad config is best refused in:
 * tasks, orchestrators (heads loaded), orchestrators still runnable without the dropped members,
 * prices, then the provider clients: an unpriced model, a missing key or a dead endpoint stops the
 * run before any call and before any run folder is made.
 */
export async function setUpRun(config: LoadedConfig, opts: SetupOptions): Promise<RunSetup> {
  const tasks = opts.tasks ?? loadSuites(config).flatMap((s) => s.tasks);
  const orchestrators =
    opts.orchestrators ??
    (await createOrchestrators(config.orchestrators, { configDir: dirname(config.file), pool: config.pool }));
  assertRunnableWithoutDropped(config);
  const { pool: priced } = resolvePrices(config.pool);
  // Globally dropped members are never started: a dropped API model needs no key.
  const dropped = new Set(config.drop);
  const clients = opts.remote
    ? remoteClients(priced)
    : await startClients(
        priced.filter((a) => !dropped.has(a.id)),
        {
          tasks,
          env: opts.env,
          seed: config.seed,
          requestTimeoutMs: config.retries.requestTimeoutMs,
          replayFrom: opts.replayFrom,
        },
      );
  const limiter = opts.limiter ?? (() => new AdaptiveLimiter(config.providerConcurrency));
  return {
    config: { ...config, pool: priced },
    tasks,
    orchestrators,
    clients,
    limiters: limitersByAgent(priced, clients, limiter),
    scrub: (text) => redact(text, clients.secrets),
    close: () => clients.close(),
  };
}

/** One limiter per provider endpoint, shared by every agent behind it. */
function limitersByAgent(
  agents: readonly PricedPoolMember[],
  clients: ProviderClients,
  limiter: (agent: PricedPoolMember) => AdaptiveLimiter,
): Map<string, AdaptiveLimiter> {
  const byEndpoint = new Map<string, AdaptiveLimiter>();
  const byAgent = new Map<string, AdaptiveLimiter>();
  for (const agent of agents) {
    const endpoint = `${agent.provider}\u0000${clients.byAgent.get(agent.id)?.endpoint ?? agent.id}`;
    const shared = byEndpoint.get(endpoint) ?? limiter(agent);
    byEndpoint.set(endpoint, shared);
    byAgent.set(agent.id, shared);
  }
  return byAgent;
}

/** What a coordinator that executes nothing itself needs of the clients: whether any is simulated. */
function remoteClients(pool: readonly PricedPoolMember[]): ProviderClients {
  const simulatedAgents = new Set(pool.filter((a) => a.provider === 'sim').map((a) => a.id));
  return {
    byAgent: new Map(),
    simulatedAgents,
    simulated: simulatedAgents.size > 0,
    secrets: [],
    close: async () => {},
  };
}
