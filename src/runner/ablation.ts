import { UsageError } from '../config/errors.js';
import type { LoadedConfig, OrchestratorOptions } from '../config/load.js';
import type { RunConfig } from '../config/schema.js';
import { orchestratorFamilies } from '../orchestrators/registry.js';

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

/**
 * Sample position (in the planned, task-major order) from which each faulty agent is out. A position
 * rather than a count of finished samples: with samples in flight concurrently, only a position names
 * the same samples on every run and on a resume.
 */
export function outageStarts(faults: RunConfig['faults'], planned: number): Map<string, number> {
  const starts = new Map<string, number>();
  for (const f of faults) {
    const at = f.afterSamples ?? Math.ceil((f.afterFraction ?? 0) * planned);
    starts.set(f.agent, Math.min(at, starts.get(f.agent) ?? at));
  }
  return starts;
}

/** `drop:` / `--drop-agent` must leave every orchestrator able to run: else stop before anything starts. */
export function assertRunnableWithoutDropped(config: Pick<LoadedConfig, 'drop' | 'orchestrators'>): void {
  const dropped = new Set(config.drop);
  const unrunnable = config.orchestrators.flatMap((o) => {
    const why = cannotRunWithout(o, dropped);
    return why ? [`${o.id}: ${why}`] : [];
  });
  if (unrunnable.length > 0)
    throw new UsageError(`cannot drop ${config.drop.join(', ')}: ${unrunnable.join('; ')}`);
}
