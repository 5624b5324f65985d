import type { LoadedConfig, PricedPoolMember } from '../config/load.js';
import { cannotRunWithout } from '../orchestrators/ablation.js';
import { isOrchestratorMember } from '../orchestrators/member.js';
import { orchestratorFamilies } from '../orchestrators/registry.js';
import type { EstimateScenario, OrchestratorOptions } from '../orchestrators/types.js';
import { tierFor } from '../providers/cost.js';
import { resolvePrices } from '../providers/prices.js';
import type { ChatMessage } from '../providers/types.js';
import type { Task } from '../suites/types.js';
import { arms } from './plan.js';
import { loadSuites } from './setup.js';

/** Prompt tokens are estimated from characters: ~4 per token for English text and code. */
export const CHARS_PER_TOKEN = 4;
/** Framing tokens per chat message (role markers). */
const TOKENS_PER_MESSAGE = 4;
/** The `<output index=… agent=… role=…>` tags around each earlier output a call sees. */
const TOKENS_PER_SEEN_OUTPUT = 16;
/** The high end assumes every answer this many times its expected length (at most maxTokens). */
export const HIGH_OUTPUT_FACTOR = 2;

/** Where an agent's expected output length comes from, in order of preference. */
export type OutputSource =
  | 'config' // the pool member's expectedOutputTokens
  | 'sim profile' // a simulated agent: its profile's outputTokens + reasoningTokens, what the simulator emits
  | 'params.maxTokens' // nothing better known: its cap, a high figure
  | 'budget.assumeMaxOutputTokens'; // no cap either: the config's assumption for budgets

export interface OutputTokens {
  agentId: string;
  /** Output tokens (reasoning included) of a typical call. */
  expected: number;
  /** The high end's figure: HIGH_OUTPUT_FACTOR × expected, at most the agent's cap. */
  high: number;
  source: OutputSource;
}

export interface OrchestratorEstimate {
  /** The orchestrator's id, or its ablated arm's. */
  orchestrator: string;
  samples: number;
  /** Expected cost: typical samples (see formatEstimate's legend), or a pilot's mean × samples. */
  p50Usd: number;
  /** High end: the longest path of every sample, or the pilot's 95% upper bound. */
  p95Usd: number;
  /** Family without an estimate of its calls: both figures are 0 and mean nothing. */
  unknown: boolean;
}

export interface RunEstimate {
  rows: OrchestratorEstimate[];
  samples: number;
  p50Usd: number;
  p95Usd: number;
  /** How the figures were made. */
  basis: { kind: 'assumptions'; outputs: OutputTokens[] } | { kind: 'pilot'; tasks: number; runDir: string };
}

/** An agent's expected output tokens per call and where that figure comes from. */
export function outputTokensOf(agent: PricedPoolMember, assumeMaxOutputTokens: number): OutputTokens {
  const cap = agent.params.maxTokens ?? assumeMaxOutputTokens;
  const high = (expected: number) => Math.min(cap, Math.ceil(expected * HIGH_OUTPUT_FACTOR));
  const configured = agent.expectedOutputTokens;
  if (typeof configured === 'number')
    return { agentId: agent.id, expected: configured, high: high(configured), source: 'config' };
  const sim = agent.sim as { outputTokens?: unknown; reasoningTokens?: unknown } | undefined;
  if (agent.provider === 'sim' && typeof sim?.outputTokens === 'number') {
    const tokens = sim.outputTokens + (typeof sim.reasoningTokens === 'number' ? sim.reasoningTokens : 0);
    return { agentId: agent.id, expected: tokens, high: high(tokens), source: 'sim profile' };
  }
  return {
    agentId: agent.id,
    expected: cap,
    high: cap,
    source: agent.params.maxTokens !== undefined ? 'params.maxTokens' : 'budget.assumeMaxOutputTokens',
  };
}

/** Prompt tokens of messages at ~4 characters per token, plus per-message framing. */
export function messageTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((n, m) => n + Math.ceil(m.content.length / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE, 0);
}

interface EstimateContext {
  /** Pool members the sample may call, priced. */
  byId: ReadonlyMap<string, PricedPoolMember>;
  outputs: ReadonlyMap<string, OutputTokens>;
  orchestrators: ReadonlyMap<string, OrchestratorOptions>;
  /** Nesting level (orchestrator members run nested samples). */
  depth: number;
}

/**
 * One sample's cost in a scenario, from the family's own calls and prompts. A call the coordinator
 * routes costs the mean over its candidates (expected) or the dearest one's (high); an earlier output
 * it sees adds that call's output tokens to its prompt (the mean's, or the dearest one's).
 */
