import { spawnSync } from 'node:child_process';
import { createHash, hash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { ServedRequest } from '../../src/providers/sim/server.js';
import type { CallEvent } from '../../src/store/records.js';
import { RunStore } from '../../src/store/run-store.js';
import {
  demoConfigCopy,
  distinctRequests,
  quickerDemo,
  readJsonLines,
  recordedSamples,
} from '../runner/helpers.js';
import { type Finished, runCli, startCli } from './cli-process.js';

// Faults seen from the outside: each case drives the built CLI as a real process (rebuild dist/ first)
// and checks its exit code, that stderr has one line per error and no stack trace, and — counting the
// requests the simulated pool answered (BATON_SIM_LOG) — that no answered call is ever bought twice.

/** The demo on 4 tasks per suite, latencies cut tenfold, code graded by the local driver (no Docker start-up). */
function quickRun(concurrency = 4, keep?: string[]) {
  return demoRun((t) => quickerDemo(concurrency)(t), keep);
}

/**
 * The demo on 2 tasks per suite with latencies cut only threefold: a call lasts 50–500 ms, so a signal
 * always finds calls in flight.
 */
function slowerRun(concurrency = 4) {
  return demoRun((t) =>
    t
      .replace(/firstTokenMs: (\d+)/g, (_, ms: string) => `firstTokenMs: ${Math.round(Number(ms) / 3)}`)
      .replace(/tokensPerSecond: (\d+)/g, (_, tps: string) => `tokensPerSecond: ${Number(tps) * 3}`)
      .replace(/concurrency: \d+/, `concurrency: ${concurrency}`)
      .replaceAll(/(path: .*\.yaml)/g, '$1\n    limit: 2'),
  );
}

function demoRun(edit: (text: string) => string, keep?: string[]) {
  return demoConfigCopy((t) => {
    const config = parse(distinctRequests(edit(t))) as {
      orchestrators: { id: string }[];
      scoring: Record<string, unknown>;
    };
    if (keep) config.orchestrators = config.orchestrators.filter((o) => keep.includes(o.id));
    config.scoring = { ...config.scoring, sandbox: 'local' };
    return stringify(config);
  });
}

const servedKey = (r: ServedRequest) => `${r.model}|${r.seed}|${r.digest}`;
/** The served-request key of a traced call (the sim logs sha256 of the JSON messages). */
const requestKey = (model: string, seed: number | undefined, messages: unknown) =>
  `${model}|${seed}|${createHash('sha256').update(JSON.stringify(messages)).digest('hex')}`;
const served = (log: string) => readJsonLines<ServedRequest>(log).map(servedKey);

/** Requests answered in both sessions: calls bought twice. */
function boughtTwice(first: string, second: string): string[] {
  const before = new Set(served(first));
  return served(second).filter((k) => before.has(k));
}

/** An error is one `error: …` line; nothing looks like a stack or an internal error. */
function expectOneLineError(out: Finished, pattern: RegExp): void {
  expect(out.stderr).not.toMatch(/\n\s+at /);
  expect(out.stderr).not.toMatch(/internal error/);
  const errors = out.stderr.split('\n').filter((l) => l.startsWith('error: '));
  expect(errors, out.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(pattern);
}

async function waitForSamples(dbFile: string, n: number, run: ReturnType<typeof startCli>): Promise<void> {
  while (recordedSamples(dbFile, "status = 'ok'") < n) {
    await sleep(25);
    expect(run.child.exitCode, 'run ended before the fault could be injected').toBeNull();
  }
}

function storeCounts(dbFile: string): { samples: number; distinct: number; planned: number } {
  const store = new RunStore(dbFile);
  const samples = store.samples();
  const planned = store.getRun()?.planned ?? -1;
  store.close();
  return { samples: samples.length, distinct: new Set(samples.map((s) => s.sampleId)).size, planned };
}

// A small tmpfs lets the test fill a disk or make it read-only for real. Only root can mount one.
const root = process.getuid?.() === 0;
const mounts: string[] = [];
function mountTmpfs(options: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'baton-tmpfs-'));
  const out = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (out.status !== 0) {
    console.warn(
      `skipped: cannot mount a tmpfs (${out.stderr.trim()}); this test needs root with CAP_SYS_ADMIN`,
    );
    return undefined;
  }
  mounts.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of mounts) spawnSync('umount', ['-l', dir]);
});
if (!root) console.warn('skipping the disk-full and read-only tests: they mount a tmpfs, which needs root');

