import type { Interval } from './stats.js';

export interface AccuracyRow {
  orchestrator: string;
  family: string;
  /** A suite id, or 'all'. */
  suite: string;
  /** Samples recorded, errors included. */
  samples: number;
  /** Samples scored (no error). */
  scored: number;
  errors: number;
  correct: number;
  accuracy: number | null;
  ci95: Interval;
  costUsd: number;
  costPerTaskUsd: number;
  costPerSolvedUsd: number | null;
  latencyMs: { p50: number | null; p95: number | null; samples: number };
  callsPerTask: number;
  tokensPerTask: { input: number; output: number; reasoning: number };
  /** Code samples graded without isolation (local driver). */
  unisolatedCodeSamples: number;
}

export interface UsageRow {
  orchestrator: string;
  /** Agent id or role. */
  key: string;
  calls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
}

export interface Report {
  schemaVersion: 1;
  /** True when any answer came from the simulated pool: every figure is then synthetic. */
  simulated: boolean;
  label: string;
  run: {
    id: string;
    name: string;
    status: string;
    createdAt: string;
    configFile: string;
    configHash: string;
    sessions: number;
    environment: Record<string, unknown>;
  };
  generatedAt: string;
  samples: { planned: number; recorded: number; errors: number };
  /** The task ids every orchestrator ran, per suite. */
  taskIds: Record<string, string[]>;
  rows: AccuracyRow[];
  byAgent: UsageRow[];
  byRole: UsageRow[];
  errors: { orchestrator: string; code: string; count: number }[];
  /** Per orchestrator, totals of what its samples reported: numbers summed, flags counted (e.g. plan resamples). */
  coordination: { orchestrator: string; fact: string; total: number }[];
  notes: string[];
}
