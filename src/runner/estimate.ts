import type { LoadedConfig, PricedPoolMember } from '../config/load.js';
import { orchestratorFamilies } from '../orchestrators/registry.js';
import { resolvePrices } from '../providers/prices.js';
import { loadSuite } from '../suites/load.js';
import { callCostBound, outputTokenBound, promptTokenBound } from './budget.js';

/** Allowance for the instructions orchestrators wrap around a task (role prompts, formats). */
const TEMPLATE_TOKENS = 2048;

export interface CostEstimate {
  orchestrator: string;
  samples: number;
  /** Fewest calls, prompt-only input at ~4 characters per token, no output, cheapest agent. */
  lowUsd: number;
  /** Most calls, each at its worst case: every prompt byte a token, every allowed output token, seeing every earlier output. */
  highUsd: number;
  /** Family without declared call bounds: no estimate. */
  unbounded: boolean;
}

/**
 * What a run may cost, computed without calling anything: a low figure and a worst case per
 * orchestrator. The worst case is a bound, not a forecast: real runs land far below it.
 */
export function estimateRunCost(config: LoadedConfig): {
  rows: CostEstimate[];
  lowUsd: number;
  highUsd: number;
} {
  const { pool } = resolvePrices(config.pool);
  const tasks = config.suites.flatMap((s, i) => loadSuite(config.suitePaths[i] as string, s));
  const assumed = config.budget.assumeMaxOutputTokens;
  const rows = config.orchestrators.map((options) => {
    const family = orchestratorFamilies.find((f) => f.family === options.family);
    const bounds = family?.callBounds?.(options as never);
    const referenced = new Set(family?.agentRefs(options as never).map((r) => r.agentId) ?? []);
    const agents: PricedPoolMember[] = bounds?.anyPoolMember
      ? pool
      : pool.filter((a) => referenced.has(a.id));
    let lowUsd = 0;
    let highUsd = 0;
    for (const task of tasks) {
      if (!bounds || agents.length === 0) break;
      const promptChars = task.prompt.length;
      const low = Math.min(...agents.map((a) => (Math.ceil(promptChars / 4) * a.price.input) / 1e6));
      const high = Math.max(
        ...agents.map((a) => {
          const out = outputTokenBound(a, assumed);
          const prompt =
            promptTokenBound([{ role: 'user', content: task.prompt }]) +
            TEMPLATE_TOKENS +
            (bounds.max - 1) * out;
          return callCostBound(a, prompt, out);
        }),
      );
      lowUsd += bounds.min * low * config.repeats;
      highUsd += bounds.max * high * config.repeats;
    }
    return {
      orchestrator: options.id,
      samples: tasks.length * config.repeats,
      lowUsd,
      highUsd,
      unbounded: !bounds,
    };
  });
  return { rows, lowUsd: sum(rows.map((r) => r.lowUsd)), highUsd: sum(rows.map((r) => r.highUsd)) };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** The dry-run printout: one line per orchestrator, the total, and how it compares with the budget. */
export function formatEstimate(
  estimate: ReturnType<typeof estimateRunCost>,
  capUsd: number | undefined,
): string {
  const usd = (x: number) => `$${x.toFixed(4)}`;
  const lines = ['dry run: no model was called. Estimated cost (low … worst case):'];
  for (const r of estimate.rows) {
    lines.push(
      r.unbounded
        ? `  ${r.orchestrator}: ${r.samples} samples, no call bound declared by its family`
        : `  ${r.orchestrator}: ${r.samples} samples, ${usd(r.lowUsd)} … ${usd(r.highUsd)}`,
    );
  }
  lines.push(`  total: ${usd(estimate.lowUsd)} … ${usd(estimate.highUsd)}`);
  if (capUsd !== undefined) {
    lines.push(
      estimate.highUsd <= capUsd
        ? `  budget.usd ${usd(capUsd)} covers the worst case`
        : `  budget.usd ${usd(capUsd)} is below the worst case: the run may stop early (finished samples are kept; --resume continues)`,
    );
  }
  lines.push(
    '  low: fewest calls, prompt only (~4 characters per token), cheapest agent; worst: most calls, every',
  );
  lines.push(
    '  prompt byte a token, every allowed output token (params.maxTokens or budget.assumeMaxOutputTokens).',
  );
  return `${lines.join('\n')}\n`;
}
