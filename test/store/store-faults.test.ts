import { spawnSync } from 'node:child_process';
import { hash } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore, type StoreFailure } from '../../src/store/run-store.js';
import { CorruptStoreError } from '../../src/util/errors.js';
import { completion, inStoreProcess, sample } from './fixtures.js';

const newFile = () => join(mkdtempSync(join(tmpdir(), 'baton-store-faults-')), 'run.sqlite');

/** A journal line as the store writes it (the format is the store's; the test checks what it rejects). */
const line = (key: string, json: string) => {
  const body = `${key}\t${json}`;
  return `${body}\t${hash('sha256', body).slice(0, 16)}\n`;
};

describe('journal lines carry a checksum', () => {
  it('imports whole lines, skips altered and torn ones with a warning, and never serves them', () => {
    const file = newFile();
    new RunStore(file).close();
    const good = JSON.stringify(completion('B'));
    const honest = line('k-good', good);
    // One bit flipped in the answer ('B' → 'C') after the checksum was written.
    const flipped = line('k-flipped', JSON.stringify(completion('B'))).replace('"text":"B"', '"text":"C"');
    // Valid JSON, valid line shape, no checksum at all (an older journal or a forger without the format).
    const unsummed = `k-unsummed\t${JSON.stringify(completion('D'))}\n`;
    // Whole checksum, but not a response.
    const notResponse = line('k-shape', JSON.stringify({ text: 42 }));
    // The crash cut the last line short: no newline.
    const torn = line('k-torn', JSON.stringify(completion('E'))).slice(0, 30);
    writeFileSync(`${file}-responses.jsonl`, honest + flipped + unsummed + notResponse + torn);

    const warnings: string[] = [];
    const store = new RunStore(file, { warn: (m) => warnings.push(m) });
    expect(store.cachedResponse('k-good')?.text).toBe('B');
    for (const key of ['k-flipped', 'k-unsummed', 'k-shape', 'k-torn'])
      expect(store.cachedResponse(key), key).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/skipped 4 torn or corrupt journal line\(s\) \(line 2, 3, 4, 5\)/);
    expect(warnings[0]).toContain('bought again');
    store.close();
    expect(readFileSync(`${file}-responses.jsonl`, 'utf8')).toBe('');
  });

  it('writes lines a reopened store accepts, and a killed writer leaves at most one torn line', () => {
    const file = newFile();
    const child = inStoreProcess(
      file,
      `for (let i = 0; i < 50; i++) store.cacheResponse('k' + i, c('answer ' + i + ' \\t "quoted"\\n'));
       await new Promise((r) => setImmediate(r));
       process.kill(process.pid, 'SIGKILL');`,
    );
    expect(child.signal).toBe('SIGKILL');
    // Simulate the kill landing mid-write: the last line loses its end.
    const journal = `${file}-responses.jsonl`;
    const size = readFileSync(journal).length;
    truncateSync(journal, size - 5);
    const warnings: string[] = [];
    const store = new RunStore(file, { warn: (m) => warnings.push(m) });
    for (let i = 0; i < 49; i++)
      expect(store.cachedResponse(`k${i}`)?.text).toBe(`answer ${i} \t "quoted"\n`);
    expect(store.cachedResponse('k49')).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/skipped 1 torn or corrupt journal line\(s\) \(line 50\)/);
    store.close();
  });

  it('does not serve a committed response that no longer parses: it is bought again and replaced', () => {
    const file = newFile();
    const store = new RunStore(file);
    store.cacheResponse('k', completion('A'));
    store.close();
    // Damage the committed row the way a flipped bit in its payload would.
    const db = new Database(file);
    db.prepare('UPDATE response_cache SET json = replace(json, \'"text"\', \'"t\u0001xt"\')').run();
    db.close();
    const warnings: string[] = [];
    const reopened = new RunStore(file, { warn: (m) => warnings.push(m) });
    expect(reopened.cachedResponse('k')).toBeUndefined();
    expect(warnings[0]).toMatch(/cached response k is unreadable/);
    reopened.cacheResponse('k', completion('A again'));
    reopened.flush();
    expect(reopened.cachedResponse('k')?.text).toBe('A again');
    reopened.close();
  });
});

