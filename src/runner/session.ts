import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { isOrchestratorMember } from '../orchestrators/member.js';
import { CassetteWriter } from '../providers/replay/cassette.js';
import type { Sandbox } from '../sandbox/types.js';
import type { Scorer } from '../scoring/types.js';
import type { RunRecord, SampleResult } from '../store/records.js';
import { STORE_FILE } from '../store/run-dir.js';
import type { RunStore, StoreFailure } from '../store/run-store.js';
import type { Task } from '../suites/types.js';
import { InterruptedError, UsageError } from '../util/errors.js';
import { describeFault, isStorageFault } from '../util/storage-fault.js';
import { outageStarts } from './ablation.js';
import {
  BUDGET_STOP_FILE,
  BudgetGuard,
  type BudgetStop,
  callCostBound,
  outputTokenBound,
  promptTokenBound,
  readBudgetStop,
} from './budget.js';
import { type CallTally, newCallTally } from './context.js';
import { type ExecutedSample, executeSample, type RemoteExecutor } from './execute-sample.js';
import { EndpointFailing, type FailingEndpoint, FailingEndpointWatch } from './failing-endpoint.js';
import { storageFailed } from './open-run.js';
import type { PlannedSample } from './plan.js';
import type { RunSetup } from './setup.js';
import type { OpenedSharedCache, SharedCacheUse } from './shared-cache.js';
import { UntilDecided } from './until-decided.js';

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
  /** This session's model calls: sent, or answered from the run's store or the shared cache. */
  calls: CallTally;
  /** How this session used the shared response cache, or why it did not. */
  sharedCache: SharedCacheUse;
}

/** One session of an opened run: what `runBenchmark` was asked, and what it set up and opened. */
export interface Session {
  opts: SessionOptions;
  setup: RunSetup;
  runId: string;
  runDir: string;
  runStore: RunStore;
  /** The session's number in the store. */
  session: number;
  /** Samples planned in all (finished ones included). */
  planned: number;
  /** Planned samples not finished yet, in planned order. */
  todo: PlannedSample[];
  /** Every planned sample, finished ones included (`--until-decided` needs the whole order). */
  plan?: readonly PlannedSample[] | undefined;
  /** Aborted to stop the run: no new call or sample starts. */
  stop: AbortController;
  warn: (message: string) => void;
  /** The response cache shared across runs (possibly off). */
  shared?: OpenedSharedCache | undefined;
}

/** What `runBenchmark` is asked that a session reads. */
export interface SessionOptions {
  /** Resume: true = the newest run of this config, a string = that run id. */
  resume?: boolean | string | undefined;
  sandbox: Sandbox;
  scorer: Scorer;
  /** Write every call (request, each attempt's outcome, timing) to a cassette: a file, or true = <run dir>/cassette.jsonl. */
  record?: string | boolean | undefined;
  /** Serve every pool member from this cassette: no network, costs as recorded. */
  replayFrom?: string | undefined;
  /** With `replayFrom`: hold the recorded costs to `budget.usd` (stop where the recorded run did); else a replay ignores the budget. */
  replayBudget?: boolean | undefined;
  /** Told about each finished sample (progress bars). */
  onSample?: ((sample: SampleResult, done: number, total: number, spentUsd: number) => void) | undefined;
  /**
   * Execute samples elsewhere (`baton run --queue`: workers on a BullMQ queue). The run is planned,
   * admitted against the budget and recorded here as usual; only "execute a sample" moves, and this
   * process starts no provider (workers hold the keys and servers).
   */
  remote?: RemoteExecutor | undefined;
  /**
   * Stop early when the first this-many calls to one endpoint all fail with an auth or connection
   * error (the CLI passes EARLY_STOP_CALLS): no new call starts, calls in flight finish, the run is
   * recorded as `stopped_errors`. Undefined: never.
   */
  stopOnFailingEndpoint?: number | undefined;
  /**
   * `--until-decided`: no new task starts once every comparison of the config's `decide:` is decided
   * (until-decided.ts); told to `onDecided` once, when that happens.
   */
  untilDecided?: boolean | undefined;
  onDecided?: ((state: UntilDecided) => void) | undefined;
}

