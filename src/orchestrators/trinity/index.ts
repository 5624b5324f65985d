import { resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../../util/errors.js';
import { baseOrchestratorSchema } from '../options-schema.js';
import { turnMessages } from '../prompts.js';
import { runTurns } from '../turn-loop.js';
import { type Orchestrator, type OrchestratorDefinition, range } from '../types.js';
import { choose } from './choose.js';
import { hashedFeaturizer } from './featurizer/hashed.js';
import type { Featurizer, TurnState } from './featurizer/types.js';
import type { Head } from './head.js';
import { TRINITY_ROLES } from './roles.js';

const optionsSchema = baseOrchestratorSchema.extend({
  family: z.literal('trinity'),
  head: z.string().describe('ONNX head file (relative to this config), made by `baton train` or by hand'),
  agents: z
    .union([
      z
        .array(z.string())
        .min(1)
        .describe("Pool members the head chooses from: the head's own agent slots, in its order"),
      z
        .record(z.string(), z.string())
        .refine((m) => Object.keys(m).length > 0, 'map at least one head slot to a pool member')
        .describe(
          'Head agent slot → pool member id (e.g. { gpt5: my-frontier }): runs a head on a pool whose ids differ from its slots; every slot must be mapped',
        ),
    ])
    .describe(
      "The head's agent slots and the pool members behind them: a list (pool ids equal to the head's slots, in its order) or a map slot → pool id",
    ),
  featurizer: z
    .union([
      z.literal('hashed'),
      z
        .object({
          backbone: z
            .string()
            .describe('Folder with model.onnx and tokenizer.json, relative to this config file'),
        })
        .strict(),
    ])
    .default('hashed')
    .describe('"hashed" (weight-free, d = 1024) or { backbone: <dir with model.onnx + tokenizer.json> }'),
  maxTurns: z.number().int().min(1).max(5).default(5),
  decisions: z.enum(['greedy', 'sampled']).default('greedy'),
});

export type TrinityOptions = z.output<typeof optionsSchema>;

/** The pool members the options name, as (head slot, pool id) pairs in the order written. */
export function agentSlots(agents: TrinityOptions['agents']): { slot: string; agentId: string }[] {
  return Array.isArray(agents)
    ? agents.map((id) => ({ slot: id, agentId: id }))
    : Object.entries(agents).map(([slot, agentId]) => ({ slot, agentId }));
}

/**
 * The pool member behind each of the head's slots, in the head's order, or why the options do not fit
 * the head (a list that is not the head's slots, a map missing or inventing a slot, two slots on one member).
 */
export function poolIdsForHead(
  agents: TrinityOptions['agents'],
  headSlots: readonly string[],
): { ok: true; agentIds: string[] } | { ok: false; reason: string } {
  const slots = `[${headSlots.join(', ')}]`;
  if (Array.isArray(agents)) {
    if (agents.join('\u0000') === headSlots.join('\u0000')) return { ok: true, agentIds: [...agents] };
    return {
      ok: false,
      reason:
        `was made for agents ${slots}, but the config lists [${agents.join(', ')}]; ` +
        `map each head slot to a pool member: agents: { ${headSlots.map((s) => `${s}: <pool id>`).join(', ')} }`,
    };
  }
  const missing = headSlots.filter((s) => !Object.hasOwn(agents, s));
  const unknown = Object.keys(agents).filter((s) => !headSlots.includes(s));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`no pool member for head slot(s) ${missing.join(', ')}`);
  if (unknown.length > 0) problems.push(`the head has no slot ${unknown.join(', ')}`);
  const agentIds = headSlots.map((s) => agents[s] as string);
  const twice = agentIds.filter((id, i) => id !== undefined && agentIds.indexOf(id) !== i);
  if (twice.length > 0) problems.push(`${[...new Set(twice)].join(', ')} mapped to two slots`);
  if (problems.length > 0)
    return { ok: false, reason: `has agent slots ${slots}; the agents: map: ${problems.join('; ')}` };
  return { ok: true, agentIds };
}

