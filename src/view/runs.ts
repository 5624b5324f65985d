import { type Dirent, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runLockState } from '../runner/run-lock.js';
import { ReadOnlyStore } from '../store/read-only.js';
import type { RunRecord } from '../store/records.js';
import { isRunId, STORE_FILE } from '../store/run-dir.js';
import { CorruptStoreError, UsageError } from '../util/errors.js';
import { describeFault } from '../util/storage-fault.js';

/**
 * What state a run is in, as a reader sees it: `running` (its lock is held by a live process here),
 * `locked` (held from another host, or by a lock file that is not baton's), otherwise the state its
 * store records — `complete`, `budget` (stopped by the budget), `errors` (stopped because an
 * endpoint's first calls all failed), `interrupted` (a signal, or a process that died without closing
 * the run) — or `unreadable`.
 */
export type RunState = 'complete' | 'budget' | 'errors' | 'interrupted' | 'running' | 'locked' | 'unreadable';

/**
 * The report files beside the store, against the store: `current` (report.json counts the samples and
 * status the store holds), `stale` (the store changed since: `baton report <dir>` rebuilds it),
 * `missing`.
 */
export type ReportState = 'current' | 'stale' | 'missing';

/** One run folder as `baton runs` lists it. Read from the store; nothing in the folder is written. */
export interface RunListing {
  /** The folder's name (the run id `--resume` takes). */
  id: string;
  status: RunState;
  /** Why the status: the lock's owner, how the run ended, or why its store cannot be read. */
  detail: string;
  /** Config file the run was made from, as recorded (null when the store cannot be read). */
  configFile: string | null;
  name: string | null;
  /** Samples recorded (failures included) and planned. */
  recorded: number | null;
  planned: number | null;
  errors: number | null;
  /**
   * USD this run paid so far, billed failures included, answers other runs paid for (the shared
   * cache) left out: the figure a resume's budget starts from.
   */
  spentUsd: number | null;
  /** When the run was created, ISO 8601 UTC. */
  createdAt: string | null;
  /** A pool member was simulated: its figures (and spending) are synthetic. */
  simulated: boolean | null;
  report: ReportState;
}

const STATUS_OF: Record<RunRecord['status'], { status: RunState; detail: string }> = {
  complete: { status: 'complete', detail: 'every planned sample ran' },
  budget_exhausted: {
    status: 'budget',
    detail: 'stopped by the budget; raise budget.usd and --resume to go on',
  },
  stopped_errors: {
    status: 'errors',
    detail: "stopped: an endpoint's first calls all failed (auth or connection); fix it and --resume",
  },
  interrupted: { status: 'interrupted', detail: 'stopped by a signal; --resume continues it' },
  running: {
    status: 'interrupted',
    detail: 'its process ended without closing the run (killed or crashed); --resume continues it',
  },
};

/**
 * Every run folder directly inside `dir` (a real folder, not a link, named as a run id, holding
 * run.sqlite), newest first. A folder whose store cannot be read is a row saying why. `dir` missing or
 * not a folder is a UsageError.
 */
export function listRuns(dir: string): RunListing[] {
  const base = resolve(dir);
  let entries: Dirent[];
  try {
    if (!statSync(base).isDirectory()) throw new UsageError(`${base} is not a folder of runs`);
    entries = readdirSync(base, { withFileTypes: true });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(
        `no folder ${base}: name the folder holding run folders (a config's output, by default reports/)`,
      );
    throw new UsageError(`cannot list runs in ${base}: ${describeFault(err)}`);
  }
  const runs: { listing: RunListing; order: number }[] = [];
  for (const entry of entries) {
    // Dirent.isDirectory() is false for a symbolic link: a link to a folder elsewhere is not a run here.
    if (!entry.isDirectory() || !isRunId(entry.name)) continue;
    const runDir = join(base, entry.name);
    const storeFile = join(runDir, STORE_FILE);
    let store: ReturnType<typeof lstatSync> | undefined;
    try {
      store = lstatSync(storeFile);
    } catch {
      continue; // not a run folder
    }
    const listing = store.isFile()
      ? readRun(entry.name, runDir)
      : unreadable(entry.name, `${STORE_FILE} is not a regular file (a link or a folder): not followed`);
    runs.push({ listing, order: listing.createdAt ? Date.parse(listing.createdAt) : store.mtimeMs });
  }
  return runs
    .sort((a, b) => b.order - a.order || a.listing.id.localeCompare(b.listing.id))
    .map((r) => r.listing);
}