describe('run ids that try to leave the output directory (real process)', () => {
  // `<abs>` stands for an absolute path inside the test's folder.
  it.each([['../escaped'], ['<abs>'], [''], ['a/b'], ['..'], ['x/../../escaped']])(
    '--run-id %j exits 2 with one line and creates nothing',
    async (pattern) => {
      const { dir, file } = quickRun();
      const output = join(dir, 'out');
      const id = pattern.replace('<abs>', join(dir, 'absolute-run'));
      const before = readdirSync(dir).sort();
      const out = await runCli(['run', file, '--output', output, '--run-id', id, '--quiet']);
      expect(out.code).toBe(2);
      expectOneLineError(out, /--run-id .*a run id is one folder name/);
      expect(readdirSync(dir).sort()).toEqual(before);
      expect(existsSync(join(dir, '..', 'escaped'))).toBe(false);
    },
  );

  it('--resume ../x exits 2 too', async () => {
    const { dir, file } = quickRun();
    const out = await runCli(['run', file, '--output', dir, '--resume', '../x', '--quiet']);
    expect(out.code).toBe(2);
    expectOneLineError(out, /--resume "\.\.\/x": a run id is one folder name/);
  });
});

describe('two resumes of one run at once (real processes)', () => {
  it('the second refuses with exit 2 while the first lives; the first takes over the dead run’s lock; nothing is bought twice', async () => {
    const { dir, file } = quickRun(4);
    const dbFile = join(dir, 'c', 'run.sqlite');
    const lockFile = join(dir, 'c', 'run.lock');
    const log0 = join(dir, 'served-0.jsonl');
    const first = startCli(['run', file, '--output', dir, '--run-id', 'c', '--quiet'], {
      BATON_SIM_LOG: log0,
    });
    await waitForSamples(dbFile, 10, first);
    first.child.kill('SIGKILL');
    await first.done;
    // The dead process's lock is still there.
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(first.child.pid);
    // Calls of the samples recorded before the kill. (An answer the pool had sent but the killed process
    // had not read yet was never received: buying it again is right, so the whole of log0 is no reference.)
    const killed = new RunStore(dbFile);
    const paidBeforeKill = new Set(
      killed.events().map((e) => requestKey(e.model, e.request.seed, e.request.messages)),
    );
    killed.close();
    expect(paidBeforeKill.size).toBeGreaterThan(0);

    const logA = join(dir, 'served-a.jsonl');
    const a = startCli(['run', file, '--output', dir, '--resume', 'c', '--quiet'], { BATON_SIM_LOG: logA });
    while (!existsSync(lockFile) || JSON.parse(readFileSync(lockFile, 'utf8') || '{}').pid !== a.child.pid) {
      await sleep(25);
      expect(a.child.exitCode, a.child.exitCode === null ? '' : 'first resume ended early').toBeNull();
    }
    const logB = join(dir, 'served-b.jsonl');
    const b = await runCli(['run', file, '--output', dir, '--resume', '--quiet'], { BATON_SIM_LOG: logB });
    expect(a.child.exitCode, 'the first resume must still be running when the second gives up').toBeNull();
    expect(b.code).toBe(2);
    expectOneLineError(b, new RegExp(`in use by pid ${a.child.pid}`));
    expect(b.stderr).not.toMatch(/UNIQUE/);
    expect(served(logB)).toEqual([]);

    const resumed = await a.done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`took over the lock of pid ${first.child.pid}`));
    expect(resumed.stderr).not.toMatch(/UNIQUE/);
    expect(existsSync(lockFile)).toBe(false);
    expect(served(logA).filter((k) => paidBeforeKill.has(k))).toEqual([]);
    expect(served(log0).length).toBeGreaterThan(0);
    const counts = storeCounts(dbFile);
    expect(counts.samples).toBe(counts.planned);
    expect(counts.distinct).toBe(counts.planned);
  }, 180_000);
});

