import type { z } from 'zod';
import type { Task } from '../suites/types.js';
import type { Provenance } from './provenance.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ModelParams {
  temperature?: number | undefined;
  topP?: number | undefined;
  maxTokens?: number | undefined;
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high' | undefined;
  /** Thinking tokens allowed (Anthropic extended thinking `budget_tokens`, Gemini `thinkingBudget`). */
  thinkingBudget?: number | undefined;
}

export interface CompletionRequest {
  model: string;
  messages: ChatMessage[];
  params: ModelParams;
  /** Deterministic sampling seed, derived per sample and per repeated request by the runner. */
  seed: number;
  /**
   * Hash naming this call within the run (sample, model, parameters, messages, seed) and the attempt
   * number: live providers ignore them; the replay provider serves the recorded attempt they name.
   */
  callKey?: string;
  attempt?: number;
}

/**
 * Token counts as the API reported them, normalised so that every provider means the same thing:
 * `input` counts every prompt token (cache reads and cache writes included), `output` every generated
 * token (reasoning included, as every API bills it). The other counts are parts of those two.
 */
export interface Usage {
  input: number;
  output: number;
  /** Part of `output`; 0 when the API does not report it apart (Anthropic bills thinking inside output_tokens). */
  reasoning: number;
  /** Part of `input` read from a prompt cache. */
  cachedInput: number;
  /** Part of `input` written to a prompt cache (Anthropic), all lifetimes. */
  cacheWrite: number;
  /** Part of `cacheWrite` written with the 1-hour lifetime (billed higher than the 5-minute default). */
  cacheWrite1h: number;
  /** USD the endpoint itself reported for the call (OpenRouter `usage.cost`), when it reports one. */
  reportedCostUsd?: number | undefined;
}

export interface Completion {
  text: string;
  usage: Usage;
  latencyMs: number;
  /** The provider's response body, minus anything secret. */
  raw: unknown;
}

/**
 * What the response cache keeps of a completion: all a cache hit replays (the raw body is not), and
 * where the answer came from (absent from responses cached before baton recorded it).
 */
export type CachedCompletion = Pick<Completion, 'text' | 'usage' | 'latencyMs'> & {
  provenance?: Provenance | undefined;
  /**
   * USD this run paid for it (0 for a replay, and for an answer from the shared cache); absent from
   * responses cached before baton recorded it.
   */
  costUsd?: number | undefined;
  /** Set when the answer came from the response cache shared across runs: another run bought it. */
  sharedCache?: SharedCacheOrigin | undefined;
};

/** An answer from the response cache shared across runs: which run bought it, when, for how much. */
export interface SharedCacheOrigin {
  runId: string;
  /** When it was written to the shared cache (ms since the epoch). */
  cachedAt: number;
  /** USD the call that bought it paid (failed-but-billed attempts included). */
  paidUsd: number;
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
  | 'bad_request'
  /** No request was sent: the agent is out of service (an injected outage) or out of reach (recursion depth). */
  | 'unavailable';

/** A classified provider failure; the runner decides whether and when to retry. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly retryAfterMs?: number,
    /** Tokens the API billed for this failed attempt (a filtered or malformed answer that still reported usage). */
    readonly usage?: Usage,
    /** The failed response body, when there was one (recorded in cassettes). */
    readonly raw?: unknown,
    /** How long the failed attempt took, when the provider knows better than a stopwatch (replay). */
    readonly latencyMs?: number,
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
  /** Answers and timings come from a recording (replay): the runner skips backoff waits and reuses recorded timings. */
  readonly recorded?: boolean;
}

/** USD per 1M tokens at one context-length tier. */
export interface TierPrice {
  input: number;
  output: number;
  /** Cache reads; billed as `input` when absent. */
  cachedInput?: number | undefined;
  /** Cache writes with the 5-minute lifetime; billed as `input` when absent. */
  cacheWrite?: number | undefined;
  /** Cache writes with the 1-hour lifetime; billed as `cacheWrite` when absent. */
  cacheWrite1h?: number | undefined;
}

export interface PriceConfig extends TierPrice {
  /** Higher prices for long prompts: the tier with the largest `abovePromptTokens` below the prompt applies to the whole call. */
  tiers?: (TierPrice & { abovePromptTokens: number })[] | undefined;
  /** Bill what the endpoint reports per call (`usage.cost`); the token prices then only bound budgets and dry runs. */
  reportedCost?: boolean | undefined;
}

/** The fields every pool member has, whatever its provider. */
export interface AgentConfig {
  id: string;
  provider: string;
  model: string;
  description?: string | undefined;
  params: ModelParams;
  /** Absent in a config when the price table (configs/prices.yaml) knows the model; filled in before a run starts. */
  price?: PriceConfig | undefined;
}

/** A pool member whose price is known: what the runner works with. */
export type PricedAgent = AgentConfig & { price: PriceConfig };

export interface ProviderStartContext<A extends AgentConfig> {
  /** The pool members served by this provider kind. */
  agents: A[];
  /** The run's tasks (the simulated pool uses them as its answer key). */
  tasks: Task[];
  env: NodeJS.ProcessEnv;
  seed: number;
  /** Request timeout (ms): every client applies it as its transport timeout (the runner sets no timer). */
  requestTimeoutMs?: number;
}

/** A provider kind: its pool-member config schema and how to start it. Adding one = one folder. */
export interface ProviderDefinition<S extends z.ZodObject = z.ZodObject> {
  kind: string;
  /** Schema of a pool member using this provider, including `provider: z.literal(kind)`. */
  agentSchema: S;
  /**
   * Environment variables tried, in order, for a member's API key when it names none (`apiKeyEnv`):
   * what the provider reads, preflight checks and `baton k8s manifests` mounts from the Secret. Absent:
   * keyless unless the member names one. (A schema that defaults `apiKeyEnv` declares its key there.)
   */
  defaultApiKeyEnv?: readonly string[];
  start(ctx: ProviderStartContext<z.output<S> & AgentConfig>): Promise<ProviderInstance>;
}

/** A started provider kind: one client per pool member it serves, closed once at the end of a run. */
export interface ProviderInstance {
  clientFor(agentId: string): Provider;
  /** Credentials in use, so the runner can scrub them from anything it writes (error messages, cassettes). */
  secrets?: string[];
  close(): Promise<void>;
}
