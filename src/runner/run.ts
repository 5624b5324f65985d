import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import pLimit from 'p-limit';
import type { LoadedConfig, PricedPoolMember } from '../config/load.js';
import { armId, cannotRunWithout } from '../orchestrators/ablation.js';
import { isOrchestratorMember, isRollup } from '../orchestrators/member.js';
import { OrchestrationError, type Orchestrator } from '../orchestrators/types.js';
import { resolvePrices } from '../providers/prices.js';
import { countProvenance } from '../providers/provenance.js';
import { CassetteWriter, redact } from '../providers/replay/cassette.js';
import type { Sandbox } from '../sandbox/types.js';
import type { Scorer } from '../scoring/types.js';
import { sampleFailure } from '../store/error-causes.js';
import type { SampleResult, TraceEvent } from '../store/records.js';
import {
  checkOutputDir,
  checkRunId,
  createRunDir,
  findRunDir,
  newRunId,
  STORE_FILE,
} from '../store/run-dir.js';
import {
  DEFAULT_RESERVE_BYTES,
  type RescueOutcome,
  type RunRecord,
  RunStore,
  type StoreFailure,
} from '../store/run-store.js';
import { loadSuite } from '../suites/load.js';
import type { Task } from '../suites/types.js';
import {
  CorruptStoreError,
  InterruptedError,
  RunFault,
  StorageFailedError,
  UsageError,
} from '../util/errors.js';
import { seedFrom } from '../util/random.js';
import { describeFault, freeSpace, isStorageFault } from '../util/storage-fault.js';
import { outageStarts } from './ablation.js';
import { AdaptiveLimiter } from './aimd.js';
import {
  BUDGET_STOP_FILE,
  BudgetExhausted,
  BudgetGuard,
  type BudgetStop,
  callCostBound,
  outputTokenBound,
  promptTokenBound,
  readBudgetStop,
} from './budget.js';
import { type ProviderClients, startClients } from './clients.js';
import { CallFailed, createSampleContext, type ResponseCache, RunStopped } from './context.js';
import { EndpointFailing, type FailingEndpoint, FailingEndpointWatch } from './failing-endpoint.js';
import { type ConfiguredOrchestrator, createOrchestrators } from './orchestrators.js';
import { acquireRunLock, type RunLock } from './run-lock.js';

export interface RunOptions {
  config: LoadedConfig;
  /** Resume: true = the newest run of this config, a string = that run id. */
  resume?: boolean | string;
  runId?: string;
  env: NodeJS.ProcessEnv;
  /** The command line that started the run, recorded with the results. */
  command: string;
  sandbox: Sandbox;
  scorer: Scorer;
  /** Write every call (request, each attempt's outcome, timing) to a cassette: a file, or true = <run dir>/cassette.jsonl. */
  record?: string | boolean | undefined;
  /** Serve every pool member from this cassette: no network, costs as recorded. */
  replayFrom?: string | undefined;
  /** With `replayFrom`: hold the recorded costs to `budget.usd` (stop where the recorded run did); else a replay ignores the budget. */
  replayBudget?: boolean | undefined;
  /** Run these instead of the config's orchestrators (training evaluates candidate heads built in memory). */
  orchestrators?: ConfiguredOrchestrator[];
  /** Run these instead of the config's suites (training draws a subset per generation). */
  tasks?: Task[];
  /** Told about each finished sample (progress bars). */
  onSample?: (sample: SampleResult, done: number, total: number, spentUsd: number) => void;
  /**
   * Execute samples elsewhere (`baton run --queue`: workers on a BullMQ queue). The run is planned,
   * admitted against the budget and recorded here as usual; only "execute a sample" moves, and this
   * process starts no provider (workers hold the keys and servers).
   */
  remote?: RemoteExecutor;
  onStart?: (info: {
    runId: string;
    runDir: string;
    total: number;
    skipped: number;
    /** True when any pool member is simulated (see `simulatedAgents`). */
    simulated: boolean;
    /** The simulated pool members, and how many members the pool has (orchestrator members left out). */
    simulatedAgents: string[];
    agents: number;
  }) => void;
  /**
   * Stops the run when aborted (the CLI aborts it on SIGINT/SIGTERM with an InterruptedError): no new
   * call or sample starts, calls in flight finish and their answers are stored, then the run throws
   * the abort reason.
   */
  signal?: AbortSignal;
  /** Warnings (a stale lock taken over, corrupt journal lines skipped, a storage failure); default stderr. */
  onWarning?: (message: string) => void;
  /** Free space kept aside to save answers when the disk fills (default DEFAULT_RESERVE_BYTES). */
  reserveBytes?: number;
  /**
   * Stop early when the first this-many calls to one endpoint all fail with an auth or connection
   * error (the CLI passes EARLY_STOP_CALLS): no new call starts, calls in flight finish, the run is
   * recorded as `stopped_errors`. Undefined: never.
   */
  stopOnFailingEndpoint?: number;
}

