import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../runner/helpers.js';

/** Holds each process's own shared response cache folder; removed when the test file's worker exits. */
const cacheRoot = mkdtempSync(join(tmpdir(), 'baton-test-cache-'));
process.on('exit', () => rmSync(cacheRoot, { recursive: true, force: true }));

/**
 * A fresh, empty shared-cache folder. Every CLI process gets one unless its test passes
 * BATON_CACHE_DIR: no test reads or writes the user's cache, and no run is answered by another's.
 */
export function freshCacheDir(): string {
  return mkdtempSync(join(cacheRoot, 'c-'));
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the built CLI (dist/, made by `npm test`'s pretest build) as a real process. */
export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd = repoRoot,
): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/baton.js'), ...args], {
    cwd,
    env: { ...process.env, BATON_CACHE_DIR: freshCacheDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = repoRoot): Promise<Finished> {
  return startCli(args, env, cwd).done;
}

/**
 * Starts `baton view <dir> --port 0` and waits for the URL it prints; `stop` sends `signal` and
 * resolves when the process has ended.
 */
export async function startViewer(
  dir: string,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<{ url: string; stop: () => Promise<Finished> }> {
  const view = startCli(['view', dir, '--port', '0']);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    view.child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolve(m[0]);
    });
    void view.done.then((f) => reject(new Error(`baton view ended: ${f.code} ${f.stderr}`)));
  });
  return {
    url,
    stop: () => {
      view.child.kill(signal);
      return view.done;
    },
  };
}