function sampleUsd(
  options: OrchestratorOptions,
  task: Task,
  scenario: EstimateScenario,
  ctx: EstimateContext,
): { usd: number; lastOutputTokens: number } | undefined {
  const family = orchestratorFamilies.find((f) => f.family === options.family);
  if (!family?.estimateCalls) return undefined;
  const calls = family.estimateCalls(options as never, task, scenario, [...ctx.byId.values()]);
  const outputs: number[] = [];
  let usd = 0;
  for (const call of calls) {
    const prompt =
      messageTokens(call.messages) +
      call.sees.reduce((n, j) => n + (outputs[j] ?? 0) + TOKENS_PER_SEEN_OUTPUT, 0);
    const candidates = call.agents.flatMap((id) => {
      const one = agentCall(id, prompt, task, scenario, ctx);
      return one ? [one] : [];
    });
    if (candidates.length === 0) {
      outputs.push(0);
      continue;
    }
    if (scenario === 'expected') {
      usd += mean(candidates.map((c) => c.usd));
      outputs.push(mean(candidates.map((c) => c.out)));
    } else {
      // The dearest candidate answers, and later calls see its output.
      const dearest = candidates.reduce((a, b) => (b.usd > a.usd ? b : a));
      usd += dearest.usd;
      outputs.push(dearest.out);
    }
  }
  return { usd, lastOutputTokens: outputs.at(-1) ?? 0 };
}

