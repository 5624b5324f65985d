import { z } from 'zod';
import { baseOrchestratorSchema } from '../options-schema.js';
import { solverMessages } from '../prompts.js';
import type { OrchestratorDefinition } from '../types.js';

const optionsSchema = baseOrchestratorSchema.extend({
  family: z.literal('endpoint'),
  agent: z
    .string()
    .describe('Pool member that is itself an orchestrator behind an API (Fugu, openrouter/fusion)'),
});

/**
 * A black-box orchestrator behind an API: one call, with the usage the API reports. Its inner
 * coordination is invisible — which is exactly what this family measures against the others.
 */
export const endpointOrchestrator: OrchestratorDefinition<typeof optionsSchema> = {
  family: 'endpoint',
  optionsSchema,
  agentRefs: (o) => [{ path: ['agent'], agentId: o.agent }],
  estimateCalls: (o, task) => [{ agents: [o.agent], messages: solverMessages(task), sees: [] }],
  create: (o) => ({
    async solve(ctx) {
      const out = await ctx.call(o.agent, solverMessages(ctx.task), { role: 'endpoint' });
      return { answer: out.text, meta: { opaque: true } };
    },
  }),
};
