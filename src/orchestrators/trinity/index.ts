import { resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../../config/errors.js';
import { baseOrchestratorSchema } from '../options-schema.js';
import { runTurns } from '../turn-loop.js';
import type { Orchestrator, OrchestratorDefinition } from '../types.js';
import { choose } from './choose.js';
import { hashedFeaturizer } from './featurizer/hashed.js';
import type { Featurizer } from './featurizer/types.js';
import type { Head } from './head.js';
import { TRINITY_ROLES } from './roles.js';

const optionsSchema = baseOrchestratorSchema.extend({
  family: z.literal('trinity'),
  head: z.string().describe('ONNX head file (relative to this config), made by `baton train` or by hand'),
  agents: z.array(z.string()).min(1).describe("Pool members the head chooses from, in the head's order"),
  featurizer: z
    .union([z.literal('hashed'), z.object({ backbone: z.string() }).strict()])
    .default('hashed')
    .describe('"hashed" (weight-free, d = 1024) or { backbone: <dir with model.onnx + tokenizer.json> }'),
  maxTurns: z.number().int().min(1).max(5).default(5),
  decisions: z.enum(['greedy', 'sampled']).default('greedy'),
});

export type TrinityOptions = z.output<typeof optionsSchema>;

/** The TRINITY loop driven by a loaded head (from a file, or built in memory during training). */
export function trinityWithHead(
  head: Head,
  featurizer: Featurizer,
  o: Pick<TrinityOptions, 'agents' | 'maxTurns' | 'decisions'>,
): Orchestrator {
  return {
    solve: (ctx) =>
      runTurns(ctx, o.agents, o.maxTurns, async (state, available) => {
        const { agentLogits, roleLogits } = await head.run(await featurizer.features(state));
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
  agentRefs: (o) => o.agents.map((agentId, i) => ({ path: ['agents', i], agentId, routable: true })),
  callBounds: (o) => ({ min: 1, max: o.maxTurns }),
  async create(o, { configDir }) {
    const headFile = resolve(configDir, o.head);
    const { loadHead } = await import('./head.js'); // onnxruntime loads on use
    const head = await loadHead(headFile);
    const featurizer = await featurizerFor(o.featurizer, configDir);
    if (head.meta.agents.join('\u0000') !== o.agents.join('\u0000')) {
      throw new UsageError(
        `orchestrator ${o.id}: head ${headFile} was made for agents [${head.meta.agents.join(', ')}], ` +
          `but the config lists [${o.agents.join(', ')}]`,
      );
    }
    if (head.meta.featurizer !== featurizer.name || head.meta.dim !== featurizer.dim) {
      throw new UsageError(
        `orchestrator ${o.id}: head ${headFile} expects featurizer ${head.meta.featurizer} (d = ${head.meta.dim}), ` +
          `the config gives ${featurizer.name} (d = ${featurizer.dim})`,
      );
    }
    return trinityWithHead(head, featurizer, o);
  },
};
