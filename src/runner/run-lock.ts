import {
  closeSync,
  linkSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunLockedError, UsageError } from '../util/errors.js';
import { describeFault } from '../util/storage-fault.js';

export const LOCK_FILE = 'run.lock';

/** What a lock file holds. */
export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface RunLock {
  file: string;
  owner: LockOwner;
  /** Removes the lock file if it is still this process's (idempotent). */
  release(): void;
}

/** Locks held by this process: released on exit too (a `process.exit` skips `finally` blocks). */
const held = new Set<RunLock>();
process.on('exit', () => {
  for (const lock of held) lock.release();
});

/** How long a lock file may stay empty (its creator between open and write) before it counts as stale. */
const EMPTY_GRACE_MS = 2000;

/**
 * One writer per run: `<runDir>/run.lock`, created with O_EXCL and holding {pid, host, startedAt}.
 * A second `run --resume` or coordinator on the same run refuses (exit 2) while the owner lives; a
 * lock whose pid is dead on this host is stale and taken over; a lock from another host is respected,
 * with the command to remove it. A folder where the lock cannot be written is bad input (exit 2).
 */
export function acquireRunLock(runDir: string, warn: (message: string) => void = () => {}): RunLock {
  const file = join(runDir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const text = `${JSON.stringify(owner)}\n`;
  let emptySince: number | undefined;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new UsageError(`cannot write in the run folder ${runDir}: ${describeFault(err)}`);
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, text);
      } catch (err) {
        closeSync(fd);
        unlinkSync(file);
        throw new UsageError(`cannot write in the run folder ${runDir}: ${describeFault(err)}`);
      }
      closeSync(fd);
      const lock: RunLock = {
        file,
        owner,
        release: () => {
          if (!held.delete(lock)) return;
          // Only our own lock: after a takeover by another process (we were thought dead) it is theirs.
          if (sameOwner(readOwner(file), owner)) unlinkQuietly(file);
        },
      };
      held.add(lock);
      return lock;
    }
    const current = readOwner(file);
    if (current === 'missing') continue;
    if (current === 'unreadable') {
      throw new RunLockedError(
        `run ${runDir} has a lock file that is not baton's (${file}); remove it if no process uses the run`,
      );
    }
    if (current === 'empty') {
      // Its creator is between open and write, or died there: wait a little before calling it stale.
      emptySince ??= Date.now();
      if (Date.now() - emptySince < EMPTY_GRACE_MS) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        continue;
      }
    } else {
      if (current.host !== owner.host) {
        throw new RunLockedError(
          `run ${runDir} is locked by pid ${current.pid} on host ${current.host} since ${current.startedAt}; if no baton process uses it there any more, remove ${file}`,
        );
      }
      if (alive(current, file)) {
        throw new RunLockedError(
          `run ${runDir} is in use by pid ${current.pid} (since ${current.startedAt}); wait for it to end or stop it (its lock: ${file})`,
        );
      }
    }
    takeOver(file, current, warn);
  }
}

/**
 * Removes a stale lock so that exactly one contender takes over: the file is renamed aside (only one
 * rename of it can succeed) and checked to be the stale one read before; a fresh lock renamed by
 * mistake (its owner created it in between) is linked back.
 */
function takeOver(file: string, stale: LockOwner | 'empty', warn: (message: string) => void): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else took it
    throw new UsageError(`cannot remove the stale lock ${file}: ${describeFault(err)}`);
  }
  const moved = readOwner(aside);
  if (
    moved === stale ||
    (typeof moved === 'object' && typeof stale === 'object' && sameOwner(moved, stale))
  ) {
    unlinkQuietly(aside);
    warn(
      typeof stale === 'object'
        ? `took over the lock of pid ${stale.pid} (started ${stale.startedAt}), which is no longer running`
        : `removed an empty lock file ${file} left by a process that died while creating it`,
    );
    return;
  }
  try {
    linkSync(aside, file);
  } catch {
    // A third contender already created a lock: theirs stands.
  }
  unlinkQuietly(aside);
}

/** Who holds a run, as seen by a reader that does not take the lock (`baton runs`, `baton view`). */
export type RunLockState =
  | { held: false }
  | { held: true; owner: LockOwner | null; where: 'this host' | 'another host' | 'unknown' };

/**
 * The run's lock as it stands: held by a live process on this host, by a process on another host
 * (which this host cannot check), or by something unreadable; a lock whose owner is dead is not held.
 * Nothing is written or taken over.
 */
export function runLockState(runDir: string): RunLockState {
  const file = join(runDir, LOCK_FILE);
  let current: ReturnType<typeof readOwner>;
  try {
    current = readOwner(file);
  } catch {
    return { held: true, owner: null, where: 'unknown' };
  }
  if (current === 'missing') return { held: false };
  // An empty lock is a writer between creating and filling it; one that stays empty is its creator's wreck.
  if (current === 'empty' || current === 'unreadable') return { held: true, owner: null, where: 'unknown' };
  if (current.host !== hostname()) return { held: true, owner: current, where: 'another host' };
  return alive(current, file) ? { held: true, owner: current, where: 'this host' } : { held: false };
}

function readOwner(file: string): LockOwner | 'missing' | 'empty' | 'unreadable' {
  let text: string;
  try {
    // A run folder may come from anyone: a pipe named run.lock would block the read, a link to a
    // device (/dev/zero) never end it. Only a regular file can be baton's lock.
    if (!lstatSync(file).isFile()) return 'unreadable';
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new UsageError(`cannot read the lock ${file}: ${describeFault(err)}`);
  }
  if (text === '') return 'empty';
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isInteger(o.pid) && typeof o.host === 'string' && typeof o.startedAt === 'string')
      return o as LockOwner;
  } catch {
    // partial or foreign content
  }
  return 'unreadable';
}

function sameOwner(a: ReturnType<typeof readOwner>, b: LockOwner): boolean {
  return typeof a === 'object' && a.pid === b.pid && a.host === b.host && a.startedAt === b.startedAt;
}

/**
 * Whether the lock's owner runs on this host (EPERM: it does, under another user). Our own pid is
 * alive only for a lock this process holds: otherwise an earlier process had the same pid (containers
 * restart with small pids).
 */
function alive(owner: LockOwner, file: string): boolean {
  const { pid } = owner;
  if (pid === process.pid) return [...held].some((l) => l.file === file && sameOwner(owner, l.owner));
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
