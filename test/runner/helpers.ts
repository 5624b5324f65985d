import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { parse, stringify } from 'yaml';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** A shipped config, copied to a temp folder with absolute suite and head paths and the given edits. */
export function configCopy(
  name: string,
  edit: (text: string) => string = (t) => t,
): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'baton-run-'));
  const text = readFileSync(join(repoRoot, 'configs', name), 'utf8')
    .replaceAll('path: ../suites/', `path: ${join(repoRoot, 'suites')}/`)
    .replaceAll('head: heads/', `head: ${join(repoRoot, 'configs/heads')}/`);
  const file = join(dir, 'run.yaml');
  writeFileSync(file, edit(text));
  return { dir, file };
}

/** The demo config, copied (see configCopy). */
export function demoConfigCopy(edit?: (text: string) => string): { dir: string; file: string } {
  return configCopy('demo.yaml', edit);
}

export function readJsonLines<T>(file: string): T[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

/**
 * Orchestrators whose requests never coincide across samples. Others (single-qwen, vote-qwen's
 * first vote) send byte-identical requests for the same task by design — common seeds make paired
 * comparisons sharper — and each sample pays for its own copy, which the served-request log below
 * could not tell apart from a re-paid call. plan-prompted-gpt5 is left out too: its plans often give
 * GPT-5 the same step as plan-conductor's (8 identical requests in one 72-sample run), which made
 * the kill-resume test fail now and then on a call that was never bought twice.
 */
export const distinctRequests = (text: string) => {
  const config = parse(text) as { orchestrators: { id: string }[] };
  const keep = ['single-gpt5', 'fusion', 'plan-conductor', 'trinity-hand', 'moa'];
  config.orchestrators = config.orchestrators.filter((o) => keep.includes(o.id));
  return stringify(config);
};

/** The demo on 4 tasks per suite with latencies cut tenfold: a run lasts seconds, so kills land mid-run. */
export function quickerDemo(concurrency: number): (text: string) => string {
  return (text) =>
    text
      .replace(/firstTokenMs: (\d+)/g, (_, ms: string) => `firstTokenMs: ${Math.round(Number(ms) / 10)}`)
      .replace(/tokensPerSecond: (\d+)/g, (_, tps: string) => `tokensPerSecond: ${Number(tps) * 10}`)
      .replace(/concurrency: \d+/, `concurrency: ${concurrency}`)
      .replaceAll(/(path: .*\.yaml)/g, '$1\n    limit: 4');
}

/** Samples recorded so far in a run store another process is writing (0 before its tables exist). */
export function recordedSamples(dbFile: string, where = '1 = 1'): number {
  if (!existsSync(dbFile)) return 0;
  try {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare(`SELECT count(*) AS n FROM sample WHERE ${where}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // tables not created yet
  }
}