export interface RunOutcome {
  runId: string;
  runDir: string;
  status: RunRecord['status'];
  /** USD billed in this session, failed-but-billed attempts included. */
  spentUsd: number;
  /** Where and why the budget stopped the run (also written to budget-stop.json in the run folder). */
  budgetStop?: BudgetStop | undefined;
  /** The cassette written, when recording. */
  cassette?: string | undefined;
  /** The endpoint whose first calls all failed, when the run stopped early for it (status `stopped_errors`). */
  endpointStop?: FailingEndpoint | undefined;
}

/** Executes planned samples somewhere else and hands back what `executeSample` would have returned. */
export interface RemoteExecutor {
  execute(sample: PlannedSample, ctx: RemoteContext): Promise<ExecutedSample | undefined>;
  /** Told once a sample it executed is in the store (it may then forget the sample). */
  recorded?(sample: PlannedSample, ctx: RemoteContext): void;
}

export interface RemoteContext {
  runId: string;
  session: number;
  /** Agent → planned position from which its calls fail (injected outage). */
  outages: ReadonlyMap<string, number>;
  /** The run's store, read-only to executors but for its response cache. */
  store: RunStore;
}

export interface PlannedSample {
  sampleId: string;
  /** The orchestrator's id in the config (without an ablation arm's suffix). */
  configId: string;
  /** The orchestrator's id, or its ablated arm's (`fusion[-claude]`). */
  orchestratorId: string;
  family: string;
  orchestrator: Orchestrator;
  task: Task;
  repeat: number;
  /** Position in the planned order (outages start at a position). */
  index: number;
  /** Pool members this sample runs without (the config's `drop`, plus the ablation's in that arm). */
  dropped: ReadonlySet<string>;
}

/** The run's arms: the config's pool, and (with `ablation`) the same pool without the ablated members. */
function arms(config: LoadedConfig): { suffix: (id: string) => string; dropped: ReadonlySet<string> }[] {
  const full = { suffix: (id: string) => id, dropped: new Set(config.drop) };
  const ablated = config.ablation?.drop;
  if (!ablated) return [full];
  return [
    full,
    { suffix: (id: string) => armId(id, ablated), dropped: new Set([...config.drop, ...ablated]) },
  ];
}

