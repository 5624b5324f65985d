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

/** The run's name, read without writing anything (the run may be live in another process). */
function runNameIn(file: string): string {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT name FROM run LIMIT 1').get() as { name: string } | undefined;
    if (row) return row.name;
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

/** The run to resume: the given id, or the newest run of this config's name. */
export function findRunDir(output: string, name: string, runId?: string): string {
  if (runId !== undefined) {
    const dir = runDirIn(output, checkRunId(runId, '--resume'));
    if (!existsSync(join(dir, STORE_FILE))) throw new UsageError(`no run ${runId} in ${resolve(output)}`);
    return dir;
  }
  const base = checkOutputDir(output);
  const candidates = existsSync(base)
    ? readdirSync(base)
        .filter((d) => RUN_ID.test(d) && existsSync(join(base, d, STORE_FILE)))
        .filter((d) => runNameIn(join(base, d, STORE_FILE)) === name)
        .map((d) => ({ d, mtime: statSync(join(base, d, STORE_FILE)).mtimeMs }))
        .sort((a, b) => b.mtime - a.mtime || b.d.localeCompare(a.d))
    : [];
  const newest = candidates[0];
  if (!newest) throw new UsageError(`no earlier run of '${name}' in ${base} to resume`);
  return join(base, newest.d);
}
