import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { isOrchestratorMember } from '../orchestrators/member.js';
import {
  checkOutputDir,
  checkRunId,
  createRunDir,
  findRunDir,
  newRunId,
  STORE_FILE,
} from '../store/run-dir.js';
import { DEFAULT_RESERVE_BYTES, type RunStore } from '../store/run-store.js';
import type { Task } from '../suites/types.js';
import { CorruptStoreError, StorageFailedError, UsageError } from '../util/errors.js';
import { describeFault, isStorageFault } from '../util/storage-fault.js';
import { openRun, openRunStore, storageFailed } from './open-run.js';
import type { ConfiguredOrchestrator } from './orchestrators.js';
import { planSamples } from './plan.js';
import { acquireRunLock, type RunLock } from './run-lock.js';
import { type RunOutcome, runSession, type SessionOptions } from './session.js';
import { setUpRun } from './setup.js';
import { type OpenedSharedCache, openSharedCache, type SharedCacheChoice } from './shared-cache.js';

export interface RunOptions extends SessionOptions {
  config: LoadedConfig;
  runId?: string;
  env: NodeJS.ProcessEnv;
  /** The command line that started the run, recorded with the results. */
  command: string;
  /** Run these instead of the config's orchestrators (training evaluates candidate heads built in memory). */
  orchestrators?: ConfiguredOrchestrator[];
  /** Run these instead of the config's suites (training draws a subset per generation). */
  tasks?: Task[];
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
   * The response cache shared across runs (runner/shared-cache.ts `chooseSharedCache`); undefined: off.
   * Commands choose it from the config and `--no-cache`; the library never reaches a user's cache unasked.
   */
  sharedCache?: SharedCacheChoice | undefined;
}

/** Runs every (orchestrator × task × repeat) sample of a config, resumably, into a run store. */
export async function runBenchmark(opts: RunOptions): Promise<RunOutcome> {
  const { config } = opts;
  // Where the run will write, checked before anything starts.
  checkOutputDir(config.output);
  if (opts.runId !== undefined) checkRunId(opts.runId);
  if (typeof opts.resume === 'string') checkRunId(opts.resume, '--resume');
  const setup = await setUpRun(config, {
    env: opts.env,
    tasks: opts.tasks,
    orchestrators: opts.orchestrators,
    replayFrom: opts.replayFrom,
    remote: opts.remote !== undefined,
  });
  const { clients } = setup;
  const planned = planSamples(config, setup.tasks, setup.orchestrators);
  const dropped = new Set(config.drop);
  const warn = opts.onWarning ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  // Aborted by the caller's signal or by the store's first failed write: from then on nothing is bought.
  const stop = new AbortController();
  const onSignal = () => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onSignal();
  else opts.signal?.addEventListener('abort', onSignal, { once: true });
  let store: RunStore | undefined;
  let lock: RunLock | undefined;
  let shared: OpenedSharedCache | undefined;
  try {
    if (stop.signal.aborted) throw stop.signal.reason;
    // Before the run folder exists: an unusable cache file stops the command with nothing created.
    shared = openSharedCache(
      opts.sharedCache,
      { replay: Boolean(opts.replayFrom), remote: opts.remote !== undefined, record: Boolean(opts.record) },
      warn,
    );
    const runDir = opts.resume
      ? findRunDir(config.output, config, typeof opts.resume === 'string' ? opts.resume : undefined)
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
    const runId = openRun(runStore, runDir, setup.config, {
      planned: planned.length,
      simulated: clients.simulated,
      command: opts.command,
      tasks: setup.tasks,
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
      agents: setup.config.pool.filter((a) => !isOrchestratorMember(a) && !dropped.has(a.id)).length,
    });
    return await runSession({
      opts,
      setup,
      runId,
      runDir,
      runStore,
      session,
      planned: planned.length,
      todo,
      plan: planned,
      stop,
      warn,
      shared,
    });
  } catch (err) {
    // A write refused outside the run loop (opening the store, recording the session).
    if (err instanceof StorageFailedError || !isStorageFault(err)) throw err;
    const path = (err as { path?: string }).path ?? config.output;
    throw storageFailed(store?.failed ?? { error: err, path }, store?.rescue(), undefined);
  } finally {
    opts.signal?.removeEventListener('abort', onSignal);
    await setup.close();
    closeSharedCache(shared, warn);
    store?.close();
    lock?.release();
  }
}

/**
 * Writes what the shared cache still holds. A failure here loses nothing the run paid for (its store
 * has every answer), so it is a warning, not the run's outcome.
 */
function closeSharedCache(shared: OpenedSharedCache | undefined, warn: (message: string) => void): void {
  try {
    shared?.close();
  } catch (err) {
    warn(`${err instanceof Error ? err.message : String(err)} (this run's store has every answer it bought)`);
  }
}
