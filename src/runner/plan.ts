import type { LoadedConfig } from '../config/load.js';
import { armId, cannotRunWithout } from '../orchestrators/ablation.js';
import type { Orchestrator } from '../orchestrators/types.js';
import type { Task } from '../suites/types.js';
import { inSeededOrder } from '../util/stats/sequential.js';
import type { ConfiguredOrchestrator } from './orchestrators.js';

export interface PlannedSample {
  sampleId: string;
  /** The orchestrator's id in the config (without an ablation arm's suffix). */
  configId: string;
  /** The orchestrator's id, or its ablated arm's (`fusion[-claude]`). */
  orchestratorId: string;
  family: string;
  orchestrator: Orchestrator;
  task: Task;
  repeat: number;
  /** Position in the planned order (outages start at a position). */
  index: number;
  /** Pool members this sample runs without (the config's `drop`, plus the ablation's in that arm). */
  dropped: ReadonlySet<string>;
}

export interface Arm {
  /** An orchestrator's id in this arm (`fusion`, or `fusion[-claude]` without the ablated members). */
  id: (configId: string) => string;
  dropped: ReadonlySet<string>;
}

/** The run's arms: the config's pool, and (with `ablation`) the same pool without the ablated members. */
export function arms(config: Pick<LoadedConfig, 'drop' | 'ablation'>): Arm[] {
  const full = { id: (id: string) => id, dropped: new Set(config.drop) };
  const ablated = config.ablation?.drop;
  if (!ablated) return [full];
  return [full, { id: (id: string) => armId(id, ablated), dropped: new Set([...config.drop, ...ablated]) }];
}

/**
 * Every (orchestrator × task × repeat) sample of every arm, in task-major order: if a budget stops the
 * run early, every orchestrator has the same tasks done. An ablation arm that cannot run without its
 * dropped members is left out (the report says so). A config with `decide:` takes its tasks in a
 * seeded random order instead, all repeats of a task together (the order `--until-decided` observes).
 */
export function planSamples(
  config: LoadedConfig,
  tasks: readonly Task[],
  orchestrators: readonly ConfiguredOrchestrator[],
): PlannedSample[] {
  const optionsOf = new Map(config.orchestrators.map((o) => [o.id, o]));
  // `--only`: the others are built only to be called as members of the kept ones.
  const only = config.selection.only;
  const run = only ? orchestrators.filter((o) => only.includes(o.id)) : orchestrators;
  const planned: PlannedSample[] = [];
  const sequential = config.decide.length > 0;
  const rounds = sequential
    ? inSeededOrder(config.seed, tasks).flatMap((task) =>
        Array.from({ length: config.repeats }, (_, repeat) => ({ task, repeat })),
      )
    : Array.from({ length: config.repeats }, (_, repeat) => tasks.map((task) => ({ task, repeat }))).flat();
  for (const { task, repeat } of rounds) {
    for (const arm of arms(config)) {
      for (const { id, family, orchestrator } of run) {
        const options = optionsOf.get(id);
        if (options && cannotRunWithout(options, arm.dropped)) continue;
        const orchestratorId = arm.id(id);
        planned.push({
          sampleId: `${orchestratorId}/${task.suite}/${task.id}#${repeat}`,
          configId: id,
          orchestratorId,
          family,
          orchestrator,
          task,
          repeat,
          index: planned.length,
          dropped: arm.dropped,
        });
      }
    }
  }
  return planned;
}