function agentCall(
  agentId: string,
  promptTokens: number,
  task: Task,
  scenario: EstimateScenario,
  ctx: EstimateContext,
): { usd: number; out: number } | undefined {
  const agent = ctx.byId.get(agentId);
  if (!agent) return undefined;
  if (isOrchestratorMember(agent)) {
    // A nested sample of that orchestrator; past the member's depth the call is refused (free).
    const nested = ctx.orchestrators.get(agent.orchestrator);
    if (!nested || ctx.depth >= agent.maxDepth) return { usd: 0, out: 0 };
    const inner = sampleUsd(nested, task, scenario, { ...ctx, depth: ctx.depth + 1 });
    return inner && { usd: inner.usd, out: inner.lastOutputTokens };
  }
  const tokens = ctx.outputs.get(agentId);
  const out = tokens ? (scenario === 'high' ? tokens.high : tokens.expected) : 0;
  const tier = tierFor(agent.price, promptTokens);
  return { usd: (promptTokens * tier.input + out * tier.output) / 1e6, out };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/**
 * What a run is expected to cost, computed without calling anything: per orchestrator, the p50 of a
 * typical sample and a high end (printed as p95), summed over every task of the run's suites (their
 * full row count after the config's selection) and every repeat. See formatEstimate for the
 * assumptions. Prices must be known for every member (preflight checks that first).
 */
export function estimateRunCost(config: LoadedConfig, loadedTasks?: readonly Task[]): RunEstimate {
  const { pool } = resolvePrices(config.pool);
  const tasks = loadedTasks ?? loadSuites(config).flatMap((s) => s.tasks);
  const assumed = config.budget.assumeMaxOutputTokens;
  const outputs = pool.filter((a) => !isOrchestratorMember(a)).map((a) => outputTokensOf(a, assumed));
  const outputsById = new Map(outputs.map((o) => [o.agentId, o]));
  const orchestrators = new Map(config.orchestrators.map((o) => [o.id, o]));
  const rows: OrchestratorEstimate[] = [];
  for (const arm of arms(config)) {
    const ctx: EstimateContext = {
      byId: new Map(pool.filter((a) => !arm.dropped.has(a.id)).map((a) => [a.id, a])),
      outputs: outputsById,
      orchestrators,
      depth: 0,
    };
    for (const options of config.orchestrators) {
      if (cannotRunWithout(options, arm.dropped)) continue;
      if (config.selection.only && !config.selection.only.includes(options.id)) continue;
      let p50Usd = 0;
      let p95Usd = 0;
      let unknown = false;
      for (const task of tasks) {
        const expected = sampleUsd(options, task, 'expected', ctx);
        const high = sampleUsd(options, task, 'high', ctx);
        if (!expected || !high) {
          unknown = true;
          break;
        }
        p50Usd += expected.usd * config.repeats;
        p95Usd += Math.max(high.usd, expected.usd) * config.repeats;
      }
      rows.push({
        orchestrator: arm.id(options.id),
        samples: tasks.length * config.repeats,
        p50Usd: unknown ? 0 : p50Usd,
        p95Usd: unknown ? 0 : p95Usd,
        unknown,
      });
    }
  }
  return {
    rows,
    samples: sum(rows.map((r) => r.samples)),
    p50Usd: sum(rows.map((r) => r.p50Usd)),
    p95Usd: sum(rows.map((r) => r.p95Usd)),
    basis: { kind: 'assumptions', outputs },
  };
}

/** z of the one-sided 95% bound of a normal distribution. */
const Z95 = 1.6449;

/**
 * The run's cost extrapolated from a pilot: per orchestrator, the pilot's mean cost per sample ×
 * the run's samples (p50), and a 95% upper bound (p95) that counts both the spread of the run's own
 * samples and the uncertainty of a mean measured on few: S·m + z·sd·√(S + S²/n).
 */
export function extrapolatePilot(
  pilot: ReadonlyMap<string, readonly number[]>,
  samplesPerOrchestrator: ReadonlyMap<string, number>,
  meta: { tasks: number; runDir: string },
): RunEstimate {
  const rows: OrchestratorEstimate[] = [...samplesPerOrchestrator].map(([orchestrator, samples]) => {
    const costs = pilot.get(orchestrator) ?? [];
    if (costs.length === 0) return { orchestrator, samples, p50Usd: 0, p95Usd: 0, unknown: true };
    const m = mean(costs);
    const sd = costs.length > 1 ? Math.sqrt(sum(costs.map((c) => (c - m) ** 2)) / (costs.length - 1)) : m;
    return {
      orchestrator,
      samples,
      p50Usd: samples * m,
      p95Usd: samples * m + Z95 * sd * Math.sqrt(samples + (samples * samples) / costs.length),
      unknown: false,
    };
  });
  return {
    rows,
    samples: sum(rows.map((r) => r.samples)),
    p50Usd: sum(rows.map((r) => r.p50Usd)),
    p95Usd: sum(rows.map((r) => r.p95Usd)),
    basis: { kind: 'pilot', ...meta },
  };
}

/** "$12.3456": four decimals below $1 000, whole cents above. */
function usd(x: number): string {
  return x >= 1000 ? `$${x.toFixed(2)}` : `$${x.toFixed(4)}`;
}

/** How the budget compares with the estimate, printed beside the total. */
export function budgetVerdict(
  estimate: Pick<RunEstimate, 'p50Usd' | 'p95Usd'>,
  capUsd: number | undefined,
): string {
  if (capUsd === undefined) return 'no budget.usd: nothing caps the spending';
  if (capUsd >= estimate.p95Usd) return `budget.usd ${usd(capUsd)} covers the p95 high`;
  if (capUsd >= estimate.p50Usd)
    return `budget.usd ${usd(capUsd)} covers the p50, not the p95 high: the run may stop early (finished samples are kept; --resume continues)`;
  return `budget.usd ${usd(capUsd)} is below the p50: expect the run to stop early (finished samples are kept; --resume continues)`;
}

/** The printout: one line per orchestrator, the total beside the budget, and how the figures were made. */
export function formatEstimate(estimate: RunEstimate, capUsd: number | undefined): string {
  const header =
    estimate.basis.kind === 'pilot'
      ? `pilot: ${estimate.basis.tasks} task(s) per orchestrator run (${estimate.basis.runDir}). Cost of the full run, extrapolated (p50 … p95):`
      : 'dry run: no model was called. Expected cost (p50) and high end (p95):';
  const width = Math.max(5, ...estimate.rows.map((r) => r.orchestrator.length));
  const line = (name: string, samples: number, p50: string, p95: string) =>
    `  ${name.padEnd(width)}  ${String(samples).padStart(6)} samples  p50 ${p50.padStart(11)}  p95 ${p95.padStart(11)}`;
  const lines = [header];
  for (const r of estimate.rows) {
    lines.push(
      r.unknown
        ? `  ${r.orchestrator.padEnd(width)}  ${String(r.samples).padStart(6)} samples  no estimate: its family declares no calls${estimate.basis.kind === 'pilot' ? ' (no pilot sample finished)' : ''}`
        : line(r.orchestrator, r.samples, usd(r.p50Usd), usd(r.p95Usd)),
    );
  }
  lines.push(
    `${line('total', estimate.samples, usd(estimate.p50Usd), usd(estimate.p95Usd))}   ${budgetVerdict(estimate, capUsd)}`,
  );
  if (estimate.basis.kind === 'pilot') {
    lines.push(
      '  p50: the mean cost of a pilot sample × the samples of the full run; p95: a 95% upper bound counting the',
      "  spread of the pilot's samples and the run's own (normal approximation). Pilot samples are not bought again.",
    );
  } else {
    lines.push(
      `  output tokens per call, expected / high: ${estimate.basis.outputs
        .map((o) => `${o.agentId} ${o.expected} / ${o.high} (${o.source})`)
        .join(', ')}`,
      `  p50: a typical sample: the family's real prompts for each task at ~${CHARS_PER_TOKEN} characters per token, plus the`,
      '  earlier outputs each call sees; half the turns or plan steps allowed (rounded up); each agent its expected',
      "  output; a coordinator's pick priced at the mean of its candidates. p95: the longest path (every turn and",
      `  step, one format resample), the dearest candidate for each pick, every output ${HIGH_OUTPUT_FACTOR}× expected (at most maxTokens).`,
      '  Set expectedOutputTokens on pool members, or measure: baton run <config> --pilot N.',
    );
  }
  return `${lines.join('\n')}\n`;
}
