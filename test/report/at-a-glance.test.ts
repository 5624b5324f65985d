import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.js';
import { MARKERS, PALETTE, seriesColour, seriesMarker } from '../../src/report/chart-style.js';
import { buildCharts } from '../../src/report/charts.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { smallSampleCheck } from '../../src/report/small-sample.js';
import type { AccuracyRow, PairedComparison, Report } from '../../src/report/types.js';
import type { CallFacts } from '../../src/store/reads.js';
import { mcnemarSampleSize } from '../../src/util/stats/power.js';
import { facts, run, sample } from './fixtures.js';

const taskInfo = {
  clusterOf: (s: string, t: string) => `${s}/${t}`,
  suiteVersions: {},
  grading: {},
  clusterField: null,
  note: '',
};

/** One call of `agentId` (model `model`, provider `provider` at `endpoint`) for orchestrator `o`'s sample. */
function call(o: string, agentId: string, model: string, provider: string, endpoint: string): CallFacts {
  return { ...facts(`${o}/s/a1#0`, 0, 0, 100, provider, endpoint), agentId, model };
}

function reportOf(calls: CallFacts[], pool: { id: string; model: string; vendor?: string }[] = []): Report {
  return buildReport({
    run: { ...run, configJson: JSON.stringify({ pool }) },
    samples: () => [sample('O', 'a1', true)],
    calls: () => calls,
    taskInfo,
  });
}

describe('chart series styles', () => {
  it('lists at least 20 distinct colours and never repeats one, however many series', () => {
    expect(PALETTE.length).toBeGreaterThanOrEqual(20);
    expect(new Set(PALETTE.map((c) => c.toLowerCase())).size).toBe(PALETTE.length);
    const colours = Array.from({ length: 500 }, (_, i) => seriesColour(i));
    expect(new Set(colours).size).toBe(500);
    expect(MARKERS).not.toContain('triangle'); // kept for simulated series in mixed runs
    expect(new Set(Array.from({ length: 10 }, (_, i) => seriesMarker(i))).size).toBe(MARKERS.length);
  });

  it('gives 25 orchestrators 25 different (colour, marker) pairs and legend colours, and labels each point', () => {
    const ids = Array.from({ length: 25 }, (_, i) => `orch-${String(i).padStart(2, '0')}`);
    const singles = ids.slice(0, 3);
    const report = buildReport({
      run: {
        ...run,
        configJson: JSON.stringify({
          orchestrators: ids.map((id) => ({ id, family: singles.includes(id) ? 'single' : 'vote' })),
        }),
      },
      samples: () =>
        ids.flatMap((o, i) => [
          sample(o, 'a1', i % 2 === 0, {
            family: singles.includes(o) ? 'single' : 'vote',
            costUsd: 0.01 * (i + 1),
          }),
          sample(o, 'b1', i % 3 === 0, {
            family: singles.includes(o) ? 'single' : 'vote',
            costUsd: 0.01 * (i + 1),
          }),
        ]),
      calls: () =>
        ids.flatMap((o, i) => [
          { ...facts(`${o}/s/a1#0`, 0, 0, 100 + i, 'sim', 'http://127.0.0.1:1/v1'), agentId: `agent-${i}` },
        ]),
      taskInfo,
    });
    const charts = buildCharts(report);
    const scatter = charts.find((c) => c.id === 'accuracy-vs-cost');
    const legend = (scatter?.config.data.datasets ?? []).filter((d) => !d.hideFromLegend);
    const series = legend.filter((d) => ids.includes(String(d.label)));
    expect(series).toHaveLength(25);
    expect(new Set(series.map((d) => `${String(d.borderColor)}|${String(d.pointStyle)}`)).size).toBe(25);
    // Every legend entry (series, Pareto front, oracle, random member) has its own colour.
    expect(legend.map((d) => d.label)).toEqual(
      expect.arrayContaining([
        'Pareto front',
        expect.stringMatching(/^oracle/),
        expect.stringMatching(/^random/),
      ]),
    );
    expect(new Set(legend.map((d) => String(d.borderColor))).size).toBe(legend.length);
    // Each orchestrator's point carries its name.
    for (const d of series) expect(d.pointLabel).toBe('each');
    const plugins = scatter?.config.options.plugins as { legend: { labels: object } } | undefined;
    expect(plugins?.legend.labels).toMatchObject({ usePointStyle: true });
    // Line and bar charts: no colour twice in one legend.
    for (const chart of charts) {
      const colours = chart.config.data.datasets
        .filter((d) => !d.hideFromLegend)
        .map((d) => String(d.borderColor ?? d.backgroundColor));
      expect(new Set(colours).size, chart.id).toBe(colours.length);
    }
    const latency = charts.find((c) => c.id === 'latency')?.config.data.datasets ?? [];
    expect(new Set(latency.map((d) => `${String(d.borderColor)}|${String(d.pointStyle)}`)).size).toBe(25);
    const byAgent = charts.find((c) => c.id === 'cost-by-agent')?.config.data.datasets ?? [];
    expect(byAgent).toHaveLength(25);
    expect(new Set(byAgent.map((d) => String(d.backgroundColor))).size).toBe(25);
  });
});

