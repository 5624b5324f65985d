import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Report } from '../../src/report/types.js';
import { RunStore } from '../../src/store/run-store.js';
import { startOpenAIFake } from '../fakes/openai.js';
import type { FakeServer } from '../fakes/server.js';
import { repoRoot } from '../runner/helpers.js';
import { runCli } from './cli-process.js';

/** The trained demo head's slots, and what a user's pool calls the same simulated agents. */
const SLOTS = ['gpt5', 'claude', 'gemini', 'qwen', 'gemma', 'r1'];
const RENAMED: Record<string, string> = Object.fromEntries(SLOTS.map((s) => [s, `team-${s}`]));

interface Member {
  id: string;
  [key: string]: unknown;
}

/**
 * A user's config: the demo's six simulated workers under other ids (optionally one slot served by a
 * live OpenAI-protocol endpoint instead), the demo's trained head, 2 maths and 2 multiple-choice tasks.
 */
function userConfig(agents: unknown, live?: { baseUrl: string }): { dir: string; file: string } {
  const demo = parse(readFileSync(join(repoRoot, 'configs/demo.yaml'), 'utf8')) as { pool: Member[] };
  const pool: Member[] = demo.pool
    .filter((a) => SLOTS.includes(a.id))
    .map((a) => ({ ...a, id: RENAMED[a.id] as string }));
  if (live) {
    const i = pool.findIndex((a) => a.id === RENAMED.gpt5);
    pool[i] = { id: 'live-gpt', provider: 'openai', model: 'gpt-5', baseUrl: live.baseUrl };
  }
  const dir = mkdtempSync(join(tmpdir(), 'baton-heads-'));
  const file = join(dir, 'run.yaml');
  writeFileSync(
    file,
    stringify({
      name: 'my-pool',
      seed: 3,
      output: dir,
      pool,
      orchestrators: [
        {
          id: 'trinity-trained',
          family: 'trinity',
          head: join(repoRoot, 'configs/heads/demo-trained.onnx'),
          agents,
        },
      ],
      suites: [
        { path: join(repoRoot, 'suites/demo/math.yaml'), limit: 2 },
        { path: join(repoRoot, 'suites/demo/mcq.yaml'), limit: 2 },
      ],
    }),
  );
  return { dir, file };
}

function readReport(dir: string): { report: Report; markdown: string; runDir: string } {
  const runDir = join(dir, 'r');
  return {
    report: JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report,
    markdown: readFileSync(join(runDir, 'report.md'), 'utf8'),
    runDir,
  };
}

describe("a trained head on a user's pool (real process)", () => {
  let openai: FakeServer & { baseUrl: string };
  beforeAll(async () => {
    openai = await startOpenAIFake();
  });
  afterAll(() => openai.close());

  it('runs with an agents: map from head slots to pool ids, and stops in preflight without one', async () => {
    const mapped = userConfig(RENAMED);
    const out = await runCli(['run', mapped.file, '--run-id', 'r', '--quiet']);
    expect(out.code, out.stderr).toBe(0);
    const { report, runDir } = readReport(mapped.dir);
    expect(report.samples).toMatchObject({ planned: 4, recorded: 4, errors: 0 });
    // Simulated agents only: nothing to warn about.
    expect(report.warnings).toEqual([]);
    expect(out.stderr).not.toMatch(/^warning: trinity-trained/m);
    const store = new RunStore(join(runDir, 'run.sqlite'));
    const called = new Set(store.events().map((e) => e.agentId));
    store.close();
    expect([...called].every((id) => Object.values(RENAMED).includes(id))).toBe(true);

    // The same pool listed by its own ids: preflight refuses, naming the head's slots and the map to write.
    const listed = userConfig(Object.values(RENAMED));
    const refused = await runCli(['run', listed.file, '--quiet']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(refused.stderr).toMatch(
      /^error: orchestrator trinity-trained: head .*demo-trained\.onnx was made for agents \[gpt5, claude, gemini, qwen, gemma, r1\], but the config lists \[team-gpt5, team-claude, .*\]; map each head slot to a pool member: agents: \{ gpt5: <pool id>, /m,
    );
  }, 120_000);

  it('warns, at start and in every report, when a head trained on the simulated pool drives a live agent', async () => {
    const { dir, file } = userConfig({ ...RENAMED, gpt5: 'live-gpt' }, openai);
    const out = await runCli(['run', file, '--run-id', 'r', '--quiet'], { OPENAI_API_KEY: 'sk-test-heads' });
    expect(out.code, out.stderr).toBe(0);
    const warning =
      /trinity-trained: head .*demo-trained\.onnx was trained on the SIMULATED pool and here drives live agents \(gpt5 → live-gpt \(openai gpt-5\)\)/;
    expect(out.stderr).toMatch(new RegExp(`^warning: ${warning.source}`, 'm'));
    const { report, markdown, runDir } = readReport(dir);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(warning);
    expect(markdown).toMatch(new RegExp(`^> \\*\\*Warning:\\*\\* ${warning.source}`, 'm'));
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('data-testid="warning"');
    // The live endpoint was really called.
    expect(openai.served.some((s) => s.path === '/v1/chat/completions')).toBe(true);
  }, 120_000);
});