/**
 * The TRINITY loop driven by a loaded head (from a file, or built in memory during training).
 * `agents`: the pool member behind each head slot, in the head's order. The featurizer sees the
 * head's slot names, never the pool ids, so a head reads a renamed pool exactly as it read its own.
 */
export function trinityWithHead(
  head: Head,
  featurizer: Featurizer,
  o: Pick<TrinityOptions, 'maxTurns' | 'decisions'> & { agents: readonly string[] },
): Orchestrator {
  const slots = head.meta.agents;
  const slotOf = new Map(o.agents.map((id, i) => [id, slots[i] as string]));
  const renamed = o.agents.some((id, i) => id !== slots[i]);
  const asHeadSees = (state: TurnState): TurnState =>
    renamed
      ? {
          ...state,
          agents: slots,
          turns: state.turns.map((t) => ({ ...t, agentId: slotOf.get(t.agentId) ?? t.agentId })),
        }
      : state;
  return {
    solve: (ctx) =>
      runTurns(ctx, o.agents, o.maxTurns, async (state, available) => {
        const { agentLogits, roleLogits } = await head.run(await featurizer.features(asHeadSees(state)));
        // A dropped or failed agent cannot be chosen: its logit is masked before the softmax.
        const masked = Array.from(agentLogits, (l, i) =>
          available.has(o.agents[i] as string) ? l : Number.NEGATIVE_INFINITY,
        );
        const agent = choose(masked, o.decisions, ctx.random);
        const role = choose(roleLogits, o.decisions, ctx.random);
        return {
          agentId: o.agents[agent.index] as string,
          role: TRINITY_ROLES[role.index] as (typeof TRINITY_ROLES)[number],
          basis: { agentProbabilities: agent.probabilities, roleProbabilities: role.probabilities },
        };
      }),
  };
}

export async function featurizerFor(
  choice: TrinityOptions['featurizer'],
  configDir: string,
): Promise<Featurizer> {
  if (choice === 'hashed') return hashedFeaturizer;
  const { loadBackboneFeaturizer } = await import('./featurizer/backbone.js'); // onnxruntime loads on use
  return loadBackboneFeaturizer(resolve(configDir, choice.backbone));
}

/** TRINITY: a learned head picks (agent, role) each turn from features of the transcript. */
export const trinityOrchestrator: OrchestratorDefinition<typeof optionsSchema> = {
  family: 'trinity',
  optionsSchema,
  agentRefs: (o) =>
    agentSlots(o.agents).map(({ slot, agentId }, i) => ({
      path: ['agents', Array.isArray(o.agents) ? i : slot],
      agentId,
      routable: true,
    })),
  // One call per turn, each seeing every earlier turn. Typical: half the allowed turns (rounded up);
  // high: every turn. The head's choice is unknown before it runs: any of its agents may answer.
  estimateCalls: (o, task, scenario, pool) => {
    const agents = agentSlots(o.agents)
      .map((s) => s.agentId)
      .filter((id) => pool.some((a) => a.id === id));
    const turns = scenario === 'high' ? o.maxTurns : Math.ceil(o.maxTurns / 2);
    return range(turns).map((turn) => ({
      agents,
      messages: turnMessages(task, 'worker', []),
      sees: range(turn),
    }));
  },
  async create(o, { configDir }) {
    const headFile = resolve(configDir, o.head);
    const { loadHead } = await import('./head.js'); // onnxruntime loads on use
    const head = await loadHead(headFile);
    const featurizer = await featurizerFor(o.featurizer, configDir);
    const mapped = poolIdsForHead(o.agents, head.meta.agents);
    if (!mapped.ok) throw new UsageError(`orchestrator ${o.id}: head ${headFile} ${mapped.reason}`);
    if (head.meta.featurizer !== featurizer.name || head.meta.dim !== featurizer.dim) {
      throw new UsageError(
        `orchestrator ${o.id}: head ${headFile} expects featurizer ${head.meta.featurizer} (d = ${head.meta.dim}), ` +
          `the config gives ${featurizer.name} (d = ${featurizer.dim})`,
      );
    }
    return trinityWithHead(head, featurizer, { ...o, agents: mapped.agentIds });
  },
};
