import { turnMessages } from './prompts.js';
import type { Turn, TurnState } from './trinity/featurizer/types.js';
import type { TrinityRole } from './trinity/head-file.js';
import type { OrchestratorContext, Solution } from './types.js';

export interface TurnDecision {
  agentId: string;
  role: TrinityRole;
  /** What the coordinator saw when it decided (probabilities, router text…), kept in the sample's meta. */
  basis: Record<string, unknown>;
}

/** The next turn, or the reason the coordinator could not decide (the loop then ends). */
export type Decide = (state: TurnState) => Promise<TurnDecision | { failed: string }>;

const ACCEPT = /^\s*ACCEPT\b/i;

/**
 * TRINITY's loop (arXiv 2512.04695): each turn a coordinator picks an agent and a role; the role's
 * prompt is wrapped around the query and every earlier output; the run stops at the first verifier
 * that ACCEPTs, else after `maxTurns`; the answer is the last worker output.
 */
export async function runTurns(
  ctx: OrchestratorContext,
  agents: readonly string[],
  maxTurns: number,
  decide: Decide,
): Promise<Solution> {
  const turns: Turn[] = [];
  const decisions: Record<string, unknown>[] = [];
  let accepted = false;
  let failed: string | undefined;
  while (turns.length < maxTurns && !accepted) {
    const decision = await decide({ task: ctx.task, agents, turns });
    if ('failed' in decision) {
      failed = decision.failed;
      break;
    }
    decisions.push({ agent: decision.agentId, role: decision.role, ...decision.basis });
    const seen = turns.map((t, i) => ({ index: i, agentId: t.agentId, role: t.role, text: t.text }));
    const out = await ctx.call(decision.agentId, turnMessages(ctx.task, decision.role, seen), {
      role: decision.role,
      visibleSteps: turns.map((t) => t.step),
    });
    turns.push({ agentId: decision.agentId, role: decision.role, text: out.text, step: out.step });
    accepted = decision.role === 'verifier' && ACCEPT.test(out.text);
  }
  // A coordinator that cannot decide ends the loop early; the last worker output stands, as at maxTurns.
  const answer = turns.filter((t) => t.role === 'worker').at(-1)?.text ?? '';
  return {
    answer,
    meta: {
      turns: turns.length,
      accepted,
      decisions,
      ...(failed === undefined ? {} : { coordinatorFailed: failed }),
    },
  };
}
