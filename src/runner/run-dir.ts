import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../config/errors.js';
import { RunStore } from '../store/run-store.js';

export const STORE_FILE = 'run.sqlite';

/** `<name>-<YYYYMMDD-HHMMSS>`: sortable, readable, one per `baton run`. */
export function newRunId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${name}-${stamp}`;
}

export function createRunDir(output: string, runId: string): string {
  const dir = resolve(output, runId);
  if (existsSync(join(dir, STORE_FILE)))
    throw new UsageError(`run ${runId} already exists in ${output}; use --resume`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function runNameIn(file: string): string | undefined {
  const store = new RunStore(file);
  try {
    return store.getRun()?.name;
  } finally {
    store.close();
  }
}

/** The run to resume: the given id, or the newest run of this config's name. */
export function findRunDir(output: string, name: string, runId?: string): string {
  if (runId) {
    const dir = resolve(output, runId);
    if (!existsSync(join(dir, STORE_FILE))) throw new UsageError(`no run ${runId} in ${resolve(output)}`);
    return dir;
  }
  const candidates = existsSync(output)
    ? readdirSync(output)
        .filter(
          (d) => existsSync(join(output, d, STORE_FILE)) && runNameIn(join(output, d, STORE_FILE)) === name,
        )
        .map((d) => ({ d, mtime: statSync(join(output, d, STORE_FILE)).mtimeMs }))
        .sort((a, b) => b.mtime - a.mtime || b.d.localeCompare(a.d))
    : [];
  const newest = candidates[0];
  if (!newest) throw new UsageError(`no earlier run of '${name}' in ${resolve(output)} to resume`);
  return resolve(output, newest.d);
}
