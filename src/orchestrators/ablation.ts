import { orchestratorFamilies } from './registry.js';
import type { OrchestratorOptions } from './types.js';

/** The id of an orchestrator's ablated arm in one run: `fusion[-claude]`. */
export function armId(orchestratorId: string, dropped: readonly string[]): string {
  return `${orchestratorId}[-${dropped.join(',-')}]`;
}

/**
 * Why an orchestrator cannot run without the dropped agents (a judge, a planner or `single`'s agent is
 * gone, or every member of one of its lists), or undefined when it can route around them.
 */
export function cannotRunWithout(
  options: OrchestratorOptions,
  dropped: ReadonlySet<string>,
): string | undefined {
  const family = orchestratorFamilies.find((f) => f.family === options.family);
  const refs = family?.agentRefs(options as never) ?? [];
  const fixed = refs.find((r) => !r.routable && dropped.has(r.agentId));
  if (fixed) return `its ${fixed.path.join('.')} '${fixed.agentId}' is dropped`;
  const lists = new Map<string, string[]>();
  for (const r of refs.filter((r) => r.routable)) {
    const list = String(r.path[0]);
    lists.set(list, [...(lists.get(list) ?? []), r.agentId]);
  }
  for (const [list, members] of lists) {
    if (members.every((m) => dropped.has(m))) return `every member of its ${list} is dropped`;
  }
  return undefined;
}
