// A custom orchestrator family: ask two pool members the same question, keep the longer answer.
// Used by longer-answer.yaml; walked through in docs/extending.md.

export default function plugin({
  z,
  baseOrchestratorSchema,
  solverMessages,
  callOrNull,
  OrchestrationError,
}) {
  const optionsSchema = baseOrchestratorSchema.extend({
    family: z.literal('longer-answer'),
    agents: z.array(z.string()).length(2).describe('The two pool members asked'),
  });

  return {
    orchestrators: [
      {
        family: 'longer-answer',
        optionsSchema,
        // Checked against the pool when the config loads; routable: one dropped agent leaves the other.
        agentRefs: (options) =>
          options.agents.map((agentId, i) => ({ path: ['agents', i], agentId, routable: true })),
        // What `baton run --dry-run` prices: two independent calls per sample.
        estimateCalls: (options, task) =>
          options.agents.map((agentId) => ({ agents: [agentId], messages: solverMessages(task), sees: [] })),
        create: (options) => ({
          async solve(ctx) {
            const agents = options.agents.filter((id) => ctx.pool.some((a) => a.id === id));
            const outputs = await Promise.all(
              agents.map((id) => callOrNull(ctx, id, solverMessages(ctx.task), { role: 'solver' })),
            );
            const answered = outputs.filter((out) => out !== null);
            if (answered.length === 0) throw new OrchestrationError('all_calls_failed', 'both agents failed');
            const longer = answered.reduce((best, out) => (out.text.length > best.text.length ? out : best));
            return {
              answer: longer.text,
              meta: { chosen: longer.agentId, lengths: answered.map((o) => o.text.length) },
            };
          },
        }),
      },
    ],
  };
}
