import { cpus, totalmem } from 'node:os';
import { basename } from 'node:path';
import { resumeRefusal } from '../config/identity.js';
import type { LoadedConfig } from '../config/load.js';
import { type RescueOutcome, RunStore, type StoreFailure } from '../store/run-store.js';
import { suiteRecords } from '../suites/grading.js';
import type { Task } from '../suites/types.js';
import { StorageFailedError, UsageError } from '../util/errors.js';
import { describeFault, freeSpace } from '../util/storage-fault.js';

/**
 * Opens the run's store. A folder that refuses writes (read-only, no permission) is bad input (exit 2:
 * nothing was bought); a full disk or an I/O error is a storage failure (exit 5).
 */
export function openRunStore(file: string, options: ConstructorParameters<typeof RunStore>[1]): RunStore {
  try {
    return new RunStore(file, options);
  } catch (err) {
    if (/^(EROFS|EACCES|EPERM|SQLITE_READONLY|SQLITE_CANTOPEN)/.test((err as { code?: string }).code ?? ''))
      throw new UsageError(`cannot write the run store ${file}: ${describeFault(err)}`);
    throw err;
  }
}

/** The one-line exit-5 message: what failed where, the free space there, and what became of the answers. */
export function storageFailed(
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
export function openRun(
  store: RunStore,
  runDir: string,
  config: LoadedConfig,
  facts: { planned: number; simulated: boolean; command: string; tasks: readonly Task[] },
): string {
  const existing = store.getRun();
  if (existing) {
    const refusal = resumeRefusal(existing, config);
    if (refusal) throw new UsageError(refusal);
    // A run started as a pilot (`--pilot`: a share of the tasks) plans every sample once resumed.
    if (facts.planned > existing.planned) store.setPlanned(facts.planned);
    return existing.id;
  }
  const id = basename(runDir);
  store.createRun({
    id,
    name: config.name,
    configHash: config.hash,
    // The config as run: prices resolved, and what each suite held then (`baton compare` checks both).
    configJson: JSON.stringify({ ...config, suiteRecords: suiteRecords(facts.tasks) }),
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
