import { z } from 'zod';
import { readPythonLists } from './python-lists.js';

/**
 * Conductor's plan (arXiv 2512.04388): three parallel lists. `model_id` entries are pool ids or
 * indices into the pool as listed to the planner; `access_list` entries are "all", a list of
 * earlier step indices, or none.
 */
const planSchema = z.object({
  model_id: z.array(z.union([z.string(), z.number().int().nonnegative()])).min(1),
  subtasks: z.array(z.string()),
  access_list: z.array(
    z.union([z.literal('all'), z.literal('none'), z.null(), z.array(z.number().int().nonnegative())]),
  ),
});

export interface PlanStep {
  agentId: string;
  subtask: string;
  /** Earlier step indices whose outputs this step sees. */
  sees: number[];
}

export type PlanParse = { ok: true; steps: PlanStep[] } | { ok: false; reason: string };

/** The plan as written: a JSON object (fenced or bare), else the paper's three Python lists. */
function readPlan(text: string): unknown {
  const json = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text)?.[1] ?? text;
  try {
    return JSON.parse(json);
  } catch {
    try {
      return readPythonLists(text);
    } catch {
      return undefined;
    }
  }
}

/** `poolIds` in the order the planner saw them (indices in model_id refer to it). */
export function parsePlan(text: string, poolIds: readonly string[], maxSteps: number): PlanParse {
  const value = readPlan(text);
  if (value === undefined) return { ok: false, reason: 'plan is neither JSON nor the three lists' };
  const parsed = planSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: `plan fields: ${parsed.error.issues[0]?.message}` };
  const { model_id: models, subtasks, access_list: access } = parsed.data;
  if (subtasks.length !== models.length || access.length !== models.length) {
    return { ok: false, reason: 'model_id, subtasks and access_list differ in length' };
  }
  if (models.length > maxSteps)
    return { ok: false, reason: `plan has ${models.length} steps, limit ${maxSteps}` };
  const ids = models.map((m) => (typeof m === 'number' ? poolIds[m] : poolIds.includes(m) ? m : undefined));
  const unknown = models.find((_, i) => ids[i] === undefined);
  if (unknown !== undefined) return { ok: false, reason: `unknown model_id '${unknown}'` };
  const steps: PlanStep[] = [];
  for (const [i, agentId] of ids.entries()) {
    const entry = access[i] ?? [];
    const sees = entry === 'all' ? [...Array(i).keys()] : entry === 'none' || entry === null ? [] : entry;
    if (sees.some((j) => j >= i)) return { ok: false, reason: `step ${i} may only see earlier steps` };
    steps.push({ agentId: agentId as string, subtask: subtasks[i] ?? '', sees });
  }
  return { ok: true, steps };
}