describe.skipIf(!root)('the disk fills mid-run (tmpfs; needs root)', () => {
  it('exits 5 naming the path and free space, keeps every answer received, and a resume re-buys none', async () => {
    const mnt = mountTmpfs('size=24m');
    if (!mnt) return;
    const { dir, file } = quickRun(4);
    const dbFile = join(mnt, 'full', 'run.sqlite');
    const log1 = join(dir, 'served-1.jsonl');
    const run = startCli(['run', file, '--output', mnt, '--run-id', 'full', '--quiet'], {
      BATON_SIM_LOG: log1,
    });
    await waitForSamples(dbFile, 10, run);
    // Fill the disk to its last byte while the run buys.
    const filler = join(mnt, 'filler');
    for (const chunk of [1 << 20, 1 << 16, 4096, 512, 1]) {
      try {
        for (;;) appendFileSync(filler, Buffer.alloc(chunk));
      } catch {
        // full at this granularity
      }
    }
    const out = await run.done;
    expect(out.code, out.stderr).toBe(5);
    expectOneLineError(
      out,
      /^error: storage failed: (ENOSPC|SQLITE_FULL).*\(.*full.*; .* free of .*\).*rerun with --resume/,
    );
    expect(out.stderr).toMatch(/were saved to|no answer received was lost/);
    expect(out.stderr).not.toMatch(/could not be saved/);
    expect(existsSync(join(mnt, 'full', 'run.lock'))).toBe(false);

    rmSync(filler);
    const log2 = join(dir, 'served-2.jsonl');
    const resumed = await runCli(['run', file, '--output', mnt, '--resume', 'full', '--quiet'], {
      BATON_SIM_LOG: log2,
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(served(log1).length).toBeGreaterThan(0);
    expect(boughtTwice(log1, log2)).toEqual([]);
    const counts = storeCounts(dbFile);
    expect(counts.samples).toBe(counts.planned);
  }, 180_000);
});

describe('damaged journal and store (real process)', () => {
  /** 12 samples of one single-call orchestrator, run to completion. */
  async function finishedRun(runId: string) {
    const made = quickRun(4, ['single-gpt5']);
    const out = await runCli(['run', made.file, '--output', made.dir, '--run-id', runId, '--quiet']);
    expect(out.code, out.stderr).toBe(0);
    return { ...made, runDir: join(made.dir, runId), dbFile: join(made.dir, runId, 'run.sqlite') };
  }

  it('skips a corrupt or torn journal line with a warning and buys its call again; never serves it', async () => {
    const { dir, file, dbFile } = await finishedRun('j');
    const db = new Database(dbFile);
    const samples = (
      db.prepare('SELECT sample_id AS id FROM sample ORDER BY sample_id').all() as { id: string }[]
    )
      .map((r) => r.id)
      .slice(0, 3);
    // For three samples: forget the sample and its cached response, as a crash before the commit would,
    // and put the response back in the journal — whole for one, a bit flipped for one, torn for one.
    const lines: string[] = [];
    const originals = new Map<string, string>();
    for (const id of samples) {
      const event = JSON.parse(
        (db.prepare('SELECT json FROM event WHERE sample_id = ?').get(id) as { json: string }).json,
      ) as { response: string; latencyMs: number };
      originals.set(id, event.response);
      const row = (
        db.prepare('SELECT key, json FROM response_cache').all() as { key: string; json: string }[]
      ).find((r) => {
        const c = JSON.parse(r.json) as { text: string; latencyMs: number };
        return c.text === event.response && c.latencyMs === event.latencyMs;
      });
      if (!row) throw new Error(`no cached response for ${id}`);
      db.prepare('DELETE FROM response_cache WHERE key = ?').run(row.key);
      db.prepare('DELETE FROM event WHERE sample_id = ?').run(id);
      db.prepare('DELETE FROM sample WHERE sample_id = ?').run(id);
      const body = `${row.key}\t${row.json}`;
      lines.push(`${body}\t${hash('sha256', body).slice(0, 16)}\n`);
    }
    db.close();
    const [whole, toFlip, toTear] = lines as [string, string, string];
    const at = toFlip.indexOf('"text":"') + '"text":"'.length;
    const flipped =
      toFlip.slice(0, at) + String.fromCharCode(toFlip.charCodeAt(at) ^ 1) + toFlip.slice(at + 1);
    writeFileSync(`${dbFile}-responses.jsonl`, whole + flipped + toTear.slice(0, toTear.length >> 1));

    const log = join(dir, 'served-resume.jsonl');
    const resumed = await runCli(['run', file, '--output', dir, '--resume', 'j', '--quiet'], {
      BATON_SIM_LOG: log,
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/warning: .*skipped 2 torn or corrupt journal line\(s\) \(line 2, 3\)/);
    expect(resumed.stderr).not.toMatch(/\n\s+at /);
    // The damaged two were bought again; the whole one came from the journal.
    expect(served(log)).toHaveLength(2);
    const store = new RunStore(dbFile);
    const [fromJournal, reboughtFlipped, reboughtTorn] = samples.map((id) =>
      store.events(id).find((e): e is CallEvent => e.kind === 'call'),
    );
    store.close();
    expect(fromJournal?.cached).toBe(true);
    expect(reboughtFlipped?.cached).toBe(false);
    expect(reboughtTorn?.cached).toBe(false);
    // Never the flipped text: the answer is the one the pool gives.
    expect(reboughtFlipped?.response).toBe(originals.get(samples[1] as string));
  }, 120_000);

  it('a truncated, bit-flipped, empty or non-SQLite store: resume and report exit 2 with one line', async () => {
    const { dir, file, runDir } = await finishedRun('ok');
    const store = join(runDir, 'run.sqlite');
    const damages: [string, (f: string) => void][] = [
      ['truncated', (f) => truncateSync(f, statSync(f).size >> 1)],
      [
        'bitflip',
        (f) => {
          const bytes = readFileSync(f);
          bytes[4096] = (bytes[4096] as number) ^ 0x10;
          writeFileSync(f, bytes);
        },
      ],
      ['notsqlite', (f) => writeFileSync(f, 'PK\u0003\u0004 this is a zip, not a store\n'.repeat(100))],
      ['empty', (f) => truncateSync(f, 0)],
    ];
    for (const [name, damage] of damages) {
      cpSync(runDir, join(dir, name), { recursive: true });
      damage(join(dir, name, 'run.sqlite'));
      const resumed = await runCli(['run', file, '--output', dir, '--resume', name, '--quiet']);
      expect(resumed.code, `${name}: ${resumed.stderr}`).toBe(2);
      expectOneLineError(
        resumed,
        new RegExp(
          `run store .*${name}/run\\.sqlite is unreadable: (.*malformed|.*not a database|integrity check failed|it holds no run record)`,
        ),
      );
      if (name !== 'empty') {
        const report = await runCli(['report', join(dir, name)]);
        expect(report.code, `${name}: ${report.stderr}`).toBe(2);
        expectOneLineError(report, /unreadable/);
      }
    }
    // The sound original is untouched by all this.
    expect(statSync(store).size).toBeGreaterThan(0);
  }, 120_000);
});

describe.skipIf(!root)('a read-only output directory (tmpfs mounted or remounted ro; needs root)', () => {
  it('resume and new runs exit 2 with one line and change nothing', async () => {
    const mnt = mountTmpfs('size=16m');
    if (!mnt) return;
    const { file } = quickRun(4, ['single-gpt5']);
    const made = await runCli(['run', file, '--output', mnt, '--run-id', 'ro', '--quiet']);
    expect(made.code, made.stderr).toBe(0);
    const remount = spawnSync('mount', ['-o', 'remount,ro', mnt], { encoding: 'utf8' });
    expect(remount.status, remount.stderr).toBe(0);
    const before = statSync(join(mnt, 'ro', 'run.sqlite')).mtimeMs;

    const resumed = await runCli(['run', file, '--output', mnt, '--resume', 'ro', '--quiet']);
    expect(resumed.code).toBe(2);
    expectOneLineError(resumed, /cannot write in the run folder .*ro: EROFS/);
    const fresh = await runCli(['run', file, '--output', mnt, '--run-id', 'new', '--quiet']);
    expect(fresh.code).toBe(2);
    expectOneLineError(fresh, /cannot create the run folder .*new: EROFS/);
    const nested = await runCli(['run', file, '--output', join(mnt, 'sub', 'dir'), '--quiet']);
    expect(nested.code).toBe(2);
    expectOneLineError(nested, /EROFS/);
    expect(statSync(join(mnt, 'ro', 'run.sqlite')).mtimeMs).toBe(before);

    const ro = mountTmpfs('ro,size=1m');
    if (!ro) return;
    const blank = await runCli(['run', file, '--output', ro, '--quiet']);
    expect(blank.code).toBe(2);
    expectOneLineError(blank, /EROFS/);
  }, 120_000);
});

describe('SIGINT / SIGTERM mid-run (real processes)', () => {
  it.each([['SIGINT'], ['SIGTERM']] as const)(
    '%s: exit 130, no stack, answers that arrived are stored, and the resume buys none of them again',
    async (signal) => {
      const { dir, file } = slowerRun(6);
      const dbFile = join(dir, 's', 'run.sqlite');
      const log1 = join(dir, 'served-1.jsonl');
      const run = startCli(['run', file, '--output', dir, '--run-id', 's', '--quiet'], {
        BATON_SIM_LOG: log1,
      });
      await waitForSamples(dbFile, 4, run);
      const answeredAtSignal = served(log1).length;
      run.child.kill(signal);
      const out = await run.done;
      expect(out.code, out.stderr).toBe(130);
      // The calls in flight were answered after the signal (not abandoned), and no new sample started:
      // 6 samples in flight make at most 4 parallel calls each (a Fusion panel).
      const answeredAfter = served(log1).length - answeredAtSignal;
      expect(answeredAfter).toBeGreaterThan(0);
      expect(answeredAfter).toBeLessThanOrEqual(6 * 4);
      expect(out.stderr).toMatch(new RegExp(`${signal}: stopping`));
      expect(out.stderr).toMatch(/interrupted: .*rerun with --resume/);
      expect(out.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(dir, 's', 'run.lock'))).toBe(false);
      const db = new Database(dbFile, { readonly: true });
      expect((db.prepare('SELECT status FROM run').get() as { status: string }).status).toBe('interrupted');
      db.close();

      const log2 = join(dir, 'served-2.jsonl');
      const resumed = await runCli(['run', file, '--output', dir, '--resume', '--quiet'], {
        BATON_SIM_LOG: log2,
      });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(served(log2).length).toBeGreaterThan(0);
      expect(boughtTwice(log1, log2)).toEqual([]);
      const counts = storeCounts(dbFile);
      expect(counts.samples).toBe(counts.planned);
    },
    120_000,
  );
});
