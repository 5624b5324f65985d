import { join } from 'node:path';
import { COMPARE_DEFAULTS } from '../report/compare/defaults.js';
import { type Comparison, compareRecords } from '../report/compare/gate.js';
import { aggregateCalls } from '../report/event-pass.js';
import { provenanceLabel } from '../report/provenance.js';
import { aggregateSamples } from '../report/sample-pass.js';
import type { AccuracyRow } from '../report/types.js';
import { ReadOnlyStore } from '../store/read-only.js';
import type { RunRecord, SampleResult } from '../store/records.js';
import { STORE_FILE } from '../store/run-dir.js';
import { CorruptStoreError, UsageError } from '../util/errors.js';

/** One run's figures, read from its store (never from report.json, which may be stale or missing). */
export interface RunFigures {
  /** The run folder's name. */
  id: string;
  runDir: string;
  run: RunRecord;
  /** The report's provenance sentence (SIMULATED… / Measured on real providers…). */
  label: string;
  /**
   * report.json's `rows`, computed by the same passes over the same store: one per orchestrator and
   * suite, plus suite `all` when the run has several suites.
   */
  rows: AccuracyRow[];
  samples: SampleResult[];
}

/**
 * Reads a run's figures read-only. Each task is its own cluster (the report's default; only the
 * clustered standard error, which the side-by-side does not show, depends on that).
 */
export function readRunFigures(id: string, runDir: string): RunFigures {
  const file = join(runDir, STORE_FILE);
  const store = ReadOnlyStore.open(file);
  try {
    const run = store.getRun();
    if (!run) throw new CorruptStoreError(file, 'it holds no run record');
    const calls = aggregateCalls(store.iterateCallFacts());
    const pass = aggregateSamples(
      store.iterateSampleSummaries(),
      (suite, task) => `${suite}/${task}`,
      calls.timing,
    );
    return {
      id,
      runDir,
      run,
      label: provenanceLabel({ ...calls.provenance, inferred: run.provenanceInferred === true }),
      rows: pass.rows,
      samples: store.samples(),
    };
  } finally {
    store.close();
  }
}

/** `baton compare` of one orchestrator of the baseline run against the same orchestrator of another run. */
export type OrchestratorComparison =
  | { orchestrator: string; comparison: Comparison }
  /** Why there is nothing to compare (no scored samples, no shared items). */
  | { orchestrator: string; problem: string };

/** A run against the baseline: every orchestrator id the two share, compared as `baton compare` would. */
export interface RunComparison {
  baseline: string;
  candidate: string;
  results: OrchestratorComparison[];
  /** Orchestrators in only one of the two runs: in the descriptive table only. */
  onlyBaseline: string[];
  onlyCandidate: string[];
}

/** Each run after the first against the first (the baseline A; the other is the candidate B). */
export function compareWithBaseline(runs: readonly RunFigures[]): RunComparison[] {
  const [baseline, ...others] = runs;
  if (!baseline) return [];
  const idsOf = (r: RunFigures) => [...new Set(r.rows.map((row) => row.orchestrator))];
  return others.map((candidate) => {
    const inCandidate = new Set(idsOf(candidate));
    const inBaseline = new Set(idsOf(baseline));
    const shared = idsOf(baseline).filter((o) => inCandidate.has(o));
    return {
      baseline: baseline.id,
      candidate: candidate.id,
      results: shared.map((orchestrator) => {
        try {
          return {
            orchestrator,
            comparison: compareRecords(
              { runDir: baseline.runDir, orchestrator, run: baseline.run, samples: baseline.samples },
              { runDir: candidate.runDir, orchestrator, run: candidate.run, samples: candidate.samples },
              COMPARE_DEFAULTS,
            ),
          };
        } catch (err) {
          if (err instanceof UsageError) return { orchestrator, problem: err.message };
          throw err;
        }
      }),
      onlyBaseline: [...inBaseline].filter((o) => !inCandidate.has(o)),
      onlyCandidate: [...inCandidate].filter((o) => !inBaseline.has(o)),
    };
  });
}
