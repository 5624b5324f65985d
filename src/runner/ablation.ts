import type { LoadedConfig } from '../config/load.js';
import type { RunConfig } from '../config/schema.js';
import { cannotRunWithout } from '../orchestrators/ablation.js';
import { UsageError } from '../util/errors.js';

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
