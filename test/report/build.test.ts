import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.js';
import type { EventFacts, RunRecord, SampleSummary } from '../../src/store/run-store.js';

const run: RunRecord = {
  id: 'r',
  name: 'unit',
  configHash: 'h',
  configJson: '{}',
  configFile: 'x.yaml',
  createdAt: 0,
  simulated: false,
  sessions: 1,
  status: 'complete',
  planned: 7,
  environment: {},
};

function sample(
  orchestrator: string,
  taskId: string,
  correct: boolean | null,
  extra: Partial<SampleSummary> = {},
): SampleSummary {
  return {
    sampleId: `${orchestrator}/s/${taskId}#0`,
    orchestrator,
    family: orchestrator,
    taskId,
    suite: 's',
    category: taskId.startsWith('a') ? 'alpha' : 'beta',
    kind: 'math',
    repeat: 0,
    seed: 0,
    status: correct === null ? 'error' : 'ok',
    correct,
    errorCode: correct === null ? 'provider_error' : null,
    costUsd: 0.01,
    latencyMs: 1000,
    scoringMs: 0,
    calls: 2,
    cachedCalls: 0,
    inputTokens: 10,
    outputTokens: 10,
    reasoningTokens: 0,
    simulated: false,
    isolation: null,
    meta: {},
    startedAt: 0,
    endedAt: 0,
    session: 1,
    ...extra,
  };
}

function facts(
  sampleId: string,
  step: number,
  start: number,
  end: number,
  provider: string,
  endpoint: string,
): EventFacts {
  return {
    sampleId,
    step,
    agentId: provider,
    role: 'panelist',
    cached: 0,
    orchestrator: sampleId.split('/')[0] as string,
    provider,
    endpoint,
    model: 'm',
    parent_step: null,
    input_bytes: 100,
    output_bytes: 50,
    input_tokens: 5,
    output_tokens: 5,
    reasoning_tokens: 0,
    cost_usd: 0.005,
    started_at: start,
    ended_at: end,
    latency_ms: end - start,
    failed: 0,
  };
}

describe('buildReport', () => {
  const samples = [
    sample('A', 'a1', true),
    sample('A', 'a2', true),
    sample('A', 'b1', true),
    sample('A', 'b2', null), // error: not a wrong answer, and not paired
    sample('B', 'a1', false),
    sample('B', 'a2', true),
    sample('B', 'b2', false), // A has no score on b2: left out of the pair
  ];
  const events = [
    // Two parallel calls (0–1000 and 500–1500) then one after (1500–2000): critical path 2000, summed 2500.
    facts('A/s/a1#0', 0, 0, 1000, 'openai-compatible', 'https://api.openai.com/v1'),
    facts('A/s/a1#0', 1, 500, 1500, 'anthropic', 'https://api.anthropic.com'),
    facts('A/s/a1#0', 2, 1500, 2000, 'openai-compatible', 'https://api.openai.com/v1'),
    facts('B/s/a1#0', 0, 0, 700, 'openai-compatible', 'https://api.openai.com/v1'),
  ];
  const report = buildReport({
    run,
    samples: () => samples,
    events: () => events,
    taskInfo: { clusterOf: (s, t) => `${s}/${t}`, suiteVersions: {}, clusterField: null, note: '' },
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
    expect(report.egress.vendorSets[set]).toEqual([
      'anthropic@api.anthropic.com',
      'openai-compatible@api.openai.com',
    ]);
    const openai = report.egress.rows.find((r) => r.orchestrator === 'A' && r.host === 'api.openai.com');
    expect(openai).toMatchObject({ calls: 2, samples: 1, inputBytes: 200, outputBytes: 100 });
  });

  it('puts the undominated orchestrators on the Pareto front', () => {
    // Same cost per task; A is more accurate.
    expect(report.pareto.filter((p) => p.onFront).map((p) => p.orchestrator)).toEqual(['A']);
  });
});
