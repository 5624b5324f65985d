import { z } from 'zod';
import { baseAgentSchema, priceSchema } from '../providers/agent-schema.js';

/** The `provider` of a pool member that is one of the run's orchestrators (Fugu's pool includes itself). */
export const ORCHESTRATOR_PROVIDER = 'orchestrator';

/**
 * A pool member answered by running an orchestrator of the same config as a nested sub-run. It is
 * not a provider: no request leaves baton for it, so the runner (the sample context) serves it.
 */
export const orchestratorMemberSchema = baseAgentSchema.extend({
  provider: z.literal(ORCHESTRATOR_PROVIDER),
  orchestrator: z.string().describe('Id of the orchestrator this member runs (it may be the caller itself)'),
  model: z
    .string()
    .min(1)
    .default('baton/nested-orchestrator')
    .describe('Shown in traces; nothing is sent anywhere under this name'),
  maxDepth: z
    .number()
    .int()
    .min(1)
    .max(5)
    .default(2)
    .describe(
      'Nested levels allowed under a sample: a run at this depth no longer sees the member, and a call to it is refused',
    ),
  // Its own calls cost nothing: the nested calls carry their prices, and roll up into the member's event.
  price: priceSchema.default({ input: 0, output: 0 }),
});

export type OrchestratorMember = z.output<typeof orchestratorMemberSchema>;

export function isOrchestratorMember(agent: { provider: string }): agent is OrchestratorMember {
  return agent.provider === ORCHESTRATOR_PROVIDER;
}
