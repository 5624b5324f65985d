import { z } from 'zod';
import type { VisibleOutput } from '../../util/transcript.js';
import { baseOrchestratorSchema } from '../options-schema.js';
import { moaMessages } from '../prompts.js';
import {
  type CallOutput,
  callOrNull,
  type EstimatedCall,
  OrchestrationError,
  type OrchestratorDefinition,
  range,
} from '../types.js';

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
    ...o.proposers.map((agentId, i) => ({ path: ['proposers', i], agentId, routable: true })),
    { path: ['aggregator'], agentId: o.aggregator },
  ],
  // Every layer's proposers see the previous layer; the aggregator sees the last one.
  estimateCalls: (o, task, _scenario, pool) => {
    const proposers = o.proposers.filter((id) => pool.some((a) => a.id === id));
    const calls: EstimatedCall[] = [];
    let previous: number[] = [];
    for (let layer = 0; layer < o.layers; layer++) {
      const start = calls.length;
      for (const agentId of proposers)
        calls.push({ agents: [agentId], messages: moaMessages(task, 'proposer', []), sees: previous });
      previous = range(proposers.length).map((i) => start + i);
    }
    calls.push({ agents: [o.aggregator], messages: moaMessages(task, 'aggregator', []), sees: previous });
    return calls;
  },
  create: (o) => ({
    async solve(ctx) {
      // Dropped proposers leave every layer; a failed proposal is left out of what the next layer sees.
      const proposers = o.proposers.filter((id) => ctx.pool.some((a) => a.id === id));
      let previous: CallOutput[] = [];
      let failedCalls = 0;
      for (let layer = 0; layer < o.layers; layer++) {
        const seen = visible(previous);
        const steps = previous.map((p) => p.step);
        const settled = await Promise.all(
          proposers.map((agentId) =>
            callOrNull(ctx, agentId, moaMessages(ctx.task, 'proposer', seen), {
              role: 'proposer',
              visibleSteps: steps,
            }),
          ),
        );
        previous = settled.filter((s) => s !== null);
        failedCalls += settled.length - previous.length;
        if (previous.length === 0)
          throw new OrchestrationError('all_proposers_failed', `every proposer of layer ${layer + 1} failed`);
      }
      const final = await ctx.call(o.aggregator, moaMessages(ctx.task, 'aggregator', visible(previous)), {
        role: 'aggregator',
        visibleSteps: previous.map((p) => p.step),
      });
      return { answer: final.text, meta: failedCalls > 0 ? { failedCalls } : {} };
    },
  }),
};

function visible(outputs: readonly CallOutput[]): VisibleOutput[] {
  return outputs.map((p, i) => ({ index: i + 1, agentId: p.agentId, text: p.text }));
}
