import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';

/** errno codes of a storage that cannot take a write (as opposed to a bug in the caller). */
const STORAGE_ERRNO = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO', 'EFBIG', 'EACCES', 'EPERM', 'ENXIO']);
/** SQLite result codes of the same (extended codes start with the primary one: SQLITE_IOERR_WRITE…). */
const STORAGE_SQLITE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|PERM)/;
/** SQLite result codes of a file that is not a sound database. */
const CORRUPT_SQLITE = /^SQLITE_(CORRUPT|NOTADB)/;

function codeOf(err: unknown): string {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : '';
}

/** A failed write the storage refused (disk full, read-only, I/O error), from node:fs or SQLite. */
export function isStorageFault(err: unknown): boolean {
  const code = codeOf(err);
  return STORAGE_ERRNO.has(code) || STORAGE_SQLITE.test(code);
}

/** SQLite saying the file is not a sound database. */
export function isCorruption(err: unknown): boolean {
  return CORRUPT_SQLITE.test(codeOf(err));
}

/** `ENOSPC: no space left on device, write` / `SQLITE_FULL: database or disk is full`. */
export function describeFault(err: unknown): string {
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

/** "1.2 MiB free" on the file system holding `path` (or its folder), or why that is unknown. */
export function freeSpace(path: string): string {
  for (const p of [path, dirname(path)]) {
    try {
      const fs = statfsSync(p);
      return `${formatBytes(fs.bavail * fs.bsize)} free of ${formatBytes(fs.blocks * fs.bsize)}`;
    } catch {
      // try the folder
    }
  }
  return 'free space unknown';
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}
