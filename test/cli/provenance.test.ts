import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { ChartSpec } from '../../src/report/charts.js';
import type { Report } from '../../src/report/types.js';
import type { SampleResult, TraceEvent } from '../../src/store/records.js';
import { RunStore } from '../../src/store/run-store.js';
import { startOpenAIFake } from '../fakes/openai.js';
import type { FakeServer } from '../fakes/server.js';
import { KEYS } from '../runner/fault-run.js';
import { repoRoot } from '../runner/helpers.js';
import { runCli } from './cli-process.js';

/** The sentence of an all-simulated run: it must never describe a pool with a real member. */
const EVERY_ANSWER = /every answer comes from/i;

/** A simulated pool member (fast: the test waits for its latencies). */
const sim = (id: string, skill: number) => ({
  id,
  provider: 'sim',
  model: `sim/${id}`,
  price: { input: 1, output: 2 },
  sim: {
    skill: { default: skill },
    judgment: 0.8,
    firstTokenMs: 5,
    tokensPerSecond: 5000,
    outputTokens: 60,
  },
});

let openai: FakeServer & { baseUrl: string };
beforeAll(async () => {
  openai = await startOpenAIFake({ seed: 3 });
});
afterAll(() => openai.close());

/** A run folder's outputs after `baton run`: the process's own output, the report files and the store. */
async function runConfig(pool: Record<string, unknown>[], orchestrators: Record<string, unknown>[]) {
  const dir = mkdtempSync(join(tmpdir(), 'baton-provenance-'));
  const file = join(dir, 'run.yaml');
  writeFileSync(
    file,
    stringify({
      name: 'provenance',
      seed: 7,
      concurrency: 8,
      output: join(dir, 'runs'),
      pool,
      orchestrators,
      suites: [{ path: join(repoRoot, 'suites/demo/mcq.yaml'), limit: 4 }],
    }),
  );
  const out = await runCli(['run', file, '--quiet'], KEYS);
  expect(out.code, out.stderr).toBe(0);
  const [runId] = readdirSync(join(dir, 'runs'));
  const runDir = join(dir, 'runs', runId as string);
  const read = (name: string) => readFileSync(join(runDir, name), 'utf8');
  const html = read('report.html');
  const store = new RunStore(join(runDir, 'run.sqlite'));
  const events = store.events();
  const samples = store.samples();
  store.close();
  return {
    out,
    json: read('report.json'),
    report: JSON.parse(read('report.json')) as Report,
    markdown: read('report.md'),
    html,
    title: /<title>(.*)<\/title>/.exec(html)?.[1] ?? '',
    banner: /<p class="banner" id="banner">(.*)<\/p>/.exec(html)?.[1] ?? '',
    charts: JSON.parse(
      /<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '[]',
    ) as ChartSpec[],
    events,
    samples,
  };
}

const live = () => ({ id: 'live', provider: 'openai', api: 'chat', model: 'gpt-5', baseUrl: openai.baseUrl });