/** Runs every (orchestrator × task × repeat) sample of a config, resumably, into a run store. */
export async function runBenchmark(opts: RunOptions): Promise<RunOutcome> {
  const { config } = opts;
  // Where the run will write, checked before anything starts.
  checkOutputDir(config.output);
  if (opts.runId !== undefined) checkRunId(opts.runId);
  if (typeof opts.resume === 'string') checkRunId(opts.resume, '--resume');
  const tasks = opts.tasks ?? config.suites.flatMap((s, i) => loadSuite(config.suitePaths[i] as string, s));
  const orchestrators =
    opts.orchestrators ??
    (await createOrchestrators(config.orchestrators, { configDir: dirname(config.file), pool: config.pool }));
  // `--drop-agent` / `drop:` must leave every orchestrator able to run; an ablation arm that cannot
  // run without its dropped members is left out (the report says so).
  const optionsOf = new Map(config.orchestrators.map((o) => [o.id, o]));
  const unrunnable = config.orchestrators.flatMap((o) => {
    const why = cannotRunWithout(o, new Set(config.drop));
    return why ? [`${o.id}: ${why}`] : [];
  });
  if (unrunnable.length > 0)
    throw new UsageError(`cannot drop ${config.drop.join(', ')}: ${unrunnable.join('; ')}`);
  const planned: PlannedSample[] = [];
  // Task-major order: if a budget stops the run early, every orchestrator has the same tasks done.
  for (let repeat = 0; repeat < config.repeats; repeat++) {
    for (const task of tasks) {
      for (const arm of arms(config)) {
        for (const { id, family, orchestrator } of orchestrators) {
          const options = optionsOf.get(id);
          if (options && cannotRunWithout(options, arm.dropped)) continue;
          const orchestratorId = arm.suffix(id);
          planned.push({
            sampleId: `${orchestratorId}/${task.suite}/${task.id}#${repeat}`,
            configId: id,
            orchestratorId,
            family,
            orchestrator,
            task,
            repeat,
            index: planned.length,
            dropped: arm.dropped,
          });
        }
      }
    }
  }
  const byId = new Map(orchestrators.map((o) => [o.id, o.orchestrator]));
  const outages = outageStarts(config.faults, planned.length);

  // Prices first, then the pool: an unpriced model, a missing key or a dead endpoint must stop the run
  // before any call and without leaving an empty run folder behind.
  const { pool: priced } = resolvePrices(config.pool);
  const pricedConfig: LoadedConfig & { pool: PricedPoolMember[] } = { ...config, pool: priced };
  // Globally dropped members are never started: a dropped API model needs no key.
  const globallyDropped = new Set(config.drop);
  const clients = opts.remote
    ? remoteClients(priced)
    : await startClients(
        priced.filter((a) => !globallyDropped.has(a.id)),
        {
          tasks,
          env: opts.env,
          seed: config.seed,
          requestTimeoutMs: config.retries.requestTimeoutMs,
          replayFrom: opts.replayFrom,
        },
      );
  const scrub = (text: string) => redact(text, clients.secrets);
  const warn = opts.onWarning ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  // Aborted by the caller's signal or by the store's first failed write: from then on nothing is bought.
  const stop = new AbortController();
  const onSignal = () => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onSignal();
  else opts.signal?.addEventListener('abort', onSignal, { once: true });
  let store: RunStore | undefined;
  let lock: RunLock | undefined;
  try {
    if (stop.signal.aborted) throw stop.signal.reason;
    const runDir = opts.resume
      ? findRunDir(config.output, config.name, typeof opts.resume === 'string' ? opts.resume : undefined)
      : createRunDir(config.output, opts.runId ?? newRunId(config.name));
    // One writer per run: taken before the store is opened (opening imports the journal, a write).
    lock = acquireRunLock(runDir, warn);
    // Two new runs under one id: the one that got the lock second finds the other's store.
    if (!opts.resume && existsSync(join(runDir, STORE_FILE)))
      throw new UsageError(`run ${basename(runDir)} already exists in ${config.output}; use --resume`);
    const runStore = openRunStore(join(runDir, STORE_FILE), {
      check: Boolean(opts.resume),
      reserveBytes: opts.reserveBytes ?? DEFAULT_RESERVE_BYTES,
      warn,
      onFailure: (failure) => {
        warn(
          `storage failed: ${describeFault(failure.error)} (${failure.path}); stopping: no new call starts, answers in flight are kept`,
        );
        stop.abort(failure);
      },
    });
    store = runStore;
    if (opts.resume && !runStore.getRun())
      throw new CorruptStoreError(
        join(runDir, STORE_FILE),
        'it holds no run record (empty or truncated); remove the run folder to start over',
      );
    const runId = openRun(runStore, runDir, pricedConfig, {
      planned: planned.length,
      simulated: clients.simulated,
      command: opts.command,
    });
    const session = runStore.beginSession();
    const finished = runStore.finishedSampleIds();
    const todo = planned.filter((s) => !finished.has(s.sampleId));
    opts.onStart?.({
      runId,
      runDir,
      total: planned.length,
      skipped: planned.length - todo.length,
      simulated: clients.simulated,
      simulatedAgents: [...clients.simulatedAgents].sort(),
      agents: priced.filter((a) => !isOrchestratorMember(a) && !globallyDropped.has(a.id)).length,
    });

    // The budget is the run's: a resume counts what earlier sessions paid, and one left without room
    // (the cap spent, or not raised since the last budget stop) stops before buying anything. A replay
    // spends nothing, so its recorded costs stop it only when asked.
    const budget = new BudgetGuard(
      opts.replayFrom && !opts.replayBudget ? undefined : config.budget.usd,
      opts.resume ? runStore.priorSpending() : undefined,
      { replay: Boolean(opts.replayFrom) },
    );
    const firstTodo = todo[0];
    if (opts.resume && firstTodo)
      budget.refuseResume(readBudgetStop(runDir), firstTodo.sampleId, config.file);
    const limiters = limitersFor(priced, clients, config.providerConcurrency);
    const cassetteFile = opts.record === true ? join(runDir, 'cassette.jsonl') : opts.record || undefined;
    // A cassette that cannot be written is a storage failure like the store's: stop buying, exit 5.
    let cassetteFailure: StoreFailure | undefined;
    const cassette = cassetteFile ? new CassetteWriter(cassetteFile, clients.secrets) : undefined;
    if (cassette) {
      const write = cassette.write.bind(cassette);
      cassette.write = (line) => {
        if (cassetteFailure) return;
        try {
          write(line);
        } catch (err) {
          cassetteFailure = { error: err, path: cassette.file };
          warn(`storage failed: ${describeFault(err)} (${cassette.file}); stopping: no new call starts`);
          stop.abort(cassetteFailure);
        }
      };
    }
    const cheapestFirstCall = (task: Task) =>
      Math.min(
        ...priced
          .filter((a) => !isOrchestratorMember(a) && !globallyDropped.has(a.id))
          .map((a) =>
            callCostBound(
              a,
              promptTokenBound([{ role: 'user', content: task.prompt }]),
              outputTokenBound(a, config.budget.assumeMaxOutputTokens),
            ),
          ),
      );
    let done = planned.length - todo.length;
    let fatal: unknown;
    const endpointWatch =
      opts.stopOnFailingEndpoint === undefined
        ? undefined
        : new FailingEndpointWatch(opts.stopOnFailingEndpoint);
    const limit = pLimit(config.concurrency);
    await Promise.all(
      todo.map((sample) =>
        limit(async () => {
          if (fatal !== undefined || stop.signal.aborted) return;
          if (!budget.admitSample(sample.sampleId, sample.orchestratorId, cheapestFirstCall(sample.task)))
            return;
          try {
            const remote = { runId, session, outages, store: runStore };
            const executed = opts.remote
              ? await opts.remote.execute(sample, remote)
              : await executeSample(sample, {
                  config: pricedConfig,
                  clients,
                  session,
                  budget,
                  limiters,
                  cassette,
                  scrub,
                  cache: runStore,
                  scorer: opts.scorer,
                  sandbox: opts.sandbox,
                  orchestrators: byId,
                  outages,
                  stop: stop.signal,
                });
            const result = executed && recordSample(runStore, cassette, executed);
            const failing = executed && endpointWatch?.observe(executed.trace);
            if (failing) stop.abort(new EndpointFailing(failing));
            if (result && opts.remote?.recorded) {
              // The queue forgets the job once told: the sample must be committed before that.
              runStore.flush();
              opts.remote.recorded(sample, remote);
            }
            // Remote calls are not reserved here: the budget learns what a sample cost when it comes back.
            if (result && opts.remote) budget.spent += result.costUsd;
            if (result) {
              budget.sampleFinished(sample.orchestratorId, result.costUsd);
              opts.onSample?.(result, ++done, planned.length, budget.spent);
            }
          } catch (err) {
            // A fault of the run itself (a replay gap, a broken store): stop scheduling, report once.
            fatal ??= err;
          }
        }),
      ),
    );
    // Everything that arrived is committed now, or the store fails here.
    const storeFile = join(runDir, STORE_FILE);
    let lastFault: unknown;
    try {
      runStore.flush();
      if (!stop.signal.aborted && fatal === undefined && cassetteFailure === undefined) {
        const status = budget.exhausted ? 'budget_exhausted' : 'complete';
        runStore.setStatus(status);
        if (budget.stop)
          writeFileSync(join(runDir, BUDGET_STOP_FILE), `${JSON.stringify(budget.stop, null, 2)}\n`);
        // A completed run has no budget stop left to report.
        else rmSync(join(runDir, BUDGET_STOP_FILE), { force: true });
        return {
          runId,
          runDir,
          status,
          spentUsd: budget.spent,
          budgetStop: budget.stop,
          cassette: cassetteFile,
        };
      }
      const reason: unknown = stop.signal.reason;
      if (reason instanceof EndpointFailing && fatal === undefined && cassetteFailure === undefined) {
        runStore.setStatus('stopped_errors');
        return {
          runId,
          runDir,
          status: 'stopped_errors',
          spentUsd: budget.spent,
          budgetStop: budget.stop,
          cassette: cassetteFile,
          endpointStop: reason.failing,
        };
      }
      runStore.setStatus('interrupted');
    } catch (err) {
      if (!runStore.failed && !isStorageFault(err)) throw err;
      lastFault = err;
    }
    const failure =
      runStore.failed ??
      (lastFault === undefined ? undefined : { error: lastFault, path: storeFile }) ??
      cassetteFailure;
    if (failure) throw storageFailed(failure, runStore.rescue(), storeFile);
    if (fatal !== undefined) throw fatal;
    throw stop.signal.reason ?? new InterruptedError('SIGINT');
  } catch (err) {
    // A write refused outside the run loop (opening the store, recording the session).
    if (err instanceof StorageFailedError || !isStorageFault(err)) throw err;
    const path = (err as { path?: string }).path ?? config.output;
    throw storageFailed(store?.failed ?? { error: err, path }, store?.rescue(), undefined);
  } finally {
    opts.signal?.removeEventListener('abort', onSignal);
    await clients.close();
    store?.close();
    lock?.release();
  }
}

