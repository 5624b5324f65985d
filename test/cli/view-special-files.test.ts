import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempRoot, writeRun } from '../view/fixtures.js';
import { type Finished, startViewer } from './cli-process.js';

/** A GET with a deadline: a server that never answers fails the request, not the test run. */
async function get(url: string): Promise<number | 'no answer'> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3_000) })).status;
  } catch {
    return 'no answer';
  }
}

describe('baton view and special files in a handed-over run folder (real process)', () => {
  let url: string;
  let stop: () => Promise<Finished>;

  beforeAll(async () => {
    const root = tempRoot();
    const dir = writeRun(root, 'fifo');
    writeFileSync(join(dir, 'report.json'), '{}');
    // A named pipe where report.html should be (tar and shared folders carry them): opening one for
    // reading blocks until a writer comes.
    execFileSync('mkfifo', [join(dir, 'report.html')]);
    // Lock files no baton wrote: a pipe, and a link to a device that never ends.
    execFileSync('mkfifo', [join(writeRun(root, 'lock-fifo'), 'run.lock')]);
    symlinkSync('/dev/zero', join(writeRun(root, 'lock-zero'), 'run.lock'));
    ({ url, stop } = await startViewer(root, 'SIGKILL'));
  }, 60_000);

  afterAll(async () => {
    await stop?.();
  });

  it('lists runs whose run.lock is a pipe or a link to /dev/zero as locked by something else', async () => {
    const page = await fetch(url, { signal: AbortSignal.timeout(3_000) }).then(
      (r) => r.text(),
      () => 'no answer',
    );
    for (const id of ['lock-fifo', 'lock-zero'])
      expect(page).toMatch(new RegExp(`${id}[\\s\\S]*?its run.lock is not a lock baton wrote`));
  }, 30_000);

  it('refuses a named pipe as a report file and goes on serving', async () => {
    expect(await get(`${url}runs/fifo/report.html`)).toBe(404);
    expect(await get(url)).toBe(200);
    expect(await get(`${url}runs/fifo/report.json`)).toBe(200);
  }, 30_000);
});
