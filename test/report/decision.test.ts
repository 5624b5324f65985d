import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.js';
import { chooseBaseline, comparisonOrder, decisionResamples, verdictOf } from '../../src/report/decision.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { disagreement } from '../../src/report/paired.js';
import type { AccuracyRow } from '../../src/report/types.js';
import type { SampleSummary } from '../../src/store/reads.js';
import { mcnemarExactP } from '../../src/util/stats/mcnemar.js';
import { mcnemarMinimumDetectableEffect } from '../../src/util/stats/power.js';
import { fourWayReport } from './decision-fixture.js';
import { run, sample } from './fixtures.js';

function row(
  orchestrator: string,
  family: string,
  costPerTaskUsd: number,
  accuracy: number | null = 0.5,
): AccuracyRow {
  return {
    orchestrator,
    family,
    suite: 'all',
    samples: 10,
    scored: 10,
    costPerTaskUsd,
    accuracy,
  } as AccuracyRow;
}

describe('default baseline', () => {
  it('is the single-family orchestrator with the lowest mean cost per sample', () => {
    const rows = [
      row('fusion', 'fusion', 0.001), // cheaper, but not a single model
      row('single-gpt', 'single', 0.02),
      row('single-qwen', 'single', 0.004),
      row('single-gemma', 'single', 0.009),
    ];
    expect(chooseBaseline(rows, null)).toMatchObject({ baseline: 'single-qwen', rule: 'cheapest single' });
  });

  it('breaks ties by id and never picks an ablation arm or an orchestrator without samples', () => {
    const rows = [
      row('single-b', 'single', 0.004),
      row('single-a', 'single', 0.004),
      row('single-a[-x]', 'single', 0.001),
      { ...row('single-0', 'single', 0), samples: 0 },
    ];
    expect(chooseBaseline(rows, null, new Set(['single-a[-x]'])).baseline).toBe('single-a');
  });

  it('is the cheapest orchestrator when the run has no single model', () => {
    const choice = chooseBaseline(
      [row('moa', 'moa', 0.03), row('vote', 'vote', 0.01), row('fusion', 'fusion', 0.02)],
      null,
    );
    expect(choice).toMatchObject({ baseline: 'vote', rule: 'cheapest' });
    expect(choice.note).toContain('no single-model orchestrator');
  });

  it('follows report.baseline, and falls back (saying so) when it has no samples', () => {
    const rows = [row('single-qwen', 'single', 0.004), row('fusion', 'fusion', 0.03)];
    expect(chooseBaseline(rows, 'fusion')).toMatchObject({ baseline: 'fusion', rule: 'configured' });
    const fallback = chooseBaseline(rows, 'plan');
    expect(fallback).toMatchObject({ baseline: 'single-qwen', rule: 'cheapest single' });
    expect(fallback.note).toMatch(/^report\.baseline 'plan' has no samples in this run; single-qwen/);
    expect(chooseBaseline([], null).baseline).toBeNull();
  });
});

describe('verdicts', () => {
  it('are better / worse only at Holm-adjusted p ≤ α, in the direction that is good for each figure', () => {
    expect(verdictOf(0.01, 0.08, 1)).toBe('better'); // accuracy up
    expect(verdictOf(0.01, -0.08, 1)).toBe('worse');
    expect(verdictOf(0.01, -0.3, -1)).toBe('better'); // cost or latency down
    expect(verdictOf(0.01, 0.3, -1)).toBe('worse');
    expect(verdictOf(0.05, 0.08, 1)).toBe('better'); // at α exactly: rejected (p̃ ≤ α)
    expect(verdictOf(0.0501, 0.08, 1)).toBe('not distinguishable');
    expect(verdictOf(null, 0.08, 1)).toBe('not distinguishable');
    expect(verdictOf(0.01, null, 1)).toBe('not distinguishable');
    expect(verdictOf(0.01, 0, 1)).toBe('not distinguishable');
  });

  it('resample cost and latency 10 000 times up to 200 items, then about 2·10⁶ item draws, at least 200', () => {
    expect(decisionResamples(40)).toBe(10_000);
    expect(decisionResamples(200)).toBe(10_000);
    expect(decisionResamples(2_000)).toBe(1_000);
    expect(decisionResamples(4_000)).toBe(500);
    expect(decisionResamples(1_000_000)).toBe(200);
  });
});

