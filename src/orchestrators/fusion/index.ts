import { z } from 'zod';
import type { VisibleOutput } from '../../util/transcript.js';
import { baseOrchestratorSchema } from '../options-schema.js';
import { judgeMessages, solverMessages, synthesisMessages } from '../prompts.js';
import { callOrNull, OrchestrationError, type OrchestratorDefinition, range } from '../types.js';
import { parseAnalysis } from './analysis.js';

const optionsSchema = baseOrchestratorSchema.extend({
  family: z.literal('fusion'),
  panel: z.array(z.string()).min(1).max(8).describe('Pool members answering in parallel (at most 8)'),
  judge: z.string(),
  synthesizer: z.string().optional().describe('Defaults to the judge'),
  minSuccessful: z.number().int().min(1).default(1).describe('Fewest panel answers to go on with'),
});

/** Fixed pipeline (OpenRouter Fusion): panel in parallel → judge JSON analysis → synthesis. */
export const fusionOrchestrator: OrchestratorDefinition<typeof optionsSchema> = {
  family: 'fusion',
  optionsSchema,
  agentRefs: (o) => [
    ...o.panel.map((agentId, i) => ({ path: ['panel', i], agentId, routable: true })),
    { path: ['judge'], agentId: o.judge },
    ...(o.synthesizer ? [{ path: ['synthesizer'], agentId: o.synthesizer }] : []),
  ],
  // Every panelist, then the judge (sees the panel) and the synthesis (sees the panel and the judge).
  estimateCalls: (o, task, _scenario, pool) => {
    const panel = o.panel.filter((id) => pool.some((a) => a.id === id));
    return [
      ...panel.map((agentId) => ({
        agents: [agentId],
        messages: solverMessages(task, 'panelist'),
        sees: [],
      })),
      { agents: [o.judge], messages: judgeMessages(task, []), sees: range(panel.length) },
      {
        agents: [o.synthesizer ?? o.judge],
        messages: synthesisMessages(task, [], ''),
        sees: range(panel.length + 1),
      },
    ];
  },
  create: (o) => ({
    async solve(ctx) {
      // Dropped agents leave the panel; failed panel calls are tolerated down to minSuccessful.
      const panel = o.panel.filter((id) => ctx.pool.some((a) => a.id === id));
      const settled = await Promise.all(
        panel.map((agentId) =>
          callOrNull(ctx, agentId, solverMessages(ctx.task, 'panelist'), { role: 'panelist' }),
        ),
      );
      const answers = settled.filter((s) => s !== null);
      const failures = settled.length - answers.length;
      if (answers.length === 0) throw new OrchestrationError('all_panels_failed', 'every panel call failed');
      if (answers.length < o.minSuccessful) {
        throw new OrchestrationError(
          'too_few_panels',
          `${answers.length} of ${panel.length} panel calls succeeded; minSuccessful is ${o.minSuccessful}`,
        );
      }
      const visible: VisibleOutput[] = answers.map((a, i) => ({
        index: i + 1,
        agentId: a.agentId,
        text: a.text,
      }));
      const steps = answers.map((a) => a.step);
      const judged = await ctx.call(o.judge, judgeMessages(ctx.task, visible), {
        role: 'judge',
        visibleSteps: steps,
      });
      const analysis = parseAnalysis(judged.text);
      const synthesis = await ctx.call(
        o.synthesizer ?? o.judge,
        synthesisMessages(ctx.task, visible, analysis ? JSON.stringify(analysis, null, 2) : judged.text),
        { role: 'synthesizer', visibleSteps: [...steps, judged.step] },
      );
      return {
        answer: synthesis.text,
        meta: { panelFailures: failures, ...(analysis ? {} : { judgeNotValidJson: true }) },
      };
    },
  }),
};
