import { z } from 'zod';
import { baseOrchestratorSchema } from '../options-schema.js';
import { routerMessages, turnMessages } from '../prompts.js';
import { runTurns } from '../turn-loop.js';
import type { EstimatedCall, OrchestratorDefinition } from '../types.js';
import { parseRoute } from './route.js';

const optionsSchema = baseOrchestratorSchema.extend({
  family: z.literal('prompted-router'),
  router: z
    .string()
    .describe('Pool member prompted to pick (agent, role) each turn (GPT/Gemini in real configs)'),
  agents: z.array(z.string()).min(1).describe('Pool members it may call'),
  maxTurns: z.number().int().min(1).max(5).default(5),
  maxResamples: z
    .number()
    .int()
    .min(0)
    .max(10)
    .default(2)
    .describe('Extra router calls after an unreadable reply'),
});

/** TRINITY Table 8's control: the same turn loop, with a prompted model as the coordinator. */
export const promptedRouterOrchestrator: OrchestratorDefinition<typeof optionsSchema> = {
  family: 'prompted-router',
  optionsSchema,
  agentRefs: (o) => [
    { path: ['router'], agentId: o.router },
    ...o.agents.map((agentId, i) => ({ path: ['agents', i], agentId, routable: true })),
  ],
  // Per turn a router call and the chosen agent's call, each seeing every earlier turn. Typical: half
  // the allowed turns (rounded up); high: every turn and one resampled route.
  estimateCalls: (o, task, scenario, pool) => {
    const agents = pool.filter((a) => o.agents.includes(a.id));
    const turns = scenario === 'high' ? o.maxTurns : Math.ceil(o.maxTurns / 2);
    const calls: EstimatedCall[] = [];
    const answered: number[] = [];
    for (let turn = 0; turn < turns; turn++) {
      const route = { agents: [o.router], messages: routerMessages(task, agents, []), sees: [...answered] };
      calls.push(route);
      if (turn === 0 && scenario === 'high' && o.maxResamples > 0) calls.push(route);
      calls.push({
        agents: agents.map((a) => a.id),
        messages: turnMessages(task, 'worker', []),
        sees: [...answered],
      });
      answered.push(calls.length - 1);
    }
    return calls;
  },
  create: (o) => ({
    solve: (ctx) =>
      runTurns(ctx, o.agents, o.maxTurns, async (state, available) => {
        // The router is told only about agents it can still call (dropped and failed ones are left out).
        const pool = ctx.pool.filter((a) => available.has(a.id));
        const seen = state.turns.map((t, i) => ({
          index: i,
          agentId: t.agentId,
          role: t.role,
          text: t.text,
        }));
        const rejected: string[] = [];
        while (rejected.length <= o.maxResamples) {
          const reply = await ctx.call(o.router, routerMessages(ctx.task, pool, seen), {
            role: 'router',
            visibleSteps: state.turns.map((t) => t.step),
          });
          const route = parseRoute(reply.text, available);
          if (route.ok)
            return { agentId: route.agentId, role: route.role, basis: { routerStep: reply.step, rejected } };
          rejected.push(route.reason);
        }
        return { failed: `router replies unreadable ${rejected.length} times: ${rejected.join('; ')}` };
      }),
  }),
};
