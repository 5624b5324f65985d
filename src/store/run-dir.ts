import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CorruptStoreError, UsageError } from '../util/errors.js';
import { describeFault, isCorruption } from '../util/storage-fault.js';

export const STORE_FILE = 'run.sqlite';

/** One folder name: what the config's `name` allows, so an id can never be a path or climb out. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_RUN_ID = 200;

/** `<name>-<YYYYMMDD-HHMMSS>`: sortable, readable, one per `baton run`. */
export function newRunId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${name}-${stamp}`;
}

/** Whether `name` is a valid run id (see checkRunId): one folder name that cannot climb out. */
export function isRunId(name: string): boolean {
  return name.length > 0 && name.length <= MAX_RUN_ID && RUN_ID.test(name) && !name.includes('..');
}

/**
 * A run id names one folder inside the output directory: letters, digits, '.', '-', '_', not starting
 * with '.' or '-', no '..', at most 200 characters. Anything else (a path, an absolute id, an empty id)
 * is refused before anything is created or opened.
 */
export function checkRunId(runId: string, option = '--run-id'): string {
  if (!isRunId(runId)) {
    throw new UsageError(
      `${option} ${JSON.stringify(runId)}: a run id is one folder name (letters, digits, '.', '-', '_'; no '/', no '..', not empty, at most ${MAX_RUN_ID} characters)`,
    );
  }
  return runId;
}

/** The output directory, resolved; refused when empty or not a path at all. */
export function checkOutputDir(output: string): string {
  if (output.trim() === '' || output.includes('\0'))
    throw new UsageError(`output directory ${JSON.stringify(output)}: not a usable path`);
  return resolve(output);
}

/** `<output>/<runId>`, checked to be a direct child of the output directory. */
export function runDirIn(output: string, runId: string): string {
  const base = checkOutputDir(output);
  const dir = join(base, checkRunId(runId));
  // Belt and braces: the id's syntax already keeps it one level below.
  if (dirname(dir) !== base) throw new UsageError(`run id ${JSON.stringify(runId)} leaves ${base}`);
  return dir;
}

export function createRunDir(output: string, runId: string): string {
  const dir = runDirIn(output, runId);
  if (existsSync(join(dir, STORE_FILE)))
    throw new UsageError(`run ${runId} already exists in ${output}; use --resume`);
  try {
    makeDirs(dir);
  } catch (err) {
    throw new UsageError(`cannot create the run folder ${dir}: ${describeFault(err)}`);
  }
  return dir;
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir reports a read-only file system as ENOENT,
 * which would send the user looking for a missing folder.
 */
function makeDirs(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(dir).isDirectory()) return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw err;
    makeDirs(dirname(dir));
    makeDirs(dir);
  }
}

/** What a run's record says of where it came from, read without writing anything (it may be live elsewhere). */
interface RunOrigin {
  name: string;
  configFile: string;
  status: string;
  /** The config file's content hash, as recorded by runs since it was (absent before). */
  contentHash: string | undefined;
}

function runOriginIn(file: string): RunOrigin {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT name, config_file, status, config_json FROM run LIMIT 1').get() as
      | { name: string; config_file: string; status: string; config_json: string }
      | undefined;
    if (row) {
      let contentHash: string | undefined;
      try {
        const stored = JSON.parse(row.config_json) as { contentHash?: unknown };
        if (typeof stored.contentHash === 'string') contentHash = stored.contentHash;
      } catch {
        // an unreadable config is reported when the run is opened
      }
      return { name: row.name, configFile: row.config_file, status: row.status, contentHash };
    }
  } catch (err) {
    if (isCorruption(err) || (err instanceof Error && /no such table/.test(err.message)))
      throw new CorruptStoreError(
        file,
        `${describeFault(err)}; pass the id of the run to resume to --resume`,
      );
    throw new UsageError(`cannot read the run store ${file}: ${describeFault(err)}`);
  } finally {
    db?.close();
  }
  throw new CorruptStoreError(file, 'it holds no run record; pass the id of the run to resume to --resume');
}

/** The config a bare `--resume` looks for runs of: its absolute path, content hash and name. */
export interface ResumeTarget {
  file: string;
  contentHash: string;
  name: string;
}

/**
 * The run to resume: the given id; else the newest unfinished run made from this config file with
 * the same content, else the newest unfinished one made from this file (its fields are then compared
 * with the config's, and any change refuses the resume).
 */
export function findRunDir(output: string, config: ResumeTarget, runId?: string): string {
  if (runId !== undefined) {
    const dir = runDirIn(output, checkRunId(runId, '--resume'));
    if (!existsSync(join(dir, STORE_FILE))) throw new UsageError(`no run ${runId} in ${resolve(output)}`);
    return dir;
  }
  const base = checkOutputDir(output);
  const runs = existsSync(base)
    ? readdirSync(base)
        .filter((d) => RUN_ID.test(d) && existsSync(join(base, d, STORE_FILE)))
        .map((d) => ({
          d,
          origin: runOriginIn(join(base, d, STORE_FILE)),
          mtime: statSync(join(base, d, STORE_FILE)).mtimeMs,
        }))
        .filter((r) => r.origin.status !== 'complete')
        .sort((a, b) => b.mtime - a.mtime || b.d.localeCompare(a.d))
    : [];
  const sameFile = runs.filter((r) => r.origin.configFile === config.file);
  const chosen = sameFile.find((r) => r.origin.contentHash === config.contentHash) ?? sameFile[0];
  if (chosen) return join(base, chosen.d);
  const namesake = runs.find((r) => r.origin.name === config.name);
  throw new UsageError(
    `no unfinished run made from ${config.file} in ${base} to resume${
      namesake
        ? ` (run ${namesake.d} has the name '${config.name}' but was made from ${namesake.origin.configFile}: --resume ${namesake.d} continues it)`
        : ''
    }`,
  );
}
