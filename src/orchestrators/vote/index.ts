import { z } from 'zod';
import { baseOrchestratorSchema } from '../options-schema.js';
import { solverMessages } from '../prompts.js';
import type { OrchestratorDefinition } from '../types.js';
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
  agentRefs: (o) => o.agents.map((agentId, i) => ({ path: ['agents', i], agentId })),
  callBounds: (o) => ({ min: o.samples, max: o.samples }),
  create: (o) => ({
    async solve(ctx) {
      const outputs = await Promise.all(
        Array.from({ length: o.samples }, (_, i) =>
          ctx.call(o.agents[i % o.agents.length] as string, solverMessages(ctx.task), { role: 'solver' }),
        ),
      );
      const vote = majority(
        ctx.task,
        outputs.map((out) => out.text),
      );
      return {
        answer: outputs[vote.index]?.text ?? '',
        meta: { votes: vote.votes, distinctAnswers: vote.clusters },
      };
    },
  }),
};
