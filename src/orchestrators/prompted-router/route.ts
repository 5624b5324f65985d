import { z } from 'zod';
import { TRINITY_ROLES, type TrinityRole } from '../trinity/roles.js';

const routeSchema = z.object({ agent: z.string(), role: z.enum(TRINITY_ROLES) });

export type RouteParse = { ok: true; agentId: string; role: TrinityRole } | { ok: false; reason: string };

/** Reads the router's `{"agent", "role"}` reply (bare or fenced JSON); the agent must be in the pool. */
export function parseRoute(text: string, agents: ReadonlySet<string>): RouteParse {
  const json = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text)?.[1] ?? /\{[\s\S]*\}/.exec(text)?.[0] ?? text;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'route is not valid JSON' };
  }
  const parsed = routeSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: `route fields: ${parsed.error.issues[0]?.message}` };
  if (!agents.has(parsed.data.agent)) return { ok: false, reason: `unknown agent '${parsed.data.agent}'` };
  return { ok: true, agentId: parsed.data.agent, role: parsed.data.role };
}
