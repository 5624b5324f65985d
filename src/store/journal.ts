import { hash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  openSync,
  readFileSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import type { CachedCompletion } from '../providers/types.js';

/**
 * The file beside a store where each response is appended before it waits for its group commit: a
 * killed process does not lose what the OS has. One line per response, `key \t json \t checksum \n`,
 * the checksum over `key \t json`; emptied by every commit.
 */
export class ResponseJournal {
  private readonly fd: number;
  /** Bytes of whole lines in the file: a failed append is cut back to this. */
  private bytes = 0;
  /** Lines not written yet (this event-loop turn's, or all since a failure). */
  private held: string[] = [];

  constructor(readonly file: string) {
    this.fd = openSync(file, 'a');
  }

  hold(key: string, json: string): void {
    this.held.push(journalLine(key, json));
  }

  /** Lines held and not written yet. */
  get holding(): number {
    return this.held.length;
  }

  /**
   * Appends the held lines. On failure the lines written whole are kept (the disk may take some of
   * them), the torn rest is cut off, the lines not written stay held, and the error is thrown.
   */
  appendHeld(): void {
    const data = Buffer.from(this.held.join(''));
    let done = 0;
    try {
      // A short write (the disk filled mid-line) is continued; the next write then fails.
      while (done < data.length) done += writeSync(this.fd, data, done, data.length - done);
      this.bytes += data.length;
      this.held = [];
    } catch (err) {
      let whole = 0;
      let lines = 0;
      for (const line of this.held) {
        const size = Buffer.byteLength(line);
        if (whole + size > done) break;
        whole += size;
        lines++;
      }
      // A torn last line would swallow the next one written after it: cut it off.
      try {
        ftruncateSync(this.fd, this.bytes + whole);
        this.bytes += whole;
        this.held = this.held.slice(lines);
      } catch {
        // Then the import skips it as torn (its checksum cannot match); every line stays held.
      }
      throw err;
    }
  }

  /** After a commit: the journal's lines are in the store, and lines not written yet need not be. */
  empty(): void {
    // Lines not journaled yet are committed now: the turn's pending write finds nothing to write.
    this.held = [];
    try {
      ftruncateSync(this.fd, 0);
      this.bytes = 0;
    } catch {
      // Committed lines left in the journal are imported again harmlessly (INSERT OR IGNORE).
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Responses a killed process had paid for but not committed: handed to `commit`, then the journal at
 * `file` is emptied. A line whose checksum does not match (torn by a crash mid-write, altered on disk)
 * is skipped with a warning: its call is bought again, never served from a damaged record.
 */
export function recoverJournal(
  file: string,
  warn: (message: string) => void,
  commit: (responses: ReadonlyMap<string, string>) => void,
): void {
  if (!existsSync(file)) return;
  const responses = new Map<string, string>();
  const lines = readFileSync(file, 'utf8').split('\n');
  // The text after the last newline: empty, or a line the crash cut short.
  const tail = lines.pop() ?? '';
  const skipped: number[] = [];
  lines.forEach((line, i) => {
    const entry = parseJournalLine(line);
    if (!entry) skipped.push(i + 1);
    else if (!responses.has(entry.key)) responses.set(entry.key, entry.json);
  });
  if (tail !== '') skipped.push(lines.length + 1);
  if (skipped.length > 0) {
    const shown = skipped.slice(0, 5).join(', ');
    const more = skipped.length > 5 ? ` and ${skipped.length - 5} more` : '';
    warn(
      `${file}: skipped ${skipped.length} torn or corrupt journal line(s) (line ${shown}${more}); their calls will be bought again`,
    );
  }
  commit(responses);
  truncateSync(file, 0);
}

function journalLine(key: string, json: string): string {
  const body = `${key}\t${json}`;
  return `${body}\t${lineChecksum(body)}\n`;
}

/** 64 bits of SHA-256: enough to tell a torn or flipped line from a whole one. */
function lineChecksum(body: string): string {
  return hash('sha256', body).slice(0, 16);
}

/** A journal line's key and response, or undefined when it is torn, altered or not a response. */
function parseJournalLine(line: string): { key: string; json: string } | undefined {
  const first = line.indexOf('\t');
  const last = line.lastIndexOf('\t');
  if (first <= 0 || last <= first) return undefined;
  const body = line.slice(0, last);
  if (lineChecksum(body) !== line.slice(last + 1)) return undefined;
  const json = line.slice(first + 1, last);
  return parseCompletion(json) ? { key: line.slice(0, first), json } : undefined;
}

/** A cached response's JSON, parsed and checked for the fields a call needs, or undefined. */
export function parseCompletion(json: string): CachedCompletion | undefined {
  try {
    const c = JSON.parse(json) as Partial<CachedCompletion>;
    return typeof c === 'object' &&
      c !== null &&
      typeof c.text === 'string' &&
      typeof c.usage === 'object' &&
      c.usage !== null &&
      typeof c.latencyMs === 'number'
      ? (c as CachedCompletion)
      : undefined;
  } catch {
    return undefined;
  }
}
