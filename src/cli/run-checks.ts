import type { LoadedConfig } from '../config/load.js';
import { selectionFlags } from '../config/selection.js';
import { formatEndpointChecks } from '../runner/endpoints.js';
import { estimateRunCost, extrapolatePilot, formatEstimate } from '../runner/estimate.js';
import type { ConfiguredOrchestrator } from '../runner/orchestrators.js';
import { PreflightError, preflight } from '../runner/preflight.js';
import type { SampleResult } from '../store/records.js';
import type { Task } from '../suites/types.js';
import { UsageError } from '../util/errors.js';

export interface RunChecksOptions {
  resume?: boolean | string | undefined;
  runId?: string | undefined;
  dryRun?: boolean | undefined;
  replay?: string | undefined;
  queue?: string | undefined;
  /** `--check-endpoints`: one model-list request per endpoint. */
  checkEndpoints?: boolean | undefined;
  /** `--pilot N`: N tasks per orchestrator, then the full run's cost extrapolated. */
  pilot?: string | undefined;
}

export interface CheckedRun {
  /** The tasks to run now: the suites', or the pilot's share of them. */
  tasks: Task[];
  orchestrators: ConfiguredOrchestrator[];
  pilot?: Pilot;
}

/**
 * Preflight for `baton run`: every problem at once (exit 2 through PreflightError), warnings and
 * endpoint checks on stderr; with `--dry-run`, the cost estimate beside the budget and the exit code
 * (the estimate is printed whenever it can be computed, problems or not).
 */
export async function checkBeforeRun(
  config: LoadedConfig,
  options: RunChecksOptions,
  env: NodeJS.ProcessEnv,
): Promise<CheckedRun | { exitCode: number }> {
  const pilotTasks = options.pilot === undefined ? undefined : parsePilot(options.pilot);
  if (pilotTasks !== undefined && options.dryRun)
    throw new UsageError('--pilot runs samples and --dry-run runs none: give one of them');
  if (pilotTasks !== undefined && options.resume !== undefined)
    throw new UsageError('--pilot starts a new run: it cannot be combined with --resume');
  const checked = await preflight(config, {
    env,
    resume: options.resume,
    runId: options.runId,
    replay: options.replay !== undefined,
    queue: options.queue !== undefined,
    checkEndpoints: options.checkEndpoints ?? false,
  });
  for (const warning of checked.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (checked.endpoints) process.stderr.write(formatEndpointChecks(checked.endpoints));
  if (options.dryRun) {
    if (checked.tasks && checked.priced)
      process.stdout.write(formatEstimate(estimateRunCost(config, checked.tasks), config.budget.usd));
    if (checked.problems.length > 0) throw new PreflightError(checked.problems);
    return { exitCode: 0 };
  }
  if (checked.problems.length > 0 || !checked.tasks || !checked.orchestrators)
    throw new PreflightError(checked.problems);
  if (pilotTasks === undefined) return { tasks: checked.tasks, orchestrators: checked.orchestrators };
  const tasks = spread(checked.tasks, pilotTasks);
  return {
    tasks,
    orchestrators: checked.orchestrators,
    pilot: new Pilot(config, checked.tasks, tasks.length),
  };
}

/** `--pilot N`: at least 2 tasks, so the spread of their costs can be measured. */
function parsePilot(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 2)
    throw new UsageError(
      `--pilot takes a whole number of tasks, at least 2 (to measure a spread), not '${text}'`,
    );
  return n;
}

/** n tasks spread evenly over the suites' order (every suite gets its share), or all of them. */
export function spread(tasks: readonly Task[], n: number): Task[] {
  if (n >= tasks.length) return [...tasks];
  return Array.from({ length: n }, (_, i) => tasks[Math.floor(((i + 0.5) * tasks.length) / n)] as Task);
}

/** Collects the pilot's per-sample costs and prints the full run's cost extrapolated from them. */
export class Pilot {
  private readonly costs = new Map<string, number[]>();

  constructor(
    private readonly config: LoadedConfig,
    private readonly fullTasks: readonly Task[],
    readonly tasks: number,
  ) {}

  add(sample: Pick<SampleResult, 'orchestrator' | 'costUsd'>): void {
    this.costs.set(sample.orchestrator, [...(this.costs.get(sample.orchestrator) ?? []), sample.costUsd]);
  }

  /** The extrapolation beside the budget, and how to go on with the full run. */
  print(runId: string, runDir: string): void {
    // The full run's rows (orchestrators and ablation arms) and their sample counts.
    const rows = estimateRunCost(this.config, this.fullTasks).rows;
    const estimate = extrapolatePilot(this.costs, new Map(rows.map((r) => [r.orchestrator, r.samples])), {
      tasks: this.tasks,
      runDir,
    });
    process.stdout.write(`\n${formatEstimate(estimate, this.config.budget.usd)}`);
    process.stdout.write(
      `continue with the full run: baton run ${[this.config.file, '--resume', runId, selectionFlags(this.config.selection)].filter(Boolean).join(' ')} (the pilot's samples are kept, not bought again)\n`,
    );
  }
}
