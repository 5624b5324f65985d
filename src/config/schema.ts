import { z } from 'zod';
import { ORCHESTRATOR_PROVIDER, orchestratorMemberSchema } from '../orchestrators/member.js';
import { orchestratorFamilies } from '../orchestrators/registry.js';
import { providerKinds } from '../providers/registry.js';
import { claimRefSchema } from '../report/claims/schema.js';
import { scorerDefinitions } from '../scoring/registry.js';
import { suiteRefSchema } from '../suites/ref-schema.js';
import { trainingSchema } from './train-schema.js';

const agentIds = z.array(z.string()).min(1);

/** An agent that starts failing part-way through a run (pool ablation under fire). */
const faultSchema = z
  .object({
    agent: z.string(),
    kind: z.literal('outage').describe('Every call to the agent fails (recorded as an `unavailable` error)'),
    afterSamples: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('From this position in the planned sample order on (task-major: all orchestrators alike)'),
    afterFraction: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('From this fraction of the planned samples on'),
  })
  .strict()
  .refine((f) => (f.afterSamples === undefined) !== (f.afterFraction === undefined), {
    message: 'give exactly one of afterSamples, afterFraction',
  });

/** One comparison of `decide:` (util/stats/sequential.ts). */
const decisionSchema = z
  .object({
    a: z.string().describe('Orchestrator id: the reference'),
    b: z.string().describe('Orchestrator id judged against a (the difference is b − a)'),
    margin: z.number().min(0).max(100).describe('In accuracy points (2 = two points)'),
    mode: z
      .enum(['non-inferiority', 'superiority', 'equivalence'])
      .default('non-inferiority')
      .describe(
        'non-inferiority: is b at most `margin` points worse than a? superiority: is b more than `margin` points better? equivalence: is |b − a| below `margin`?',
      ),
  })
  .strict();

/** A config's `plugins:`, read before the rest because its entries add to what the rest may name. */
export const pluginsSchema = z
  .array(z.string().min(1))
  .default([])
  .describe(
    'Modules (.mjs) adding orchestrator families, providers and scorers, relative to this config file (docs/extending.md)',
  );

/**
 * The run config schema over the registries as they are now: the built-ins, plus what the config's
 * plugins added once they are loaded.
 */
