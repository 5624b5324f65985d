import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadRunConfig } from '../../src/config/load.js';
import { runBenchmark } from '../../src/runner/run.js';
import type { SharedCacheChoice } from '../../src/runner/shared-cache.js';
import type { CallEvent } from '../../src/store/records.js';
import { RunStore } from '../../src/store/run-store.js';
import { sandbox, scorer } from './fault-run.js';
import { configCopy, quickerDemo } from './helpers.js';

/** The demo's learned-style planner (informed beliefs: it reads every member's true skills) on 3 maths tasks. */
function plannerOnly(text: string): string {
  const config = parse(quickerDemo(8)(text)) as {
    suites: { path: string }[];
    orchestrators: { id: string }[];
  };
  config.suites = config.suites.filter((s) => s.path.endsWith('math.yaml'));
  for (const s of config.suites) Object.assign(s, { limit: 3 });
  config.orchestrators = config.orchestrators.filter((o) => o.id === 'plan-conductor');
  return stringify(config);
}

/** What each call of a run answered, by sample and step. */
async function answers(
  file: string,
  output: string,
  runId: string,
  sharedCache: SharedCacheChoice | undefined,
) {
  const outcome = await runBenchmark({
    config: { ...(await loadRunConfig(file)), output },
    env: {},
    command: 'test',
    sandbox,
    scorer,
    sharedCache,
    runId,
  });
  const store = new RunStore(join(outcome.runDir, 'run.sqlite'));
  const calls = store.events().filter((e): e is CallEvent => e.kind === 'call');
  store.close();
  return {
    outcome,
    texts: Object.fromEntries(calls.map((e) => [`${e.sampleId}#${e.step}`, e.response])),
  };
}

describe('shared response cache and the simulated pool', () => {
  it("serves no answer a simulated member would no longer give: another member's skills changed", async () => {
    const cache: SharedCacheChoice = { dir: mkdtempSync(join(tmpdir(), 'baton-cache-')), mode: 'read-write' };
    const before = configCopy('demo.yaml', plannerOnly);
    await answers(before.file, before.dir, 'before', cache);
    // An identical rerun is answered from the cache alone.
    expect((await answers(before.file, before.dir, 'again', cache)).outcome.calls.sent).toBe(0);
    // Same requests, but gpt5 and gemma trade maths skills: the informed planner now prefers gemma.
    const after = configCopy('demo.yaml', (text) =>
      plannerOnly(
        text
          .replace(
            'skill: { code: 0.78, math: 0.85, mcq: 0.85 },',
            'skill: { code: 0.78, math: 0.05, mcq: 0.85 },',
          )
          .replace(
            'skill: { code: 0.25, math: 0.3, mcq: 0.6 },',
            'skill: { code: 0.25, math: 0.99, mcq: 0.6 },',
          ),
      ),
    );
    const fresh = await answers(after.file, after.dir, 'fresh', undefined);
    const warm = await answers(after.file, after.dir, 'warm', cache);
    expect(warm.texts).toEqual(fresh.texts);
    expect(warm.outcome.calls.sent).toBeGreaterThan(0);
  }, 120_000);

  it('serves no answer a simulated member would no longer give: the answer key changed', async () => {
    const cache: SharedCacheChoice = { dir: mkdtempSync(join(tmpdir(), 'baton-cache-')), mode: 'read-write' };
    const before = configCopy('demo.yaml', plannerOnly);
    await answers(before.file, before.dir, 'before', cache);
    // The suite's answer key corrected (the prompts, hence every request, unchanged).
    const after = configCopy('demo.yaml', plannerOnly);
    const config = parse(readFileSync(after.file, 'utf8')) as { suites: { path: string }[] };
    const math = config.suites[0] as { path: string };
    const suite = join(after.dir, 'math.yaml');
    const key = 'answer: "\\\\frac{2}{9}"\n    equivalents: ["2/9", "\\\\dfrac{2}{9}", "\\\\frac{8}{36}"]';
    const text = readFileSync(math.path, 'utf8');
    expect(text).toContain(key);
    writeFileSync(suite, text.replace(key, 'answer: "\\\\frac{5}{9}"\n    equivalents: ["5/9"]'));
    math.path = suite;
    writeFileSync(after.file, stringify(config));
    const fresh = await answers(after.file, after.dir, 'fresh', undefined);
    const warm = await answers(after.file, after.dir, 'warm', cache);
    expect(warm.texts).toEqual(fresh.texts);
  }, 120_000);
});