describe('provenance per agent (real CLI process; OpenAI fake and simulated members)', () => {
  it('names the simulated members of a mixed pool, and only them, in every output', async () => {
    const run = await runConfig(
      [live(), sim('claude', 0.8), sim('gemini', 0.7), sim('qwen', 0.5)],
      [
        { id: 'single-live', family: 'single', agent: 'live' },
        { id: 'single-claude', family: 'single', agent: 'claude' },
        {
          id: 'fusion',
          family: 'fusion',
          panel: ['live', 'gemini', 'qwen'],
          judge: 'claude',
          minSuccessful: 2,
        },
      ],
    );
    // Nothing says every answer is simulated: not the terminal, report.md, report.html nor report.json.
    for (const [where, text] of [
      ['stdout', run.out.stdout],
      ['stderr', run.out.stderr],
      ['report.md', run.markdown],
      ['report.html', run.html],
      ['report.json', run.json],
    ] as const)
      expect(text, where).not.toMatch(EVERY_ANSWER);

    const { report } = run;
    expect(report.schemaVersion).toBe(4);
    expect(report.simulated).toBe(true);
    expect(report.provenance).toMatchObject({
      simulated: ['claude', 'gemini', 'qwen'],
      live: ['live'],
      replayed: [],
      inferred: false,
    });
    const agent = (id: string) => report.provenance.agents.find((a) => a.agent === id);
    expect(agent('live')).toMatchObject({ provider: 'openai', calls: { simulated: 0, replayed: 0 } });
    expect(agent('live')?.calls.live).toBe(openai.served.length);
    for (const id of ['claude', 'gemini', 'qwen']) {
      expect(agent(id)?.calls.live, id).toBe(0);
      expect(agent(id)?.calls.simulated, id).toBeGreaterThan(0);
    }
    expect(report.provenance.calls.live + report.provenance.calls.simulated).toBe(run.events.length);
    expect(report.label).toBe(
      'SIMULATED IN PART: 3 of 4 agents simulated: claude, gemini, qwen; 1 live: live. Figures that involve a simulated agent are synthetic and say nothing about real models; rows marked (sim) used one.',
    );
    expect(run.out.stdout).toContain(report.label);
    expect(run.out.stderr).toContain('(3 of 4 agents SIMULATED: claude, gemini, qwen)');

    // Rows: the live single is live, the simulated single simulated, the mixed panel both.
    const row = (o: string) => report.rows.find((r) => r.orchestrator === o);
    expect(row('single-live')).toMatchObject({
      simulated: false,
      provenance: { calls: { live: 4, simulated: 0, replayed: 0 }, samples: { live: 4, simulated: 0 } },
    });
    expect(row('single-claude')).toMatchObject({
      simulated: true,
      provenance: { calls: { live: 0, simulated: 4 }, samples: { live: 0, simulated: 4 } },
    });
    const fusion = row('fusion');
    expect(fusion?.simulated).toBe(true);
    expect(fusion?.provenance.calls.live).toBe(4); // one live panelist per task
    expect(fusion?.provenance.samples).toMatchObject({ live: 4, simulated: 4, replayed: 0 });
    expect(report.pareto.find((p) => p.orchestrator === 'single-live')?.simulated).toBe(false);
    expect(report.pareto.find((p) => p.orchestrator === 'fusion')?.simulated).toBe(true);

    // Trace events and samples carry their own provenance.
    for (const e of run.events)
      expect(e.provenance, `${e.sampleId} step ${e.step}`).toBe(e.agentId === 'live' ? 'live' : 'simulated');
    const sampleOf = (id: string) => run.samples.find((s) => s.sampleId.startsWith(id)) as SampleResult;
    expect(sampleOf('single-live/')).toMatchObject({
      simulated: false,
      provenance: { live: 1, simulated: 0, replayed: 0 },
    });
    expect(sampleOf('fusion/').simulated).toBe(true);
    expect(sampleOf('fusion/').provenance.live).toBe(1);

    // Tables mark simulated rows, and only those; titles say "partly".
    expect(run.markdown).toContain('# baton report: provenance (partly simulated)');
    expect(run.markdown).toContain(`> **${report.label}**`);
    expect(run.markdown).toMatch(/^\| single-claude \(sim\) \| single \|/m);
    expect(run.markdown).toMatch(/^\| fusion \(sim\) \| fusion \|/m);
    expect(run.markdown).toMatch(/^\| single-live \| single \|/m);
    expect(run.markdown).not.toContain('single-live (sim)');
    // Per agent: the live member's 8 calls (4 alone, 4 on the panel), none simulated.
    expect(run.markdown).toMatch(/^\| live \| openai \| 8 \| 0 \| 0 \|$/m);
    expect(run.markdown).toMatch(/^\| claude \(sim\) \| sim \| 0 \| \d+ \| 0 \|$/m);
    expect(run.title).toBe('PARTLY SIMULATED — baton report: provenance');
    expect(run.banner).toBe(report.label);
    // Charts: partly-simulated titles, simulated series labelled and drawn apart.
    for (const chart of run.charts)
      expect((chart.config.options.plugins as { title: { text: string } }).title.text, chart.id).toMatch(
        /^PARTLY SIMULATED — /,
      );
    const points = run.charts.find((c) => c.id === 'accuracy-vs-cost')?.config.data.datasets ?? [];
    expect(points.find((d) => d.label === 'single-claude (sim)')).toMatchObject({ pointStyle: 'triangle' });
    expect(points.find((d) => d.label === 'single-live')?.pointStyle).not.toBe('triangle');
  }, 120_000);

  it('says nothing is simulated when every agent is live', async () => {
    const run = await runConfig(
      [live(), { ...live(), id: 'mini', api: 'responses', model: 'gpt-5-mini' }],
      [
        { id: 'single-live', family: 'single', agent: 'live' },
        { id: 'single-mini', family: 'single', agent: 'mini' },
      ],
    );
    const { report } = run;
    expect(report.simulated).toBe(false);
    expect(report.provenance).toMatchObject({ simulated: [], live: ['live', 'mini'], replayed: [] });
    expect(report.provenance.calls).toEqual({ live: 8, simulated: 0, replayed: 0 });
    expect(report.label).toBe('Measured on real providers: 2 of 2 agents live: live, mini.');
    for (const r of report.rows) expect(r.simulated, r.orchestrator).toBe(false);
    expect(run.events.every((e: TraceEvent) => e.provenance === 'live')).toBe(true);
    // No banner, title, heading, marker or chart title says simulated (a column header may name it).
    for (const [where, text] of [
      ['stdout', run.out.stdout],
      ['stderr', run.out.stderr],
      ['report.md', run.markdown],
      ['title', run.title],
      ['banner', run.banner],
      ['charts', JSON.stringify(run.charts)],
    ] as const)
      expect(text.replaceAll('| simulated calls |', ''), where).not.toMatch(/simulated|\(sim\)/i);
    expect(run.title).toBe('baton report: provenance');
    expect(run.html).toContain('<body class="">');
  }, 120_000);
});