export function runConfigSchema() {
  const agentSchema = z.discriminatedUnion('provider', [
    ...providerKinds.map((p) => p.agentSchema),
    orchestratorMemberSchema,
  ] as unknown as [z.ZodObject, ...z.ZodObject[]]);
  const orchestratorSchema = z.discriminatedUnion(
    'family',
    orchestratorFamilies.map((f) => f.optionsSchema) as unknown as [z.ZodObject, ...z.ZodObject[]],
  );
  return z
    .object({
      $schema: z.string().optional(),
      plugins: pluginsSchema,
      name: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore; no spaces'),
      description: z.string().optional(),
      seed: z.number().int().nonnegative().default(1),
      repeats: z.number().int().min(1).max(100).default(1).describe('Samples per task and orchestrator'),
      concurrency: z.number().int().min(1).max(4096).default(8).describe('Samples in flight at once'),
      output: z
        .string()
        .default('reports')
        .describe('Directory for run folders, relative to the working directory'),
      budget: z
        .object({
          usd: z
            .number()
            .positive()
            .optional()
            .describe("Cap on the run's spending (USD): no call starts unless its worst case still fits"),
          assumeMaxOutputTokens: z
            .number()
            .int()
            .positive()
            .default(32_768)
            .describe('Output tokens assumed for the worst case of an agent that sets no params.maxTokens'),
        })
        .strict()
        .default({ assumeMaxOutputTokens: 32_768 }),
      cache: z
        .union([z.boolean(), z.literal('read-only')])
        .default(true)
        .describe(
          'The response cache shared by all runs of this user (BATON_CACHE_DIR, else ~/.cache/baton; README "Response cache"): true reuses answers any earlier run bought for the same request (provider settings, model, parameters, messages, seed, sample) and adds new ones; \'read-only\' (CI) reuses them and writes nothing; false leaves it alone. `--no-cache` turns it off for one command',
        ),
      providerConcurrency: z
        .object({
          initial: z
            .number()
            .int()
            .min(1)
            .default(16)
            .describe('Requests in flight per provider endpoint at start'),
          min: z.number().int().min(1).default(1),
          max: z.number().int().min(1).default(256),
        })
        .strict()
        .default({ initial: 16, min: 1, max: 256 })
        .describe('Adaptive (AIMD) limit per provider endpoint: halves on a 429, grows back on success'),
      retries: z
        .object({
          maxAttempts: z.number().int().min(1).max(20).default(4),
          initialDelayMs: z.number().int().nonnegative().default(500),
          maxDelayMs: z.number().int().nonnegative().default(30_000),
          requestTimeoutMs: z.number().int().positive().default(600_000),
        })
        .strict()
        .default({ maxAttempts: 4, initialDelayMs: 500, maxDelayMs: 30_000, requestTimeoutMs: 600_000 }),
      scoring: z
        .object({
          sandbox: z
            .enum(['auto', 'docker', 'local'])
            .default('auto')
            .describe('auto: Docker when an engine answers and the image exists, else local (no isolation)'),
          poolSize: z.number().int().min(1).max(64).optional().describe('Warm sandboxes; default: CPU count'),
          timeoutMs: z
            .number()
            .int()
            .positive()
            .optional()
            .describe(
              "Per test case; default: the task's own, else its benchmark's (LiveCodeBench 6 s, HumanEval 3 s)",
            ),
          memoryMb: z.number().int().positive().default(512),
        })
        .strict()
        .default({ sandbox: 'auto', memoryMb: 512 }),
      training: trainingSchema.optional().describe('Used by `baton train` only'),
      pool: z.array(agentSchema).min(1),
      drop: z
        .array(z.string())
        .default([])
        .describe('Pool members removed for the whole run (also `baton run --drop-agent ID`)'),
      ablation: z
        .object({ drop: agentIds.describe('Pool members the second arm runs without') })
        .strict()
        .optional()
        .describe(
          'Run every orchestrator twice, with the full pool and without these members; the report compares',
        ),
      faults: z.array(faultSchema).default([]),
      orchestrators: z.array(orchestratorSchema).min(1),
      decide: z
        .array(decisionSchema)
        .default([])
        .describe(
          'Comparisons to decide sequentially: tasks run in a seeded random order, and `baton run --until-decided` stops once an anytime-valid confidence sequence on accuracy b − a answers each (README: Sequential stopping)',
        ),
      suites: z.array(suiteRefSchema).min(1),
      claims: z
        .array(claimRefSchema)
        .optional()
        .describe('Published figures (configs/claims/*.yaml) to compare with the measured results'),
      report: z
        .object({
          baseline: z
            .string()
            .optional()
            .describe(
              "Orchestrator id the report's decision summary compares every other with. Default: the single-family orchestrator with the lowest mean cost per sample, else the cheapest orchestrator",
            ),
        })
        .strict()
        .optional()
        .describe('What the report leads with'),
    })
    .strict()
    .superRefine((config, ctx) => {
      const ids = new Set<string>();
      for (const [i, agent] of config.pool.entries()) {
        const id = agent.id as string;
        if (ids.has(id))
          ctx.addIssue({ code: 'custom', path: ['pool', i, 'id'], message: `duplicate agent id '${id}'` });
        ids.add(id);
      }
      const agentRef = (path: (string | number)[], agentId: string) => {
        if (!ids.has(agentId))
          ctx.addIssue({ code: 'custom', path, message: `no pool member with id '${agentId}'` });
      };
      for (const [i, agentId] of config.drop.entries()) agentRef(['drop', i], agentId);
      for (const [i, agentId] of (config.ablation?.drop ?? []).entries())
        agentRef(['ablation', 'drop', i], agentId);
      for (const [i, fault] of config.faults.entries()) agentRef(['faults', i, 'agent'], fault.agent);
      const orchestratorIds = new Set<string>();
      for (const [i, options] of config.orchestrators.entries()) {
        const id = options.id as string;
        if (orchestratorIds.has(id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['orchestrators', i, 'id'],
            message: `duplicate orchestrator id '${id}'`,
          });
        }
        orchestratorIds.add(id);
        const family = orchestratorFamilies.find((f) => f.family === options.family);
        for (const ref of family?.agentRefs(options as never) ?? [])
          agentRef(['orchestrators', i, ...ref.path], ref.agentId);
      }
      for (const [i, agent] of config.pool.entries()) {
        const target = agent.orchestrator;
        if (agent.provider === ORCHESTRATOR_PROVIDER && !orchestratorIds.has(String(target))) {
          ctx.addIssue({
            code: 'custom',
            path: ['pool', i, 'orchestrator'],
            message: `no orchestrator with id '${String(target)}'`,
          });
        }
      }
      const baseline = config.report?.baseline;
      if (baseline !== undefined && !orchestratorIds.has(baseline))
        ctx.addIssue({
          code: 'custom',
          path: ['report', 'baseline'],
          message: `no orchestrator with id '${baseline}'`,
        });
      const trained = config.training?.orchestrator;
      if (
        trained !== undefined &&
        !config.orchestrators.some((o) => o.id === trained && o.family === 'trinity')
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['training', 'orchestrator'],
          message: `no trinity orchestrator with id '${trained}'`,
        });
      }
      for (const [i, d] of config.decide.entries()) {
        for (const side of ['a', 'b'] as const)
          if (!orchestratorIds.has(d[side]))
            ctx.addIssue({
              code: 'custom',
              path: ['decide', i, side],
              message: `no orchestrator with id '${d[side]}'`,
            });
        if (d.a === d.b)
          ctx.addIssue({ code: 'custom', path: ['decide', i, 'b'], message: 'a and b must differ' });
        if (d.mode === 'equivalence' && d.margin === 0)
          ctx.addIssue({
            code: 'custom',
            path: ['decide', i, 'margin'],
            message: 'equivalence needs a margin above 0',
          });
      }
      for (const [i, suite] of config.suites.entries()) {
        if (suite.scorer !== undefined && !scorerDefinitions.some((s) => s.id === suite.scorer))
          ctx.addIssue({
            code: 'custom',
            path: ['suites', i, 'scorer'],
            message: `no scorer '${suite.scorer}' (known: ${scorerDefinitions.map((s) => s.id).join(', ')})`,
          });
      }
    });
}

export type RunConfig = z.output<ReturnType<typeof runConfigSchema>>;