describe('order of orchestrators', () => {
  it('puts the baseline first, then by accuracy (highest first), then by id; unscored last', () => {
    const rows = [
      row('a-low', 'x', 0, 0.3),
      row('b-top', 'x', 0, 0.9),
      row('c-base', 'single', 0, 0.5),
      row('d-tie', 'x', 0, 0.6),
      row('e-tie', 'x', 0, 0.6),
      row('f-none', 'x', 0, null),
    ];
    expect(
      comparisonOrder(['a-low', 'b-top', 'c-base', 'd-tie', 'e-tie', 'f-none', 'g-norow'], rows, 'c-base'),
    ).toEqual(['c-base', 'b-top', 'd-tie', 'e-tie', 'a-low', 'f-none', 'g-norow']);
  });
});

describe('decision summary (report.json `decision`)', () => {
  const report = fourWayReport();
  const d = report.decision;

  it('compares every orchestrator with the cheapest single model, in the pairwise order', () => {
    expect(d).toMatchObject({
      suite: 's',
      baseline: 'single-cheap',
      baselineRule: 'cheapest single',
      alpha: 0.05,
    });
    expect(d.rows.map((r) => r.orchestrator)).toEqual(['strong', 'close', 'single-dear']);
    // Holm over accuracy, $/solved and p50 latency of each row.
    expect(d.comparisons).toBe(9);
  });

  it('orders the pairwise matrix baseline first, then by accuracy — not alphabetically', () => {
    expect(report.paired.map((p) => `${p.a}/${p.b}`)).toEqual([
      'single-cheap/strong',
      'single-cheap/close',
      'single-cheap/single-dear',
      'strong/close',
      'strong/single-dear',
      'close/single-dear',
    ]);
  });

  it('gives accuracy Δ in points with the mirrored paired interval, McNemar p, Holm p and the MDE', () => {
    const strong = d.rows[0];
    const pair = report.paired[0];
    if (!strong || !pair) throw new Error('missing rows');
    expect(strong.accuracy).toMatchObject({
      items: 40,
      baseline: 0.5,
      value: 0.9,
      onlyOrchestrator: 16,
      onlyBaseline: 0,
    });
    expect(strong.accuracy.difference).toBeCloseTo(0.4, 12);
    expect(strong.accuracy.ci95).toEqual({ low: -pair.ci95.high, high: -pair.ci95.low });
    expect(strong.accuracy.p).toBe(pair.mcnemarP);
    expect(strong.accuracy.holmP as number).toBeGreaterThanOrEqual(strong.accuracy.p as number);
    expect(strong.verdict).toBe('better');
    expect(strong.discordant).toBeCloseTo(16 / 40, 12);
    expect(strong.minimumDetectableEffect).toBeCloseTo(
      mcnemarMinimumDetectableEffect(40, 0.4, { alpha: 0.05, power: 0.8, sides: 2 }),
      12,
    );

    const close = d.rows[1];
    expect(close?.accuracy.difference).toBeCloseTo(0.05, 12);
    expect(close?.verdict).toBe('not distinguishable');
    expect(close?.mdeAtLeast).toBe(true); // 2 discordant items of 40: not even a 5-point gap is detectable
    expect(close?.summary).toMatch(
      /^Accuracy not distinguishable from single-cheap \(\+5\.0 pp; at n = 40 only a gap of more than 5\.0 pp/,
    );
  });

  it('gives $/solved and p50 latency Δ relative to the baseline with bootstrap intervals', () => {
    const strong = d.rows[0];
    if (!strong) throw new Error('missing row');
    // 40 × 0.006 / 36 solved vs 40 × 0.001 / 20 solved.
    expect(strong.costPerSolved.value).toBeCloseTo(0.24 / 36, 12);
    expect(strong.costPerSolved.baseline).toBeCloseTo(0.04 / 20, 12);
    expect(strong.costPerSolved.relative).toBeCloseTo(0.24 / 36 / (0.04 / 20) - 1, 12);
    const ci = strong.costPerSolved.ci95;
    expect(ci?.low).toBeLessThan(strong.costPerSolved.relative as number);
    expect(ci?.high).toBeGreaterThan(strong.costPerSolved.relative as number);
    expect(strong.costPerSolved.verdict).toBe('worse');
    // Median 3019.5 ms vs 1019.5 ms: every resample's ratio is about 3.
    expect(strong.latencyP50.relative).toBeCloseTo(3019.5 / 1019.5 - 1, 12);
    expect(strong.latencyP50.verdict).toBe('worse');
    // Wald on the log ratio with the bootstrap SE: no 2/(B + 1) floor.
    expect(strong.latencyP50.p).toBeLessThan(1e-6);
    expect(strong.summary).toBe(
      'More accurate than single-cheap (+40.0 pp); costlier per solved task (+233%); slower at p50 (+196%).',
    );
    // Same cost per sample and the same latencies: nothing to tell apart.
    expect(d.rows[1]?.latencyP50.verdict).toBe('not distinguishable');
  });

  it('is deterministic: rebuilt, the same numbers', () => {
    expect(fourWayReport().decision).toEqual(d);
  });

  it('follows report.baseline from the run config', () => {
    const configured = fourWayReport(JSON.stringify({ report: { baseline: 'strong' } }));
    expect(configured.decision).toMatchObject({ baseline: 'strong', baselineRule: 'configured' });
    expect(configured.paired[0]).toMatchObject({ a: 'strong', b: 'close' });
    expect(configured.decision.rows[2]?.accuracy.difference).toBeCloseTo(-0.4, 12);
  });

  it('opens report.md: above the run facts, the results and the pairwise table', () => {
    const md = renderMarkdown(report);
    const at = (s: string) => md.indexOf(s);
    expect(at('## Decision summary: every orchestrator vs single-cheap')).toBeGreaterThan(0);
    expect(at('## Decision summary')).toBeLessThan(at('- run: `'));
    expect(at('## Decision summary')).toBeLessThan(at('## Results'));
    expect(at('## Results')).toBeLessThan(at('## Paired comparisons'));
    expect(md).toContain('| strong | better |');
    expect(md).toContain('+40.0 pp (');
    // p-values far in the tail read as such, never 0.
    expect(md).not.toContain('0.0e+0');
  });
});

describe('McNemar vs bootstrap disagreement', () => {
  it('is explained when exactly one of the two calls the difference significant', () => {
    expect(disagreement(40, 9, 1, { low: 0.05, high: 0.35 }, 0.02)).toBeNull();
    expect(disagreement(40, 2, 1, { low: -0.1, high: 0.1 }, 1)).toBeNull();
    const mcnemarOnly = disagreement(200, 9, 1, { low: -0.002, high: 0.08 }, 0.021);
    expect(mcnemarOnly).toMatch(/^Tests disagree: McNemar p = 0\.021 < 0\.05, but the bootstrap interval/);
    expect(mcnemarOnly).toContain('only the 10 discordant items (9 only A right vs 1 only B right)');
    expect(mcnemarOnly).toContain('all 200 shared items');
    const bootstrapOnly = disagreement(12, 5, 0, { low: 0.083, high: 0.75 }, 0.0625);
    expect(bootstrapOnly).toMatch(
      /^Tests disagree: the bootstrap interval \(\+8\.3 pp to \+75\.0 pp\) excludes 0, but McNemar p = 0\.063/,
    );
  });
});

describe('accuracy p with repeats', () => {
  it('counts clusters, not repeats: 10 identical repeats of 6 split tasks are 6 independent units', () => {
    // 5 tasks where the orchestrator is right and the baseline wrong, 1 the other way round, 4 both
    // right; each task repeated 10 times with the same outcome. Over 100 items McNemar would see 50
    // against 10 (p ≈ 1e-7); over the 6 split tasks the sign test sees 5 against 1 (p = 0.21875).
    const samples: SampleSummary[] = [];
    for (let t = 0; t < 10; t++) {
      for (let r = 0; r < 10; r++) {
        const id = `t${t}`;
        const mine = t < 5 || t >= 6;
        const theirs = t === 5 || t >= 6;
        const at = { repeat: r, latencyMs: 1000 + t };
        samples.push({
          ...sample('base', id, theirs, { family: 'single', costUsd: 0.001, ...at }),
          sampleId: `base/s/${id}#${r}`,
        });
        samples.push({
          ...sample('other', id, mine, { family: 'vote', costUsd: 0.002, ...at }),
          sampleId: `other/s/${id}#${r}`,
        });
      }
    }
    const report = buildReport({
      run: { ...run, configJson: '{}', planned: samples.length },
      samples: () => samples,
      calls: () => [],
      taskInfo: {
        clusterOf: (s, t) => `${s}/${t}`,
        suiteVersions: {},
        grading: {},
        clusterField: null,
        note: '',
      },
    });
    const other = report.decision?.rows.find((r) => r.orchestrator === 'other');
    const pair = report.paired[0];
    expect(pair?.mcnemarP).toBeLessThan(1e-6);
    expect(pair?.shared).toBe(100);
    expect(other?.accuracy.items).toBe(100);
    expect(other?.accuracy.p).toBeCloseTo(mcnemarExactP(5, 1), 12);
    expect(other?.accuracy.p).toBeCloseTo(0.21875, 12);
    expect(other?.verdict).toBe('not distinguishable');
    expect(other?.discordant).toBeCloseTo(6 / 10, 12);
    expect(other?.minimumDetectableEffect).toBeCloseTo(
      mcnemarMinimumDetectableEffect(10, 0.6, { alpha: 0.05, power: 0.8, sides: 2 }),
      12,
    );
  });
});
