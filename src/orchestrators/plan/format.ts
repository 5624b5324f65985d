import { z } from 'zod';

/** Conductor's plan: three parallel lists (arXiv 2512.04388), here written as one JSON object. */
const planSchema = z.object({
  model_id: z.array(z.string()).min(1),
  subtasks: z.array(z.string()),
  access_list: z.array(z.union([z.literal('all'), z.array(z.number().int().nonnegative())])),
});

export interface PlanStep {
  agentId: string;
  subtask: string;
  /** Earlier step indices whose outputs this step sees. */
  sees: number[];
}

export type PlanParse = { ok: true; steps: PlanStep[] } | { ok: false; reason: string };

export function parsePlan(text: string, poolIds: ReadonlySet<string>, maxSteps: number): PlanParse {
  const json = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text)?.[1] ?? text;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'plan is not valid JSON' };
  }
  const parsed = planSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: `plan fields: ${parsed.error.issues[0]?.message}` };
  const { model_id: models, subtasks, access_list: access } = parsed.data;
  if (subtasks.length !== models.length || access.length !== models.length) {
    return { ok: false, reason: 'model_id, subtasks and access_list differ in length' };
  }
  if (models.length > maxSteps)
    return { ok: false, reason: `plan has ${models.length} steps, limit ${maxSteps}` };
  const unknown = models.find((m) => !poolIds.has(m));
  if (unknown !== undefined) return { ok: false, reason: `unknown model_id '${unknown}'` };
  const steps: PlanStep[] = [];
  for (const [i, agentId] of models.entries()) {
    const entry = access[i] ?? [];
    const sees = entry === 'all' ? [...Array(i).keys()] : entry;
    if (sees.some((j) => j >= i)) return { ok: false, reason: `step ${i} may only see earlier steps` };
    steps.push({ agentId, subtask: subtasks[i] ?? '', sees });
  }
  return { ok: true, steps };
}
