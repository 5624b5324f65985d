import { z } from 'zod';
import { baseOrchestratorSchema } from '../options-schema.js';
import { solverMessages } from '../prompts.js';
import { callOrNull, OrchestrationError, type OrchestratorDefinition, range } from '../types.js';
import { majority } from './majority.js';

const optionsSchema = baseOrchestratorSchema.extend({
  family: z.literal('vote'),
  agents: z.array(z.string()).min(1).describe('Pool members sampled in turn'),
  samples: z.number().int().min(1).max(64).default(5).describe('k: answers drawn in parallel'),
});

/** Majority vote / self-consistency over k samples (distinct seeds for identical requests). */
export const voteOrchestrator: OrchestratorDefinition<typeof optionsSchema> = {
  family: 'vote',
  optionsSchema,
  agentRefs: (o) => o.agents.map((agentId, i) => ({ path: ['agents', i], agentId, routable: true })),
  estimateCalls: (o, task, _scenario, pool) => {
    const agents = o.agents.filter((id) => pool.some((a) => a.id === id));
    return range(o.samples).map((i) => ({
      agents: [agents[i % agents.length] as string],
      messages: solverMessages(task),
      sees: [],
    }));
  },
  create: (o) => ({
    async solve(ctx) {
      // Dropped agents are skipped in the rotation; failed samples do not vote.
      const agents = o.agents.filter((id) => ctx.pool.some((a) => a.id === id));
      const settled = await Promise.all(
        Array.from({ length: o.samples }, (_, i) =>
          callOrNull(ctx, agents[i % agents.length] as string, solverMessages(ctx.task), { role: 'solver' }),
        ),
      );
      const outputs = settled.filter((s) => s !== null);
      if (outputs.length === 0)
        throw new OrchestrationError('all_samples_failed', 'every vote sample failed');
      const vote = majority(
        ctx.task,
        outputs.map((out) => out.text),
        ctx.answers,
      );
      return {
        answer: outputs[vote.index]?.text ?? '',
        meta: {
          votes: vote.votes,
          distinctAnswers: vote.clusters,
          ...(outputs.length < settled.length ? { failedCalls: settled.length - outputs.length } : {}),
        },
      };
    },
  }),
};