describe('data egress by vendor', () => {
  const endpoint = 'http://localhost:8000/v1';

  it('gives three models behind one local endpoint three rows', () => {
    const report = reportOf([
      call('O', 'qwen', 'Qwen/Qwen3-32B', 'openai-compatible', endpoint),
      call('O', 'llama', 'meta-llama/Llama-3.3-70B', 'openai-compatible', endpoint),
      call('O', 'gemma', 'google/gemma-3-27b', 'openai-compatible', endpoint),
      call('O', 'qwen', 'Qwen/Qwen3-32B', 'openai-compatible', endpoint),
    ]);
    expect(report.egress.rows.map((r) => [r.vendor, r.host, r.agents, r.calls])).toEqual([
      ['google/gemma-3-27b', 'localhost', ['gemma'], 1],
      ['meta-llama/Llama-3.3-70B', 'localhost', ['llama'], 1],
      ['Qwen/Qwen3-32B', 'localhost', ['qwen'], 2],
    ]);
    // Per sample: the set of vendors that saw it (sorted by code unit).
    expect(report.egress.vendorSets).toEqual([
      ['Qwen/Qwen3-32B', 'google/gemma-3-27b', 'meta-llama/Llama-3.3-70B'],
    ]);
  });

  it("names a vendor's own API after the company", () => {
    const report = reportOf([
      call('O', 'gpt', 'gpt-5', 'openai', 'https://api.openai.com/v1'),
      call('O', 'mini', 'gpt-5-mini', 'openai', 'https://api.openai.com/v1'),
      call('O', 'claude', 'claude-sonnet-4', 'anthropic', 'https://api.anthropic.com'),
      call('O', 'gemini', 'gemini-2.5-pro', 'gemini', 'https://generativelanguage.googleapis.com'),
    ]);
    expect(report.egress.rows.map((r) => [r.vendor, r.models])).toEqual([
      ['Anthropic', ['claude-sonnet-4']],
      ['Google', ['gemini-2.5-pro']],
      ['OpenAI', ['gpt-5', 'gpt-5-mini']],
    ]);
  });

  it('lets a declared vendor win over the default', () => {
    const calls = [
      call('O', 'qwen', 'Qwen/Qwen3-32B', 'openai-compatible', endpoint),
      call('O', 'llama', 'meta-llama/Llama-3.3-70B', 'openai-compatible', endpoint),
      call('O', 'gpt', 'gpt-5', 'openai', 'https://api.openai.com/v1'),
    ];
    const report = reportOf(calls, [
      { id: 'qwen', model: 'Qwen/Qwen3-32B', vendor: 'Our vLLM cluster' },
      { id: 'llama', model: 'meta-llama/Llama-3.3-70B', vendor: 'Our vLLM cluster' },
      { id: 'gpt', model: 'gpt-5', vendor: 'Azure OpenAI' },
    ]);
    expect(report.egress.rows.map((r) => [r.vendor, r.agents, r.calls])).toEqual([
      ['Azure OpenAI', ['gpt'], 1],
      ['Our vLLM cluster', ['llama', 'qwen'], 2],
    ]);
    expect(renderMarkdown(report)).toMatch(
      /^\| O \| Our vLLM cluster \| [^|]+\(llama, qwen\) \| openai-compatible @ localhost \| 2 \|/m,
    );
  });
});

describe('small-sample banner', () => {
  const row = (orchestrator: string, scored: number): AccuracyRow =>
    ({ orchestrator, suite: 'all', scored, correct: Math.round(scored / 2) }) as AccuracyRow;
  const pair = (shared: number, discordant: number): PairedComparison =>
    ({
      suite: 'all',
      a: 'A',
      b: 'B',
      shared,
      onlyA: discordant / 2,
      onlyB: discordant / 2,
    }) as PairedComparison;
  // 30 % of items discordant: Connor's n for δ = 0.05 at 80 % power, α = 0.05 two-sided.
  const required = mcnemarSampleSize(0.05, 0.3);

  it('appears below the required n, with the n and the formula source, and not at or above it', () => {
    expect(required).toBeGreaterThan(900);
    const small = smallSampleCheck(
      [row('A', required - 1), row('B', required - 1)],
      [pair(1000, 300)],
      'all',
    );
    expect(small).toMatchObject({
      small: true,
      requiredItems: required,
      fewestItems: required - 1,
      below: ['A', 'B'],
    });
    expect(small.discordant).toBeCloseTo(0.3, 12);
    expect(small.message).toContain(`n ≥ ${required}`);
    expect(small.message).toContain('Connor (1987)');
    expect(small.message).toContain('Biometrics 43(1):207–211');

    const enough = smallSampleCheck([row('A', required), row('B', required + 50)], [pair(1000, 300)], 'all');
    expect(enough).toMatchObject({ small: false, message: null, requiredItems: required, below: [] });
  });

  it('names only the orchestrators below it', () => {
    const some = smallSampleCheck([row('A', required), row('B', 40)], [pair(1000, 300)], 'all');
    expect(some.below).toEqual(['B']);
    expect(some.message).toContain('1 of 2 orchestrators');
  });

  it('falls back on 2p(1 − p) without paired comparisons', () => {
    const one = smallSampleCheck([row('A', 100)], [], 'all');
    expect(one.discordantFrom).toBe('accuracy');
    expect(one.discordant).toBeCloseTo(0.5, 12);
    expect(one.requiredItems).toBe(mcnemarSampleSize(0.05, 0.5));
  });

  it('is printed under the label of report.md, and in report.json, only when small', () => {
    const report = buildReport({
      run,
      samples: () => [
        sample('A', 'a1', true),
        sample('B', 'a1', false),
        sample('A', 'a2', false),
        sample('B', 'a2', false),
      ],
      calls: () => [],
      taskInfo,
    });
    expect(report.smallSample.small).toBe(true);
    const md = renderMarkdown(report);
    expect(md).toContain(`> **Small sample:** detecting a 5-point accuracy difference`);
    expect(md.indexOf('Small sample')).toBeLessThan(md.indexOf('## Results'));
    const big: Report = { ...report, smallSample: { ...report.smallSample, small: false, message: null } };
    expect(renderMarkdown(big)).not.toContain('Small sample');
  });
});