/**
 * Opens the run's store. A folder that refuses writes (read-only, no permission) is bad input (exit 2:
 * nothing was bought); a full disk or an I/O error is a storage failure (exit 5).
 */
function openRunStore(file: string, options: ConstructorParameters<typeof RunStore>[1]): RunStore {
  try {
    return new RunStore(file, options);
  } catch (err) {
    if (/^(EROFS|EACCES|EPERM|SQLITE_READONLY|SQLITE_CANTOPEN)/.test((err as { code?: string }).code ?? ''))
      throw new UsageError(`cannot write the run store ${file}: ${describeFault(err)}`);
    throw err;
  }
}

/** The one-line exit-5 message: what failed where, the free space there, and what became of the answers. */
function storageFailed(
  failure: StoreFailure,
  rescue: RescueOutcome | undefined,
  storeFile: string | undefined,
): StorageFailedError {
  const where = `${describeFault(failure.error)} (${failure.path}; ${freeSpace(failure.path)})`;
  let saved = 'no answer received was lost';
  if (rescue && rescue.held > 0) {
    saved =
      rescue.savedIn === 'store'
        ? `the ${rescue.held} answer(s) received since the last commit were saved to ${storeFile}`
        : rescue.savedIn === 'journal'
          ? `the ${rescue.held} answer(s) received since the last commit were saved to the journal beside ${storeFile}`
          : `${rescue.lost} of the ${rescue.held} answer(s) received since the last commit could not be saved (a resume buys them again)`;
  }
  return new StorageFailedError(
    `storage failed: ${where}; the run stopped buying; ${saved}; free space and rerun with --resume`,
  );
}