describe('a store that is not a sound SQLite database', () => {
  const sound = () => {
    const file = newFile();
    const store = new RunStore(file);
    store.createRun({
      id: 'r',
      name: 'r',
      configHash: 'h',
      configJson: '{}',
      configFile: 'x.yaml',
      createdAt: 0,
      simulated: true,
      planned: 1,
      environment: {},
    });
    for (let i = 0; i < 300; i++) {
      store.saveSample(sample(`s${i}`), []);
      store.cacheResponse(`k${i}`, completion('x'.repeat(200)));
    }
    store.close();
    return file;
  };
  const flip = (file: string, offset: number) => {
    const bytes = readFileSync(file);
    bytes[offset] = (bytes[offset] as number) ^ 0x10;
    writeFileSync(file, bytes);
  };

  it.each([
    ['cut in half', (f: string) => truncateSync(f, readFileSync(f).length >> 1)],
    ['cut inside its first page', (f: string) => truncateSync(f, 3000)],
    ['not SQLite at all', (f: string) => writeFileSync(f, 'this is not a database\n'.repeat(200))],
    ['bit flipped in its header', (f: string) => flip(f, 0)],
    ['bit flipped in a b-tree page header', (f: string) => flip(f, 4096)],
    ['bit flipped in the header free-space field', (f: string) => flip(f, 20)],
  ])('%s: CorruptStoreError naming the file, when opened for a run', (_, damage) => {
    const file = sound();
    damage(file);
    let error: unknown;
    try {
      new RunStore(file, { check: true }).close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CorruptStoreError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).not.toContain('\n');
  });
});

// Root can mount a tmpfs small enough to fill; anyone else skips (the CLI test does the same).
const root = process.getuid?.() === 0;
const mounts: string[] = [];
afterAll(() => {
  for (const dir of mounts) spawnSync('umount', ['-l', dir]);
});

describe.skipIf(!root)('a disk that fills mid-run (tmpfs, needs root)', () => {
  it('fails once, holds what arrives, frees the reserve and saves it to the journal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-full-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { encoding: 'utf8' });
    if (mounted.status !== 0) {
      console.warn(`skipped: cannot mount a tmpfs here (${mounted.stderr.trim()})`);
      return;
    }
    mounts.push(dir);
    mkdirSync(join(dir, 'run'));
    const file = join(dir, 'run', 'run.sqlite');
    const failures: StoreFailure[] = [];
    const store = new RunStore(file, { reserveBytes: 512 * 1024, onFailure: (f) => failures.push(f) });
    store.cacheResponse('before', completion('paid before the disk filled'));
    store.flush();
    // Fill the disk to the last byte.
    const filler = join(dir, 'filler');
    for (const chunk of [1 << 20, 1 << 16, 4096, 512, 1]) {
      try {
        for (;;) appendFileSync(filler, Buffer.alloc(chunk));
      } catch {
        // full at this granularity
      }
    }
    const big = 'y'.repeat(16 * 1024);
    for (let i = 0; i < 8; i++) store.cacheResponse(`k${i}`, completion(`${i}${big}`));
    await new Promise((r) => setImmediate(r));
    expect(failures).toHaveLength(1);
    expect(failures[0]?.error).toMatchObject({ code: expect.stringMatching(/ENOSPC|SQLITE_FULL/) });
    store.cacheResponse('late', completion('arrived after the failure'));
    expect(store.rescue()).toMatchObject({ held: 9, lost: 0 });
    store.close();
    rmSync(filler);
    const reopened = new RunStore(file);
    expect(reopened.cachedResponse('before')?.text).toBe('paid before the disk filled');
    for (let i = 0; i < 8; i++) expect(reopened.cachedResponse(`k${i}`)?.text).toBe(`${i}${big}`);
    expect(reopened.cachedResponse('late')?.text).toBe('arrived after the failure');
    reopened.close();
  });
});
