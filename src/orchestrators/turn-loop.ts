import { turnMessages } from './prompts.js';
import type { Turn, TurnState } from './trinity/featurizer/types.js';
import type { TrinityRole } from './trinity/roles.js';
import { CallFailed, type OrchestratorContext, type Solution } from './types.js';

export interface TurnDecision {
  agentId: string;
  role: TrinityRole;
  /** What the coordinator saw when it decided (probabilities, router text…), kept in the sample's meta. */
  basis: Record<string, unknown>;
}

/**
 * The next turn, or the reason the coordinator could not decide (the loop then ends). `available`:
 * the agents it may pick — the pool's, minus any whose call failed earlier in this sample.
 */
export type Decide = (
  state: TurnState,
  available: ReadonlySet<string>,
) => Promise<TurnDecision | { failed: string }>;

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
  const inPool = new Set(ctx.pool.map((a) => a.id));
  const available = new Set(agents.filter((a) => inPool.has(a)));
  let failedCalls = 0;
  let accepted = false;
  let failed: string | undefined;
  // A failed call uses up its turn: the loop stays bounded by maxTurns calls.
  while (turns.length + failedCalls < maxTurns && !accepted) {
    if (available.size === 0) {
      failed = 'no agent left to call';
      break;
    }
    const decision = await decide({ task: ctx.task, agents, turns }, available);
    if ('failed' in decision) {
      failed = decision.failed;
      break;
    }
    decisions.push({ agent: decision.agentId, role: decision.role, ...decision.basis });
    const seen = turns.map((t, i) => ({ index: i, agentId: t.agentId, role: t.role, text: t.text }));
    try {
      const out = await ctx.call(decision.agentId, turnMessages(ctx.task, decision.role, seen), {
        role: decision.role,
        visibleSteps: turns.map((t) => t.step),
      });
      turns.push({ agentId: decision.agentId, role: decision.role, text: out.text, step: out.step });
      accepted = decision.role === 'verifier' && ACCEPT.test(out.text);
    } catch (err) {
      // A lost agent (outage, errors after retries): not offered again in this sample.
      if (!(err instanceof CallFailed)) throw err;
      failedCalls++;
      available.delete(decision.agentId);
    }
  }
  // A coordinator that cannot decide ends the loop early; the last worker output stands, as at maxTurns.
  const answer = turns.filter((t) => t.role === 'worker').at(-1)?.text ?? '';
  return {
    answer,
    meta: {
      turns: turns.length,
      accepted,
      decisions,
      ...(failedCalls > 0 ? { failedCalls } : {}),
      ...(failed === undefined ? {} : { coordinatorFailed: failed }),
    },
  };
}
