import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunConfig } from '../../src/config/load.js';
import { readCassette } from '../../src/providers/replay/cassette.js';
import { writeReport } from '../../src/report/write.js';
import { runBenchmark } from '../../src/runner/run.js';
import { type FakePool, faultRunConfig, KEYS, sandbox, scorer, startFakePool } from './fault-run.js';

/**
 * What a replayed report may change: instants (ISO-8601, and the epoch-millisecond `startedAt` /
 * `endedAt` of the raw samples and events the HTML trace explorer embeds), and `scoringMs`, the time the
 * replay itself spent re-grading (grading is redone, not replayed). Durations derived from instants
 * (critical path, latency) must match: the cassette carries each call's offset and duration.
 */
const normalise = (text: string) =>
  text
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
    .replace(/"(startedAt|endedAt)":\d+/g, '"$1":<time>')
    .replace(/"scoringMs":[0-9.e-]+/g, '"scoringMs":<replay>');

/**
 * What a replay changes on purpose: where the answers came from. The original's calls are `live`, the
 * replay's `replayed`, so per-call provenance, the live and replayed counts (summed) and agent lists
 * (joined), the per-agent table rows and the label are read as one "real" provenance.
 */
const realProvenance = (text: string, label: string) =>
  text
    .replaceAll(label, '<label>')
    .replace(/"provenance":(\s*)"(live|replayed)"/g, '"provenance":$1"<real>"')
    .replace(
      /"live":(\s*)(\d+),(\s*)"simulated":(\s*)(\d+),(\s*)"replayed":(\s*)(\d+)/g,
      (_, s1, live, s2, s3, simulated, s4, s5, replayed) =>
        `"real":${s1}${Number(live) + Number(replayed)},${s2}"simulated":${s3}${simulated},${s4}"-":${s5}0`,
    )
    .replace(
      /"live":(\s*)\[([^\]]*)\],(\s*)"replayed":(\s*)\[([^\]]*)\]/g,
      (_, s1, live: string, s2, s3, replayed: string) =>
        `"real":${s1}[${live.trim() ? live : replayed}],${s2}"-":${s3}[]`,
    )
    .replace(
      /^\| (\S+) \| (\S+) \| (\d+) \| (\d+) \| (\d+) \|$/gm,
      (_, agent, provider, live, simulated, replayed) =>
        `| ${agent} | ${provider} | ${Number(live) + Number(replayed)} | ${simulated} | - |`,
    );

/** Where two texts first differ, with a little context; null when they are equal. */
function firstDifference(a: string, b: string): string | null {
  if (a === b) return null;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at character ${i}: …${a.slice(Math.max(0, i - 120), i + 60)}… vs …${b.slice(Math.max(0, i - 120), i + 60)}…`;
}

let pool: FakePool;
let servedBeforeReplay = 0;
beforeAll(async () => {
  pool = await startFakePool({
    faults: { rateLimit: 0.1, serverError: 0.05, hang: 0.02, malformed: 0.02 },
    seed: 4,
  });
});
afterAll(() => pool.close());

const served = () => pool.openai.served.length + pool.anthropic.served.length + pool.gemini.served.length;

describe('record and replay', () => {
  let original: { runDir: string; file: string; cassette: string };

  it('records a run to a cassette with no key in it', async () => {
    const { file, config } = await faultRunConfig(pool, 12);
    const outcome = await runBenchmark({
      config,
      env: KEYS,
      command: 'baton run',
      sandbox,
      scorer,
      runId: 'orig',
      record: true,
    });
    expect(outcome.status).toBe('complete');
    expect(outcome.cassette).toBe(join(outcome.runDir, 'cassette.jsonl'));
    const cassette = readCassette(outcome.cassette as string);
    expect(cassette.calls.size).toBeGreaterThanOrEqual(48);
    expect(cassette.samples.size).toBe(48);
    // Retries were recorded attempt by attempt.
    expect([...cassette.calls.values()].some((c) => c.attempts.length > 1)).toBe(true);
    const text = readFileSync(outcome.cassette as string, 'utf8');
    for (const key of Object.values(KEYS)) expect(text.includes(key)).toBe(false);
    expect(text).not.toMatch(/authorization|x-api-key|x-goog-api-key/i);
    original = { runDir: outcome.runDir, file, cassette: outcome.cassette as string };
    servedBeforeReplay = served();
  }, 60_000);

  it('replays it offline into a byte-identical report (timestamps aside) with zero network calls', async () => {
    await pool.close();
    const realFetch = globalThis.fetch;
    let fetches = 0;
    globalThis.fetch = (async (...args: Parameters<typeof fetch>) => {
      fetches++;
      return realFetch(...args);
    }) as typeof fetch;
    try {
      const config = await loadRunConfig(original.file);
      config.output = join(original.runDir, '..', 'replayed');
      // No keys in the environment: a replay needs none.
      const outcome = await runBenchmark({
        config,
        env: {},
        command: 'baton run',
        sandbox,
        scorer,
        runId: 'orig',
        replayFrom: original.cassette,
      });
      expect(outcome.status).toBe('complete');
      expect(fetches).toBe(0);
      expect(served()).toBe(servedBeforeReplay);

      const a = await writeReport(original.runDir);
      const b = await writeReport(outcome.runDir);
      // The same agents answered; the replay says its answers were replayed, the original that they were live.
      const agents = ['gemini-pro', 'gpt5-chat', 'gpt5mini-responses', 'sonnet'];
      expect(a.report.provenance).toMatchObject({ live: agents, simulated: [], replayed: [] });
      expect(b.report.provenance).toMatchObject({ live: [], simulated: [], replayed: agents });
      expect(b.report.provenance.calls.replayed).toBe(a.report.provenance.calls.live);
      expect(a.report.label).toBe(`Measured on real providers: 4 of 4 agents live: ${agents.join(', ')}.`);
      expect(b.report.label).toBe(
        `Replayed from a cassette of real provider calls: 4 of 4 agents replayed: ${agents.join(', ')}.`,
      );
      expect(b.report.simulated).toBe(false);
      expect(b.files.map((f) => relative(outcome.runDir, f))).toEqual(
        a.files.map((f) => relative(original.runDir, f)),
      );
      for (const [i, file] of a.files.entries()) {
        if (file.endsWith('.png')) {
          // Charts carry the run's date (a day, not an instant): same-day replays draw identical pixels.
          expect(
            readFileSync(b.files[i] as string).equals(readFileSync(file)),
            relative(original.runDir, file),
          ).toBe(true);
          continue;
        }
        const before = realProvenance(normalise(readFileSync(file, 'utf8')), a.report.label);
        const after = realProvenance(normalise(readFileSync(b.files[i] as string, 'utf8')), b.report.label);
        expect(firstDifference(before, after), relative(original.runDir, file)).toBeNull();
      }
      expect(a.report.samples.recorded).toBe(48);
    } finally {
      globalThis.fetch = realFetch;
    }
  }, 60_000);

  it('names the request hash when the cassette lacks a call', async () => {
    const config = await loadRunConfig(original.file);
    config.output = join(original.runDir, '..', 'replayed-other-seed');
    config.seed = 6; // every request (and so every hash) changes
    await expect(
      runBenchmark({
        config,
        env: {},
        command: 'baton run',
        sandbox,
        scorer,
        runId: 'other',
        replayFrom: original.cassette,
      }),
    ).rejects.toThrow(/has no entry for request [0-9a-f]{64}/);
  });
});
