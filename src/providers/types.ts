import type { z } from 'zod';
import type { Task } from '../suites/types.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ModelParams {
  temperature?: number | undefined;
  topP?: number | undefined;
  maxTokens?: number | undefined;
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high' | undefined;
}

export interface CompletionRequest {
  model: string;
  messages: ChatMessage[];
  params: ModelParams;
  /** Deterministic sampling seed, derived per sample and per repeated request by the runner. */
  seed: number;
  signal?: AbortSignal;
}

/** Token counts as the API reported them. `output` includes `reasoning` (billed as output). */
export interface Usage {
  input: number;
  output: number;
  reasoning: number;
  cachedInput: number;
}

export interface Completion {
  text: string;
  usage: Usage;
  latencyMs: number;
  /** The provider's response body, minus anything secret. */
  raw: unknown;
}

export type ProviderErrorKind =
  | 'rate_limit'
  | 'server'
  | 'timeout'
  | 'network'
  | 'malformed_response'
  | 'content_filter'
  | 'context_overflow'
  | 'auth'
  | 'bad_request';

/** A classified provider failure; the runner decides whether and when to retry. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return ['rate_limit', 'server', 'timeout', 'network', 'malformed_response'].includes(this.kind);
  }
}

/** The client serving a pool member. Providers never retry on their own: the runner owns retries. */
export interface Provider {
  complete(request: CompletionRequest): Promise<Completion>;
  /** True when answers are synthetic (the sim pool): every output built on them says so. */
  readonly simulated: boolean;
  /** Where requests go, for the data-egress record (never includes credentials). */
  readonly endpoint: string;
}

export interface PriceConfig {
  /** USD per 1M tokens. */
  input: number;
  output: number;
  cachedInput?: number | undefined;
}

/** The fields every pool member has, whatever its provider. */
export interface AgentConfig {
  id: string;
  provider: string;
  model: string;
  description?: string | undefined;
  params: ModelParams;
  price: PriceConfig;
}

export interface ProviderStartContext<A extends AgentConfig> {
  /** The pool members served by this provider kind. */
  agents: A[];
  /** The run's tasks (the simulated pool uses them as its answer key). */
  tasks: Task[];
  env: NodeJS.ProcessEnv;
  seed: number;
}

/** A provider kind: its pool-member config schema and how to start it. Adding one = one folder. */
export interface ProviderDefinition<S extends z.ZodObject = z.ZodObject> {
  kind: string;
  /** Schema of a pool member using this provider, including `provider: z.literal(kind)`. */
  agentSchema: S;
  start(ctx: ProviderStartContext<z.output<S> & AgentConfig>): Promise<ProviderInstance>;
}

/** A started provider kind: one client per pool member it serves, closed once at the end of a run. */
export interface ProviderInstance {
  clientFor(agentId: string): Provider;
  close(): Promise<void>;
}
