import { closeSync, lstatSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
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
    const ino = lstatSync(file, { throwIfNoEntry: false })?.ino;
    const current = readOwner(file);
    if (current === 'missing' || ino === undefined) continue;
    if (current === 'unreadable') {
      throw new RunLockedError(
        `run ${runDir} has a lock file that is not baton's (${file}); remove it if no process uses the run`,
      );
    }
    if (current === 'empty') {
      // Its creator is between open and write, or died there: an empty lock counts as stale only once it
      // is older than the grace period (its own age, so a fresh empty lock is never judged by an old one's).
      if (!emptyLongEnough(file)) {
        pause(20);
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
    takeOver(file, { owner: current, ino }, owner, warn);
  }
}

/**
 * Removes a stale lock so that exactly one contender takes over. Removals happen only under a guard
 * file (`run.lock.takeover`, created with O_EXCL), and the holder removes the lock only if it is still
 * the very file judged stale (same inode, same owner): a lock created meanwhile by a live process is
 * never removed. (Renaming the lock aside and linking it back, as before, left a window in which a
 * third process created a lock that the link-back then could not restore: two holders.)
 */
function takeOver(file: string, stale: Judged, owner: LockOwner, warn: (message: string) => void): void {
  const guard = `${file}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new UsageError(`cannot take over the stale lock ${file}: ${describeFault(err)}`);
    clearAbandonedGuard(guard);
    pause(10);
    return;
  }
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
    closeSync(fd);
    const now = judge(file);
    if (now === undefined || now.ino !== stale.ino) return;
    const same =
      stale.owner === 'empty' ? now.owner === 'empty' : sameOwner(now.owner, stale.owner as LockOwner);
    if (!same) return;
    unlinkQuietly(file);
    warn(
      typeof stale.owner === 'object'
        ? `took over the lock of pid ${stale.owner.pid} (started ${stale.owner.startedAt}), which is no longer running`
        : `removed an empty lock file ${file} left by a process that died while creating it`,
    );
  } finally {
    unlinkQuietly(guard);
  }
}

/** A lock file's owner as read, with the inode it was read from. */
interface Judged {
  owner: LockOwner | 'empty';
  ino: number;
}

function judge(file: string): Judged | undefined {
  let ino: number;
  try {
    ino = lstatSync(file).ino;
  } catch {
    return undefined;
  }
  const owner = readOwner(file);
  if (owner === 'missing' || owner === 'unreadable') return undefined;
  // Read after the inode: if the file was replaced in between, the takeover's inode check fails.
  return lstatSync(file, { throwIfNoEntry: false })?.ino === ino ? { owner, ino } : undefined;
}

/**
 * A guard left behind is removed: its holder died on this host, or it is older than the grace period
 * (a takeover takes a few synchronous calls; a holder on another host cannot be checked).
 */
function clearAbandonedGuard(guard: string): void {
  const holder = readOwner(guard);
  const dead = typeof holder === 'object' && holder.host === hostname() && !alive(holder, guard);
  if (dead || olderThanGrace(guard)) unlinkQuietly(guard);
}

function emptyLongEnough(file: string): boolean {
  return lstatSync(file, { throwIfNoEntry: false })?.size === 0 && olderThanGrace(file);
}

/** Whether the file was last changed longer than the grace period ago (its own clock, not a watcher's). */
function olderThanGrace(file: string): boolean {
  const stat = lstatSync(file, { throwIfNoEntry: false });
  return stat !== undefined && Date.now() - stat.ctimeMs >= EMPTY_GRACE_MS;
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
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
