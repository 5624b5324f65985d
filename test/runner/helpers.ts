import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