/** Records a new run, or checks that a resumed one was started from the same config; returns its id. */
function openRun(
  store: RunStore,
  runDir: string,
  config: LoadedConfig,
  facts: { planned: number; simulated: boolean; command: string },
): string {
  const existing = store.getRun();
  if (existing) {
    if (existing.configHash !== config.hash) {
      throw new UsageError(
        `cannot resume ${existing.id}: ${config.file} changed since the run started (config hash ${existing.configHash} → ${config.hash})`,
      );
    }
    // A run started as a pilot (`--pilot`: a share of the tasks) plans every sample once resumed.
    if (facts.planned > existing.planned) store.setPlanned(facts.planned);
    return existing.id;
  }
  const id = basename(runDir);
  store.createRun({
    id,
    name: config.name,
    configHash: config.hash,
    configJson: JSON.stringify(config),
    configFile: config.file,
    createdAt: Date.now(),
    simulated: facts.simulated,
    planned: facts.planned,
    environment: {
      command: facts.command,
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
    },
  });
  return id;
}

/** One adaptive limiter per provider endpoint, shared by every agent behind it. */
function limitersFor(
  agents: readonly PricedPoolMember[],
  clients: ProviderClients,
  opts: LoadedConfig['providerConcurrency'],
): Map<string, AdaptiveLimiter> {
  const byEndpoint = new Map<string, AdaptiveLimiter>();
  const byAgent = new Map<string, AdaptiveLimiter>();
  for (const agent of agents) {
    const endpoint = `${agent.provider}\u0000${clients.byAgent.get(agent.id)?.endpoint ?? agent.id}`;
    const limiter = byEndpoint.get(endpoint) ?? new AdaptiveLimiter(opts);
    byEndpoint.set(endpoint, limiter);
    byAgent.set(agent.id, limiter);
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

export interface SampleDeps {
  config: LoadedConfig & { pool: PricedPoolMember[] };
  clients: ProviderClients;
  session: number;
  budget: BudgetGuard;
  limiters: ReadonlyMap<string, AdaptiveLimiter>;
  /** Calls are written here as they finish (the sample's own line is written when it is recorded). */
  cassette?: CassetteWriter | undefined;
  scrub: (text: string) => string;
  /** The response cache: the run store in one process, a per-sample cache on a queue worker. */
  cache: ResponseCache;
  scorer: Scorer;
  sandbox: Sandbox;
  orchestrators: ReadonlyMap<string, Orchestrator>;
  /** Agent → planned position from which its calls fail (injected outage). */
  outages: ReadonlyMap<string, number>;
  /** The run's stop (signal, storage failure): no call starts once aborted. */
  stop?: AbortSignal | undefined;
}

/** A sample's outcome and its trace, not yet recorded anywhere. */
export interface ExecutedSample {
  result: SampleResult;
  trace: TraceEvent[];
}

/**
 * Executes one sample: the orchestrator's solve through a fresh context, then scoring. Returns
 * undefined when the budget cut it short (left unrecorded so a resume with more money completes it).
 * Writes nothing: the caller records the result (`recordSample`), here or after a queue round trip.
 */
export async function executeSample(
  sample: PlannedSample,
  deps: SampleDeps,
): Promise<ExecutedSample | undefined> {
  const { task } = sample;
  const seed = seedFrom(deps.config.seed, task.suite, task.id, sample.repeat);
  const startedAt = Date.now();
  const pool: readonly PricedPoolMember[] = deps.config.pool;
  const { ctx, events, cutByBudget, cutByStop, settled } = createSampleContext({
    sampleId: sample.sampleId,
    orchestratorId: sample.orchestratorId,
    task,
    pool: pool.filter((a) => !sample.dropped.has(a.id)),
    orchestrators: deps.orchestrators,
    unavailable: (agentId) => {
      const from = deps.outages.get(agentId);
      return from !== undefined && sample.index >= from
        ? `outage of ${agentId} injected from sample position ${from} (this sample: ${sample.index})`
        : undefined;
    },
    seed,
    clients: deps.clients.byAgent,
    limiters: deps.limiters,
    cache: deps.cache,
    retry: deps.config.retries,
    budget: deps.budget,
    assumeMaxOutputTokens: deps.config.budget.assumeMaxOutputTokens,
    answers: deps.scorer,
    redact: deps.scrub,
    cassette: deps.cassette,
    recorded: deps.clients.recorded,
    sampleStartedAt: startedAt,
    stop: deps.stop,
  });
  const t0 = performance.now();
  let answer: string | null = null;
  let meta: Record<string, unknown> = {};
  let error: { code: string; message: string } | null = null;
  let failed: unknown;
  try {
    const solution = await sample.orchestrator.solve(ctx);
    answer = solution.answer;
    meta = solution.meta;
  } catch (err) {
    // Unfinished for lack of money: left unrecorded so a resume with a larger budget completes it.
    if (err instanceof BudgetExhausted) return undefined;
    // Cut by the run's stop: left unrecorded too (its answered calls are in the cache).
    if (err instanceof RunStopped) return undefined;
    // Faults of the run itself (a replay gap) stop the run rather than count as the sample's error.
    if (err instanceof RunFault) throw err;
    error = classifyFailure(err);
    failed = err;
  } finally {
    // Calls still running in a failed parallel branch finish (and reach the cache) before the sample ends.
    await settled();
  }
  // Unfinished for lack of money even if the orchestrator carried on without the refused call; and a
  // stopping run grades nothing more (a resume redoes the sample from the cache, at no cost).
  if (cutByBudget() || cutByStop() || deps.stop?.aborted) return undefined;
  // A replay reports the latency that was recorded, not how fast the cassette was read.
  const latencyMs = deps.clients.recorded?.sampleLatency(sample.sampleId) ?? performance.now() - t0;
  const t1 = performance.now();
  let score = null;
  if (answer !== null) {
    try {
      score = await deps.scorer.score(task, answer);
    } catch (err) {
      error = { code: 'scoring_failed', message: err instanceof Error ? err.message : String(err) };
    }
  }
  const scoringMs = performance.now() - t1;
  const trace = events();
  // Grouped by root cause in reports and on the terminal; every message scrubbed of credentials.
  const failure = error && {
    code: error.code,
    ...sampleFailure(error.code, deps.scrub(error.message), trace, {
      failedCall:
        failed instanceof CallFailed
          ? trace.find((e) => e.error === deps.scrub(failed.message) && !isRollup(e))
          : undefined,
      codeTask: task.kind === 'code',
    }),
  };
  // Model calls only: a call to an orchestrator member sums its nested calls, which are in the trace too.
  const calls = trace.filter((e) => !isRollup(e));
  const provenance = countProvenance(calls);
  const result: SampleResult = {
    sampleId: sample.sampleId,
    orchestrator: sample.orchestratorId,
    family: sample.family,
    taskId: task.id,
    suite: task.suite,
    category: task.category,
    kind: task.kind,
    repeat: sample.repeat,
    seed,
    status: failure ? 'error' : 'ok',
    answer,
    correct: failure || !score ? null : score.correct,
    score: failure || !score ? null : score.detail,
    errorCode: failure?.code ?? null,
    errorMessage: failure?.message ?? null,
    ...(failure ? { errorCause: failure.cause } : {}),
    costUsd: calls.reduce((s, e) => s + e.costUsd, 0),
    latencyMs,
    scoringMs,
    calls: calls.length,
    cachedCalls: calls.filter((e) => e.cached).length,
    inputTokens: calls.reduce((s, e) => s + e.usage.input, 0),
    outputTokens: calls.reduce((s, e) => s + e.usage.output, 0),
    reasoningTokens: calls.reduce((s, e) => s + e.usage.reasoning, 0),
    simulated: provenance.simulated > 0,
    provenance,
    isolation: task.kind === 'code' ? deps.sandbox.isolation : null,
    meta,
    startedAt,
    endedAt: Date.now(),
    session: deps.session,
  };
  return { result, trace };
}

/** Writes an executed sample and its trace to the store (one transaction) and the cassette. */
function recordSample(
  store: RunStore,
  cassette: CassetteWriter | undefined,
  { result, trace }: ExecutedSample,
): SampleResult {
  store.saveSample(result, trace);
  cassette?.write({ type: 'sample', sampleId: result.sampleId, latencyMs: result.latencyMs });
  return result;
}

function classifyFailure(err: unknown): { code: string; message: string } {
  if (err instanceof CallFailed) return { code: `call_failed:${err.error.kind}`, message: err.message };
  if (err instanceof OrchestrationError) return { code: err.code, message: err.message };
  return { code: 'internal_error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
