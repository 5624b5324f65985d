import type { SampleResult, TraceEvent } from '../runner/types.js';
import type { RunRecord } from '../store/run-store.js';
import { quantile, sum, wilsonInterval } from './stats.js';
import type { AccuracyRow, Report, UsageRow } from './types.js';

export const SIMULATED_LABEL =
  "SIMULATED: every answer comes from baton's simulated pool (synthetic agents with configured skills); these figures say nothing about real models.";

/** Computes the report from what the store holds; nothing else goes in. */
export function buildReport(run: RunRecord, samples: SampleResult[], events: TraceEvent[]): Report {
  const simulated = run.simulated || samples.some((s) => s.simulated);
  const orchestrators = unique(samples.map((s) => s.orchestrator));
  const suites = unique(samples.map((s) => s.suite));
  const rows: AccuracyRow[] = [];
  for (const orchestrator of orchestrators) {
    const mine = samples.filter((s) => s.orchestrator === orchestrator);
    for (const suite of suites)
      rows.push(
        accuracyRow(
          orchestrator,
          suite,
          mine.filter((s) => s.suite === suite),
        ),
      );
    if (suites.length > 1) rows.push(accuracyRow(orchestrator, 'all', mine));
  }
  const taskIds: Record<string, string[]> = {};
  for (const suite of suites)
    taskIds[suite] = unique(samples.filter((s) => s.suite === suite).map((s) => s.taskId));
  const errorCounts = new Map<string, { orchestrator: string; code: string; count: number }>();
  for (const s of samples.filter((x) => x.status === 'error')) {
    const key = `${s.orchestrator}\u0000${s.errorCode}`;
    const row = errorCounts.get(key) ?? {
      orchestrator: s.orchestrator,
      code: s.errorCode ?? 'unknown',
      count: 0,
    };
    row.count++;
    errorCounts.set(key, row);
  }
  const excludedLatency = samples.filter((s) => s.cachedCalls > 0).length;
  return {
    schemaVersion: 1,
    simulated,
    label: simulated ? SIMULATED_LABEL : 'Measured on real providers.',
    run: {
      id: run.id,
      name: run.name,
      status: run.status,
      createdAt: new Date(run.createdAt).toISOString(),
      configFile: run.configFile,
      configHash: run.configHash,
      sessions: run.sessions,
      environment: run.environment,
    },
    generatedAt: new Date().toISOString(),
    samples: {
      planned: run.planned,
      recorded: samples.length,
      errors: samples.filter((s) => s.status === 'error').length,
    },
    taskIds,
    rows,
    byAgent: usageRows(events, (e) => e.agentId),
    byRole: usageRows(events, (e) => e.role),
    errors: [...errorCounts.values()],
    coordination: coordinationFacts(samples),
    notes: [
      'Accuracy counts scored samples only; samples that failed (provider errors after retries, orchestration failures) are listed under errors, not as wrong answers.',
      'Cost per task divides all money spent, failed samples included, by samples recorded; cost per solved task divides it by correct answers.',
      'Latency is the wall time of the orchestrator (model calls), scoring excluded.',
      ...(excludedLatency > 0
        ? [
            `${excludedLatency} samples reused cached responses after a resume and are left out of latency percentiles.`,
          ]
        : []),
      'The 95% interval on accuracy is the Wilson score interval.',
    ],
  };
}

function accuracyRow(orchestrator: string, suite: string, samples: SampleResult[]): AccuracyRow {
  const scored = samples.filter((s) => s.status === 'ok');
  const correct = scored.filter((s) => s.correct).length;
  const costUsd = sum(samples.map((s) => s.costUsd));
  const timed = scored.filter((s) => s.cachedCalls === 0).map((s) => s.latencyMs);
  const n = samples.length || 1;
  return {
    orchestrator,
    family: samples[0]?.family ?? '',
    suite,
    samples: samples.length,
    scored: scored.length,
    errors: samples.length - scored.length,
    correct,
    accuracy: scored.length > 0 ? correct / scored.length : null,
    ci95: wilsonInterval(correct, scored.length),
    costUsd,
    costPerTaskUsd: costUsd / n,
    costPerSolvedUsd: correct > 0 ? costUsd / correct : null,
    latencyMs: { p50: quantile(timed, 0.5), p95: quantile(timed, 0.95), samples: timed.length },
    callsPerTask: sum(samples.map((s) => s.calls)) / n,
    tokensPerTask: {
      input: sum(samples.map((s) => s.inputTokens)) / n,
      output: sum(samples.map((s) => s.outputTokens)) / n,
      reasoning: sum(samples.map((s) => s.reasoningTokens)) / n,
    },
    unisolatedCodeSamples: samples.filter((s) => s.kind === 'code' && s.isolation === 'none').length,
  };
}

function usageRows(events: TraceEvent[], keyOf: (e: TraceEvent) => string): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const e of events) {
    const key = keyOf(e);
    const id = `${e.orchestrator}\u0000${key}`;
    const row = rows.get(id) ?? {
      orchestrator: e.orchestrator,
      key,
      calls: 0,
      cachedCalls: 0,
      inputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
      costUsd: 0,
    };
    row.calls++;
    if (e.cached) row.cachedCalls++;
    row.inputTokens += e.usage.input;
    row.outputTokens += e.usage.output;
    row.reasoningTokens += e.usage.reasoning;
    row.costUsd += e.costUsd;
    rows.set(id, row);
  }
  return [...rows.values()].sort(
    (a, b) => a.orchestrator.localeCompare(b.orchestrator) || b.costUsd - a.costUsd,
  );
}

function coordinationFacts(samples: SampleResult[]): Report['coordination'] {
  const totals = new Map<string, { orchestrator: string; fact: string; total: number }>();
  for (const s of samples) {
    for (const [fact, value] of Object.entries(s.meta)) {
      const amount = typeof value === 'number' ? value : value === true ? 1 : undefined;
      if (amount === undefined) continue;
      const key = `${s.orchestrator}\u0000${fact}`;
      const row = totals.get(key) ?? { orchestrator: s.orchestrator, fact, total: 0 };
      row.total += amount;
      totals.set(key, row);
    }
  }
  return [...totals.values()].sort(
    (a, b) => a.orchestrator.localeCompare(b.orchestrator) || a.fact.localeCompare(b.fact),
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}
