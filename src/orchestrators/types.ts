import type { z } from 'zod';
import type { AgentConfig, ChatMessage, ProviderError } from '../providers/types.js';
import type { AnswerReader } from '../scoring/types.js';
import type { Task } from '../suites/types.js';

/** What a model is asked to be in one call; recorded on every trace event. */
/** One entry of a config's `orchestrators:` list, as validated by its family's options schema. */
export type OrchestratorOptions = { id: string; family: string } & Record<string, unknown>;

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
 * Thrown by `call` when a call failed after its retries (or was refused: outage, recursion depth).
 * Orchestrators that can go on without that call catch it; anything else thrown by `call` (budget
 * stops, replay gaps) must propagate.
 */
export class CallFailed extends Error {
  override name = 'CallFailed';
  constructor(readonly error: ProviderError) {
    super(`${error.kind}: ${error.message}`);
  }
}

/** Runs a call, or returns null when it failed: for orchestrators that route around a lost agent. */
export async function callOrNull(
  ctx: OrchestratorContext,
  ...args: Parameters<OrchestratorContext['call']>
): Promise<CallOutput | null> {
  try {
    return await ctx.call(...args);
  } catch (err) {
    if (err instanceof CallFailed) return null;
    throw err;
  }
}

/**
 * The only way an orchestrator reaches a model: `call` records the trace event and applies
 * cache, budget, retries and concurrency.
 */
export interface OrchestratorContext {
  readonly task: Task;
  /**
   * The pool members this sample may call: an ablation's dropped agents and orchestrator members past
   * their recursion depth are absent. Families route around missing members (see AgentRef.routable).
   */
  readonly pool: readonly AgentConfig[];
  /** Uniform [0, 1), seeded per sample. */
  random(): number;
  /** Answers as the task's grader reads and compares them (what a vote counts). */
  readonly answers: AnswerReader;
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
  /**
   * One member of a list the family routes around when the agent is missing (a panel shrinks, a head's
   * logit is masked). A dropped agent behind a non-routable ref (a judge, a planner, `single`'s agent)
   * means the orchestrator cannot run; so does a list whose every member is dropped.
   */
  routable?: boolean;
}

/** Which sample the dry-run estimate describes: a typical one, or the longest path the family allows. */
export type EstimateScenario = 'expected' | 'high';

/** One model call of a sample as the dry-run estimate sees it. */
export interface EstimatedCall {
  /**
   * Pool members that may answer it: one for a fixed call; the candidates when a coordinator picks
   * (priced at their mean for a typical sample, at the dearest for the high end).
   */
  agents: readonly string[];
  /** What it is sent, without the earlier outputs it sees (the estimate adds those at their length). */
  messages: ChatMessage[];
  /** Indices of earlier calls of the same sample whose outputs it sees. */
  sees: readonly number[];
}

/** Earlier calls' indices 0..n-1. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** An orchestrator family: its options schema and constructor. Adding one = one folder + one registry line. */
export interface OrchestratorDefinition<S extends z.ZodObject = z.ZodObject> {
  family: string;
  /** Includes `family: z.literal(family)` and `id`. */
  optionsSchema: S;
  agentRefs(options: z.output<S>): AgentRef[];
  /**
   * The model calls one sample makes, built with the family's real prompts, for the cost estimate of
   * `baton run --dry-run` (nothing is called): a typical sample (`expected`) and the longest path the
   * family allows (`high`: every turn or step, one format resample). Pool: the members the sample may
   * call. A family without it gets no estimate.
   */
  estimateCalls?(
    options: z.output<S>,
    task: Task,
    scenario: EstimateScenario,
    pool: readonly AgentConfig[],
  ): EstimatedCall[];
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
