import { z } from 'zod';
import { baseOrchestratorSchema } from '../options-schema.js';
import { solverMessages } from '../prompts.js';
import type { OrchestratorDefinition } from '../types.js';

const optionsSchema = baseOrchestratorSchema.extend({
  family: z.literal('single'),
  agent: z.string().describe('The pool member that answers alone'),
});

/** Baseline: one pool member answers directly. */
export const singleOrchestrator: OrchestratorDefinition<typeof optionsSchema> = {
  family: 'single',
  optionsSchema,
  agentRefs: (o) => [{ path: ['agent'], agentId: o.agent }],
  estimateCalls: (o, task) => [{ agents: [o.agent], messages: solverMessages(task), sees: [] }],
  create: (o) => ({
    async solve(ctx) {
      const out = await ctx.call(o.agent, solverMessages(ctx.task), { role: 'solver' });
      return { answer: out.text, meta: {} };
    },
  }),
};
