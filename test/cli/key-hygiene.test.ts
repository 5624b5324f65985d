import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_WINDOW } from '../../src/providers/redact.js';
import { maskedKey } from '../fakes/server.js';
import { type FakePool, faultRunConfig, startFakePool } from '../runner/fault-run.js';
import { runCli } from './cli-process.js';

/** Keys as real ones look: random after a fixed prefix (no word any output would hold anyway). */
const KEYS = {
  OPENAI_API_KEY: 'sk-proj-Zt5Wq8Rn2Kd7Vb4Xm9Lc3Hf6Jp1Gs0YaTuE',
  ANTHROPIC_API_KEY: 'sk-ant-api03-m4Nq7Tx2Wc9Bv5Kd8Hj3Lp6Rz1Fs-QyE0',
  GEMINI_API_KEY: 'AIzaSyK7pW2xR9mQ4vN1tL8bZ6cJ3hF0sDgUe',
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every 8-character window of a key that a text holds, and its masked rendering if there. */
function leaks(text: string, key: string): string[] {
  const found = new Set<string>();
  for (let i = 0; i + KEY_WINDOW <= key.length; i++) {
    const w = key.slice(i, i + KEY_WINDOW);
    if (text.includes(w)) found.add(w);
  }
  if (text.includes(`****${key.slice(-4)}`)) found.add(maskedKey(key));
  return [...found];
}

let pool: FakePool;
beforeAll(async () => {
  pool = await startFakePool({
    seed: 6,
    echoKey: ['answer', 'error_body', 'none', 'header', 'malformed', 'malformed_error', 'auth', 'none'],
  });
});
afterAll(async () => {
  await pool.close();
});

describe('keys echoed back by careless servers (real process, real SDKs)', () => {
  it('appear nowhere on the terminal nor in any file the run writes', async () => {
    const { dir, file } = await faultRunConfig(pool, 8, { concurrency: 4 });
    const result = await runCli(['run', file, '--output', dir, '--run-id', 'k', '--record'], KEYS);
    // Answers came back (and some samples failed: the 401s): a run that did echo, to the right clients.
    expect([0, 4], result.stderr).toContain(result.code);
    const served = [pool.openai, pool.anthropic, pool.gemini].flatMap((f) => f.served);
    expect(served.length).toBeGreaterThanOrEqual(3 * 8);
    expect(pool.openai.served.some((s) => s.authorization === `Bearer ${KEYS.OPENAI_API_KEY}`)).toBe(true);

    const terminal = `${result.stdout}\n${result.stderr}`;
    expect(terminal).toContain('report:');
    // The errors by cause quote what the servers said: the masked key of the 401s, scrubbed.
    expect(terminal).toContain('Incorrect API key provided: [redacted]');
    const runDir = join(dir, 'k');
    const written = [
      { path: 'terminal', text: terminal },
      ...filesUnder(runDir).map((path) => ({ path, text: readFileSync(path).toString('latin1') })),
    ];
    expect(written.map((w) => w.path.slice(runDir.length + 1))).toEqual(
      expect.arrayContaining(['run.sqlite', 'cassette.jsonl', 'report.json', 'report.md', 'report.html']),
    );
    for (const { path, text } of written)
      for (const key of Object.values(KEYS))
        expect(leaks(text, key), `${path} holds part of a key`).toEqual([]);
    // What the servers said is kept, scrubbed.
    const store = written.find((w) => w.path.endsWith('run.sqlite'))?.text ?? '';
    expect(store).toContain('Your key is [redacted] ([redacted]). Answer ');
  }, 120_000);
});
