import type { z } from 'zod';
import type { AgentConfig, ChatMessage } from '../providers/types.js';
import type { Task } from '../suites/types.js';

/** What a model is asked to be in one call; recorded on every trace event. */
export type Role =
  | 'solver'
  | 'panelist'
  | 'judge'
  | 'synthesizer'
  | 'planner'
  | 'step'
  | 'thinker'
  | 'worker'
  | 'verifier'
  | 'router'
  | 'proposer'
  | 'aggregator'
  | 'endpoint';

export interface CallMeta {
  role: Role;
  /** The instruction this call works on when it differs from the task (plan steps). */
  subtask?: string;
  /** Trace steps whose outputs this call sees. */
  visibleSteps?: number[];
  /** The step that caused this call (e.g. the planner for plan steps). */
  parentStep?: number;
}

export interface CallOutput {
  /** This call's step number within the sample's trace. */
  step: number;
  agentId: string;
  text: string;
}

/**
 * The only way an orchestrator reaches a model: `call` records the trace event and applies
 * cache, budget, retries and concurrency.
 */
export interface OrchestratorContext {
  readonly task: Task;
  readonly pool: readonly AgentConfig[];
  /** Uniform [0, 1), seeded per sample. */
  random(): number;
  call(agentId: string, messages: ChatMessage[], meta: CallMeta): Promise<CallOutput>;
}

export interface Solution {
  answer: string;
  /** Family-specific facts worth keeping (plan resamples, judge failures…). */
  meta: Record<string, unknown>;
}

export interface Orchestrator {
  solve(ctx: OrchestratorContext): Promise<Solution>;
}

/** A reference from orchestrator options to a pool member, checked against the pool at config load. */
export interface AgentRef {
  path: (string | number)[];
  agentId: string;
}

/** An orchestrator family: its options schema and constructor. Adding one = one folder + one registry line. */
export interface OrchestratorDefinition<S extends z.ZodObject = z.ZodObject> {
  family: string;
  /** Includes `family: z.literal(family)` and `id`. */
  optionsSchema: S;
  agentRefs(options: z.output<S>): AgentRef[];
  /**
   * Fewest and most model calls one sample can make, and whether any pool member may be called
   * (beyond agentRefs): lets `baton run --dry-run` bound a run's cost without calling anything.
   */
  callBounds?(options: z.output<S>): { min: number; max: number; anyPoolMember?: boolean };
  create(options: z.output<S>, context: CreateContext): Orchestrator | Promise<Orchestrator>;
}

export interface CreateContext {
  /** Directory of the config file: relative paths in options (head files, backbones) start here. */
  configDir: string;
  pool: readonly AgentConfig[];
}

/** Failure of a whole sample for a reason that is not a wrong answer (recorded as an error). */
export class OrchestrationError extends Error {
  override name = 'OrchestrationError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