function unreadable(id: string, detail: string): RunListing {
  return {
    id,
    status: 'unreadable',
    detail,
    configFile: null,
    name: null,
    recorded: null,
    planned: null,
    errors: null,
    spentUsd: null,
    createdAt: null,
    simulated: null,
    report: 'missing',
  };
}

function readRun(id: string, runDir: string): RunListing {
  const lock = runLockState(runDir);
  let store: ReadOnlyStore | undefined;
  try {
    const file = join(runDir, STORE_FILE);
    store = ReadOnlyStore.open(file);
    const run = store.getRun();
    if (!run) throw new CorruptStoreError(file, 'it holds no run record');
    const { recorded, errors } = store.sampleCounts();
    const ended = STATUS_OF[run.status] ?? { status: 'unreadable', detail: `unknown status '${run.status}'` };
    const owner = lock.held ? lock.owner : null;
    const since = owner ? `pid ${owner.pid} on ${owner.host}, since ${owner.startedAt}` : '';
    const state: Pick<RunListing, 'status' | 'detail'> = !lock.held
      ? ended
      : lock.where === 'this host'
        ? { status: 'running', detail: `in use by ${since}` }
        : lock.where === 'another host'
          ? { status: 'locked', detail: `locked by ${since} (cannot be checked from here)` }
          : { status: 'locked', detail: 'its run.lock is not a lock baton wrote' };
    return {
      id,
      ...state,
      configFile: run.configFile,
      name: run.name,
      recorded,
      planned: run.planned,
      errors,
      spentUsd: store.priorSpending().usd,
      createdAt: new Date(run.createdAt).toISOString(),
      simulated: run.simulated,
      report: reportState(runDir, run, recorded),
    };
  } catch (err) {
    // Anything a store says may be damaged or doctored (a run row's JSON too): whatever stops the read
    // is this run's row, never the end of the listing.
    const why = err instanceof Error ? err.message : String(err);
    // A run being created has its lock before its store's tables.
    if (lock.held && lock.where === 'this host')
      return { ...unreadable(id, `starting (${why})`), status: 'running' };
    return unreadable(id, why);
  } finally {
    store?.close();
  }
}

/** report.json's view of the run, by file: a server lists runs on every page load. */
const reportFacts = new Map<string, { stamp: string; facts: ReportFacts | null }>();

interface ReportFacts {
  status: unknown;
  sessions: unknown;
  recorded: unknown;
}

/**
 * Whether the report files describe the store as it is now: report.json has the status, sessions and
 * samples recorded of the store. (File times cannot tell: rebuilding a report opens the store too.)
 */
function reportState(runDir: string, run: RunRecord, recorded: number): ReportState {
  const file = join(runDir, 'report.json');
  let stamp: string;
  try {
    if (!lstatSync(join(runDir, 'report.html')).isFile()) return 'missing';
    const stat = lstatSync(file);
    if (!stat.isFile()) return 'missing';
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'missing';
  }
  let known = reportFacts.get(file);
  if (known?.stamp !== stamp) {
    known = { stamp, facts: readReportFacts(file) };
    reportFacts.set(file, known);
  }
  const facts = known.facts;
  return facts !== null &&
    facts.status === run.status &&
    facts.sessions === run.sessions &&
    facts.recorded === recorded
    ? 'current'
    : 'stale';
}

function readReportFacts(file: string): ReportFacts | null {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8')) as {
      run?: { status?: unknown; sessions?: unknown };
      samples?: { recorded?: unknown };
    };
    return { status: report.run?.status, sessions: report.run?.sessions, recorded: report.samples?.recorded };
  } catch {
    return null;
  }
}
