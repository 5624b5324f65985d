import { z } from 'zod';
import { baseOrchestratorSchema } from '../options-schema.js';
import { plannerMessages, stepMessages } from '../prompts.js';
import { type CallOutput, callOrNull, type OrchestratorDefinition, range } from '../types.js';
import { type PlanStep, parsePlan } from './format.js';

const optionsSchema = baseOrchestratorSchema.extend({
  family: z.literal('plan'),
  planner: z
    .string()
    .describe('Pool member that writes the plan (a Conductor checkpoint or a prompted GPT/Gemini)'),
  workers: z
    .array(z.string())
    .min(1)
    .optional()
    .describe('Pool members the plan may use; default: all but the planner'),
  maxSteps: z.number().int().min(1).max(5).default(5),
  maxResamples: z
    .number()
    .int()
    .min(0)
    .max(10)
    .default(3)
    .describe('Extra planner calls after a malformed plan'),
});

/** Conductor-style planner: one plan of ≤ 5 steps with access lists, run in order; last output answers. */
export const planOrchestrator: OrchestratorDefinition<typeof optionsSchema> = {
  family: 'plan',
  optionsSchema,
  agentRefs: (o) => [
    { path: ['planner'], agentId: o.planner },
    ...(o.workers ?? []).map((agentId, i) => ({ path: ['workers', i], agentId, routable: true })),
  ],
  // A plan, then its steps, each seeing every earlier step. Typical: half the allowed steps (rounded
  // up); high: one resampled plan and every allowed step.
  estimateCalls: (o, task, scenario, pool) => {
    const workers = pool.filter((a) => (o.workers ? o.workers.includes(a.id) : a.id !== o.planner));
    const plans = scenario === 'high' ? Math.min(2, 1 + o.maxResamples) : 1;
    const steps = scenario === 'high' ? o.maxSteps : Math.ceil(o.maxSteps / 2);
    const planner = plannerMessages(task, workers, o.maxSteps);
    return [
      ...range(plans).map(() => ({ agents: [o.planner], messages: planner, sees: [] })),
      ...range(steps).map((i) => ({
        agents: workers.map((a) => a.id),
        messages: stepMessages(task, '', []),
        sees: range(i).map((j) => plans + j),
      })),
    ];
  },
  create: (o) => ({
    async solve(ctx) {
      const workers = ctx.pool.filter((a) => (o.workers ? o.workers.includes(a.id) : a.id !== o.planner));
      const workerIds = workers.map((a) => a.id);
      const messages = plannerMessages(ctx.task, workers, o.maxSteps);
      const rejected: string[] = [];
      let plan: { steps: PlanStep[]; call: CallOutput } | undefined;
      while (!plan && rejected.length <= o.maxResamples) {
        const call = await ctx.call(o.planner, messages, { role: 'planner' });
        const parsed = parsePlan(call.text, workerIds, o.maxSteps);
        if (parsed.ok) plan = { steps: parsed.steps, call };
        else rejected.push(parsed.reason);
      }
      // A coordinator that cannot write a plan has failed the task: a wrong answer, not a provider error.
      if (!plan) return { answer: '', meta: { planFailed: true, planResamples: rejected.length, rejected } };
      // A failed step (a lost agent) leaves a gap: later steps do not see it, and the answer is the
      // last step that produced an output.
      const outputs: (CallOutput | null)[] = [];
      for (const step of plan.steps) {
        const seen = step.sees.flatMap((j) => {
          const output = outputs[j];
          return output ? [{ index: j, output }] : [];
        });
        const out = await callOrNull(
          ctx,
          step.agentId,
          stepMessages(
            ctx.task,
            step.subtask,
            seen.map(({ index, output }) => ({ index, agentId: output.agentId, text: output.text })),
          ),
          {
            role: 'step',
            subtask: step.subtask,
            visibleSteps: seen.map((s) => s.output.step),
            parentStep: plan.call.step,
          },
        );
        outputs.push(out);
      }
      const failedSteps = outputs.filter((o) => o === null).length;
      return {
        answer: outputs.filter((o) => o !== null).at(-1)?.text ?? '',
        meta: {
          planResamples: rejected.length,
          rejected,
          plan: plan.steps,
          ...(failedSteps > 0 ? { failedSteps } : {}),
        },
      };
    },
  }),
};
