import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRunConfig } from '../../src/config/load.js';
import { runBenchmark } from '../../src/runner/run.js';
import { acquireRunLock, LOCK_FILE } from '../../src/runner/run-lock.js';
import { answerReader } from '../../src/scoring/answers.js';
import { checkRunId, createRunDir, findRunDir } from '../../src/store/run-dir.js';
import { RunLockedError, UsageError } from '../../src/util/errors.js';
import { demoConfigCopy } from './helpers.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

const newDir = () => mkdtempSync(join(tmpdir(), 'baton-lock-'));

/** A pid no process has any more (a child that already exited). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

/** A live process other than this one. */
async function livePid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((r) => child.once('spawn', r));
  return child.pid as number;
}

const writeLock = (dir: string, owner: object) => writeFileSync(join(dir, LOCK_FILE), JSON.stringify(owner));

describe('run lock', () => {
  it('holds {pid, host, startedAt}; a second taker refuses while it is held; released, it is free again', () => {
    const dir = newDir();
    const lock = acquireRunLock(dir);
    const owner = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, host: hostname() });
    expect(Number.isNaN(Date.parse(owner.startedAt))).toBe(false);
    expect(() => acquireRunLock(dir)).toThrow(RunLockedError);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    acquireRunLock(dir).release();
  });

  it('refuses while another live process on this host holds it, naming its pid', async () => {
    const dir = newDir();
    const pid = await livePid();
    writeLock(dir, { pid, host: hostname(), startedAt: new Date().toISOString() });
    expect(() => acquireRunLock(dir)).toThrow(new RegExp(`in use by pid ${pid}`));
    // Nothing was touched: the owner's lock is intact.
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(pid);
  });

  it('takes over a lock whose pid is dead on this host, with a warning', () => {
    const dir = newDir();
    const pid = deadPid();
    writeLock(dir, { pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' });
    const warnings: string[] = [];
    const lock = acquireRunLock(dir, (m) => warnings.push(m));
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    expect(warnings).toEqual([expect.stringContaining(`lock of pid ${pid}`)]);
    lock.release();
  });

  it('takes over a lock with its own pid that this process does not hold (an earlier process had the pid)', () => {
    const dir = newDir();
    writeLock(dir, { pid: process.pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' });
    acquireRunLock(dir).release();
  });

  it('respects a lock from another host and says how to remove it', () => {
    const dir = newDir();
    writeLock(dir, { pid: deadPid(), host: 'worker-7.example', startedAt: '2026-01-01T00:00:00.000Z' });
    expect(() => acquireRunLock(dir)).toThrow(/on host worker-7\.example .*remove .*run\.lock/);
  });

  it('refuses a lock file that is not baton’s, and treats one left empty as stale after a grace period', () => {
    const dir = newDir();
    writeFileSync(join(dir, LOCK_FILE), 'something else');
    expect(() => acquireRunLock(dir)).toThrow(/not baton's/);
    writeFileSync(join(dir, LOCK_FILE), '');
    const t0 = Date.now();
    acquireRunLock(dir).release();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
  });

  it('lets exactly one of eight processes racing for a stale lock take it', async () => {
    const dir = newDir();
    writeLock(dir, { pid: deadPid(), host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' });
    const lockModule = join(import.meta.dirname, '../../dist/runner/run-lock.js');
    // Each contender keeps what it got until every one has answered (its stdin closes): a holder that
    // exited earlier would release the lock to a contender that started late, which is no race lost.
    const script = `const { acquireRunLock } = await import(${JSON.stringify(lockModule)});
      try { acquireRunLock(${JSON.stringify(dir)}); console.log('got'); } catch (e) { console.log(e.name); }
      process.stdin.resume();`;
    const children = Array.from({ length: 8 }, () =>
      spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] }),
    );
    const results = await Promise.all(
      children.map(
        (child) =>
          new Promise<string>((resolve) => {
            let out = '';
            child.stdout.on('data', (d: Buffer) => {
              out += d;
              if (out.includes('\n')) resolve(out.trim());
            });
            child.on('close', () => resolve(out.trim()));
          }),
      ),
    );
    await Promise.all(
      children.map((child) => {
        const closed = new Promise((resolve) => child.on('close', resolve));
        child.stdin.end();
        return closed;
      }),
    );
    expect(results.filter((r) => r === 'got')).toHaveLength(1);
    expect(results.filter((r) => r === 'RunLockedError')).toHaveLength(7);
  });

  it('covers the queue coordinator: a run --queue on a run in use refuses before executing anything', async () => {
    const { dir, file } = demoConfigCopy((t) => t.replaceAll(/(path: .*\.yaml)/g, '$1\n    limit: 1'));
    const config = await loadRunConfig(file);
    config.output = dir;
    const runDir = createRunDir(dir, 'queued');
    writeFileSync(join(runDir, 'run.sqlite'), '');
    writeLock(runDir, { pid: await livePid(), host: hostname(), startedAt: new Date().toISOString() });
    let executed = 0;
    const run = runBenchmark({
      config,
      resume: 'queued',
      env: {},
      command: 'test',
      sandbox: {
        isolation: 'none',
        run: async () => ({ passed: true, verdicts: [], isolation: 'none' }),
        close: async () => {},
      },
      scorer: {
        ...answerReader,
        score: async () => ({ correct: true, detail: { kind: 'text', extracted: '', reference: '' } }),
      },
      remote: {
        execute: async () => {
          executed++;
          return undefined;
        },
      },
    });
    await expect(run).rejects.toThrow(RunLockedError);
    expect(executed).toBe(0);
    // The store was not even opened (opening imports the journal and writes the schema).
    expect(readFileSync(join(runDir, 'run.sqlite'), 'utf8')).toBe('');
    await sleep(0);
  });
});

describe('run ids stay inside the output directory', () => {
  it.each([
    ['..'],
    ['../escape'],
    ['a/../../b'],
    ['/tmp/absolute'],
    [''],
    ['a/b'],
    ['a\\b'],
    ['.hidden'],
    ['-flag'],
    ['a..b'],
    ['nul\0byte'],
    ['new\nline'],
    ['x'.repeat(201)],
  ])('refuses %j as a run id', (id) => {
    expect(() => checkRunId(id)).toThrow(UsageError);
    const output = newDir();
    expect(() => createRunDir(output, id)).toThrow(UsageError);
    expect(() => findRunDir(output, { file: '/x/demo.yaml', contentHash: '0', name: 'demo' }, id)).toThrow(
      /a run id is one folder name/,
    );
  });

  it.each([['demo-20261125-120000'], ['k'], ['gen-0001'], ['A.b_c-1']])('accepts %j', (id) => {
    expect(checkRunId(id)).toBe(id);
  });
});