/**
 * Executes (or hands to the remote executor) every sample not yet done, each admitted against the
 * budget and recorded as it finishes; then sets the run's status. Returns the outcome, or throws
 * what stopped the run (a storage failure, a fault of the run, the stop's reason).
 */
export async function runSession(s: Session): Promise<RunOutcome> {
  const { opts, setup, runId, runDir, runStore, session, planned, todo, stop, warn } = s;
  const { config } = setup;
  const orchestrators = new Map(setup.orchestrators.map((o) => [o.id, o.orchestrator]));
  const outages = outageStarts(config.faults, planned);
  const dropped = new Set(config.drop);
  // The budget is the run's: a resume counts what earlier sessions paid, and one left without room
  // (the cap spent, or not raised since the last budget stop) stops before buying anything. A replay
  // spends nothing, so its recorded costs stop it only when asked.
  const budget = new BudgetGuard(
    opts.replayFrom && !opts.replayBudget ? undefined : config.budget.usd,
    opts.resume ? runStore.priorSpending() : undefined,
    { replay: Boolean(opts.replayFrom) },
  );
  const firstTodo = todo[0];
  if (opts.resume && firstTodo) budget.refuseResume(readBudgetStop(runDir), firstTodo.sampleId, config.file);
  const cassetteFile = opts.record === true ? join(runDir, 'cassette.jsonl') : opts.record || undefined;
  // A cassette that cannot be written is a storage failure like the store's: stop buying, exit 5.
  let cassetteFailure: StoreFailure | undefined;
  const cassette = cassetteFile ? new CassetteWriter(cassetteFile, setup.clients.secrets) : undefined;
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
      ...setup.config.pool
        .filter((a) => !isOrchestratorMember(a) && !dropped.has(a.id))
        .map((a) =>
          callCostBound(
            a,
            promptTokenBound([{ role: 'user', content: task.prompt }]),
            outputTokenBound(a, config.budget.assumeMaxOutputTokens),
          ),
        ),
    );
  let done = planned - todo.length;
  let fatal: unknown;
  const endpointWatch =
    opts.stopOnFailingEndpoint === undefined
      ? undefined
      : new FailingEndpointWatch(opts.stopOnFailingEndpoint);
  const sequential = opts.untilDecided ? untilDecided(s) : undefined;
  let toldDecided = sequential?.decided ?? false;
  const limit = pLimit(config.concurrency);
  const calls = newCallTally();
  const sharedResponses = s.shared?.responses(runId);
  const sharedCache: SharedCacheUse = s.shared?.use ?? { off: 'not configured' };
  await Promise.all(
    todo.map((sample) =>
      limit(async () => {
        if (fatal !== undefined || stop.signal.aborted) return;
        if (sequential && !sequential.mayStart(sample)) return;
        if (!budget.admitSample(sample.sampleId, sample.orchestratorId, cheapestFirstCall(sample.task)))
          return;
        try {
          const remote = { runId, session, outages, store: runStore };
          const executed = opts.remote
            ? await opts.remote.execute(sample, remote)
            : await executeSample(sample, {
                config: setup.config,
                clients: setup.clients,
                limiters: setup.limiters,
                scrub: setup.scrub,
                session,
                budget,
                cassette,
                cache: runStore,
                shared: sharedResponses,
                tally: calls,
                scorer: opts.scorer,
                sandbox: opts.sandbox,
                orchestrators,
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
            sequential?.finish(result);
            if (sequential?.decided && !toldDecided) {
              toldDecided = true;
              opts.onDecided?.(sequential);
            }
            budget.sampleFinished(sample.orchestratorId, result.costUsd);
            opts.onSample?.(result, ++done, planned, budget.spent);
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
        calls,
        sharedCache,
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
        calls,
        sharedCache,
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
}

/** The `--until-decided` state of a session: the seeded order, and what the store already holds. */
function untilDecided(s: Session): UntilDecided {
  const { decide, repeats, file } = s.setup.config;
  if (decide.length === 0)
    throw new UsageError(`--until-decided needs comparisons to decide: ${file} has no decide: entries`);
  const state = new UntilDecided(decide, repeats, s.plan ?? s.todo);
  for (const stored of s.runStore.iterateSampleSummaries()) state.restore(stored);
  state.advance();
  if (state.decided) s.opts.onDecided?.(state);
  return state;
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
