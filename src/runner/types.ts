import type { Role } from '../orchestrators/types.js';
import type { ChatMessage, ModelParams, Usage } from '../providers/types.js';
import type { Isolation } from '../sandbox/types.js';
import type { ScoreDetail } from '../scoring/types.js';

/** One model call, exactly as it happened: the layer black-box orchestrators hide. */
export interface TraceEvent {
  sampleId: string;
  step: number;
  parentStep: number | null;
  orchestrator: string;
  agentId: string;
  provider: string;
  /** Where the request went (base URL); never credentials. */
  endpoint: string;
  model: string;
  role: Role;
  subtask: string | null;
  visibleSteps: number[];
  request: { messages: ChatMessage[]; params: ModelParams; seed: number };
  response: string | null;
  usage: Usage;
  costUsd: number;
  startedAt: number;
  endedAt: number;
  latencyMs: number;
  /** Served from the response cache: no request was sent and nothing was paid this time. */
  cached: boolean;
  attempts: number;
  /** Errors of failed attempts, then the final error if the call failed. */
  attemptErrors: string[];
  error: string | null;
}

export type SampleStatus = 'ok' | 'error';

/** One (orchestrator, task, repeat) outcome. An error is not a wrong answer: it is counted apart. */
export interface SampleResult {
  sampleId: string;
  orchestrator: string;
  family: string;
  taskId: string;
  suite: string;
  category: string;
  kind: string;
  repeat: number;
  seed: number;
  status: SampleStatus;
  answer: string | null;
  correct: boolean | null;
  score: ScoreDetail | null;
  errorCode: string | null;
  errorMessage: string | null;
  costUsd: number;
  /** Wall time of the orchestrator's solve (model calls), scoring excluded. */
  latencyMs: number;
  scoringMs: number;
  calls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  simulated: boolean;
  isolation: Isolation | null;
  meta: Record<string, unknown>;
  startedAt: number;
  endedAt: number;
  /** Which invocation of `baton run` (1 = first, 2 = first resume…) produced it. */
  session: number;
}
