import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import { exampleReport } from './fixtures.js';

describe('buildReport', () => {
  const report = exampleReport();

  it('names each suite grading mode in report.json and in the header of report.md', () => {
    const report = exampleReport();
    expect(report.grading).toEqual({ math: ['maths: equivalent'] });
    expect(renderMarkdown(report)).toContain('- grading: math — maths: equivalent (modes: docs/suites.md)');
  });

  it('compares A and B only on the items both scored', () => {
    const [pair] = report.paired;
    expect(pair).toMatchObject({
      a: 'A',
      b: 'B',
      shared: 2,
      bothCorrect: 1,
      onlyA: 1,
      onlyB: 0,
      bothWrong: 0,
    });
    expect(pair?.difference).toBe(0.5);
    expect(pair?.mcnemarP).toBe(1);
    expect(pair?.bootstrap.resamples).toBe(10_000);
  });

  it('counts errors apart from wrong answers', () => {
    const a = report.rows.find((r) => r.orchestrator === 'A');
    expect(a).toMatchObject({ samples: 4, scored: 3, errors: 1, correct: 3, accuracy: 1 });
    expect(report.errors).toEqual([{ orchestrator: 'A', code: 'provider_error', count: 1 }]);
  });

  it('separates the critical path of overlapping calls from summed model time', () => {
    const a = report.rows.find((r) => r.orchestrator === 'A');
    // Only a1 of A has events; b1/a2 have none and are not in the timing percentiles.
    expect(a?.criticalPathMs.p50).toBe(2000);
    expect(a?.summedModelMs.p50).toBe(2500);
  });

  it('lists the vendors that saw each sample and the bytes each received', () => {
    const set = report.egress.sampleVendors['A/s/a1#0'] as number;
    // Anthropic's own API names its company; behind a generic endpoint the model ('m') is the vendor.
    expect(report.egress.vendorSets[set]).toEqual(['Anthropic', 'm']);
    const openai = report.egress.rows.find((r) => r.orchestrator === 'A' && r.host === 'api.openai.com');
    expect(openai).toMatchObject({ calls: 2, samples: 1, inputBytes: 200, outputBytes: 100 });
  });

  it('puts the undominated orchestrators on the Pareto front', () => {
    // Same cost per task; A is more accurate.
    expect(report.pareto.filter((p) => p.onFront).map((p) => p.orchestrator)).toEqual(['A']);
  });
});
