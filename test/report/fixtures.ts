import { buildReport } from '../../src/report/build.js';
import type { Report } from '../../src/report/types.js';
import type { CallFacts, SampleSummary } from '../../src/store/reads.js';
import type { RunRecord } from '../../src/store/records.js';

export const run: RunRecord = {
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

export function sample(
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
    provenance: { live: 2, simulated: 0, replayed: 0 },
    isolation: null,
    meta: {},
    startedAt: 0,
    endedAt: 0,
    session: 1,
    ...extra,
  };
}

export function facts(
  sampleId: string,
  step: number,
  start: number,
  end: number,
  provider: string,
  endpoint: string,
  provenance: CallFacts['provenance'] = 'live',
): CallFacts {
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
    provenance,
    shared_cache: 0,
  };
}

/** Two orchestrators over four tasks: A scores where B does not, one error, parallel calls to two vendors. */
export function exampleReport(): Report {
  const samples = [
    sample('A', 'a1', true),
    sample('A', 'a2', true),
    sample('A', 'b1', true),
    sample('A', 'b2', null), // error: not a wrong answer, and not paired
    sample('B', 'a1', false),
    sample('B', 'a2', true),
    sample('B', 'b2', false), // A has no score on b2: left out of the pair
  ];
  const calls = [
    // Two parallel calls (0–1000 and 500–1500) then one after (1500–2000): critical path 2000, summed 2500.
    facts('A/s/a1#0', 0, 0, 1000, 'openai-compatible', 'https://api.openai.com/v1'),
    facts('A/s/a1#0', 1, 500, 1500, 'anthropic', 'https://api.anthropic.com'),
    facts('A/s/a1#0', 2, 1500, 2000, 'openai-compatible', 'https://api.openai.com/v1'),
    facts('B/s/a1#0', 0, 0, 700, 'openai-compatible', 'https://api.openai.com/v1'),
  ];
  return buildReport({
    run,
    samples: () => samples,
    calls: () => calls,
    taskInfo: {
      clusterOf: (s, t) => `${s}/${t}`,
      suiteVersions: {},
      grading: { math: ['maths: equivalent'] },
      clusterField: null,
      note: '',
    },
  });
}
