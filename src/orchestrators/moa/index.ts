import { z } from 'zod';
import { baseOrchestratorSchema } from '../options-schema.js';
import { moaMessages, type VisibleOutput } from '../prompts.js';
import type { CallOutput, OrchestratorDefinition } from '../types.js';

const optionsSchema = baseOrchestratorSchema.extend({
  family: z.literal('moa'),
  proposers: z.array(z.string()).min(1).describe('Pool members answering in every layer'),
  layers: z.number().int().min(1).max(6).default(3).describe('Proposer layers before the aggregator'),
  aggregator: z.string(),
});

/**
 * Mixture-of-Agents (arXiv 2406.04692): layer 1 proposers answer independently; every later layer
 * sees all outputs of the previous layer; a final aggregator synthesises the last layer.
 */
export const moaOrchestrator: OrchestratorDefinition<typeof optionsSchema> = {
  family: 'moa',
  optionsSchema,
  agentRefs: (o) => [
    ...o.proposers.map((agentId, i) => ({ path: ['proposers', i], agentId })),
    { path: ['aggregator'], agentId: o.aggregator },
  ],
  callBounds: (o) => ({ min: o.layers * o.proposers.length + 1, max: o.layers * o.proposers.length + 1 }),
  create: (o) => ({
    async solve(ctx) {
      let previous: CallOutput[] = [];
      for (let layer = 0; layer < o.layers; layer++) {
        const seen = visible(previous);
        previous = await Promise.all(
          o.proposers.map((agentId) =>
            ctx.call(agentId, moaMessages(ctx.task, 'proposer', seen), {
              role: 'proposer',
              visibleSteps: previous.map((p) => p.step),
            }),
          ),
        );
      }
      const final = await ctx.call(o.aggregator, moaMessages(ctx.task, 'aggregator', visible(previous)), {
        role: 'aggregator',
        visibleSteps: previous.map((p) => p.step),
      });
      return { answer: final.text, meta: {} };
    },
  }),
};

function visible(outputs: readonly CallOutput[]): VisibleOutput[] {
  return outputs.map((p, i) => ({ index: i + 1, agentId: p.agentId, text: p.text }));
}
