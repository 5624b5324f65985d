import { gradingOf } from '../suites/grading.js';
import { loadSuite } from '../suites/load.js';
import type { StoredConfig } from './run-config.js';

export interface TaskInfo {
  /** Cluster id for clustered errors and the cluster bootstrap. */
  clusterOf: (suite: string, taskId: string) => string;
  suiteVersions: Record<string, string | number | null>;
  /** Suite → how its answers were graded, one entry per kind of task (`maths: equivalent`…). */
  grading: Record<string, string[]>;
  clusterField: string | null;
  note: string;
}

/**
 * Task metadata the report needs but samples do not carry (cluster, suite version), read back from
 * the run's suite files. `clusterField` is a dotted path into a task's `meta` (e.g. `source.problem`):
 * tasks with the same value form one cluster. Without it, or when a task lacks the field, each task
 * is its own cluster — repeats of one task always share a cluster.
 */
export function loadTaskInfo(config: StoredConfig, clusterField: string | null): TaskInfo {
  const clusters = new Map<string, string>();
  const suiteVersions: Record<string, string | number | null> = {};
  const grading = new Map<string, Set<string>>();
  const unreadable: string[] = [];
  for (const [i, path] of config.suitePaths.entries()) {
    try {
      for (const task of loadSuite(path, config.suites[i] ?? {})) {
        const version = task.meta.suiteVersion;
        suiteVersions[task.suite] =
          typeof version === 'string' || typeof version === 'number' ? version : null;
        const modes = grading.get(task.suite) ?? new Set<string>();
        modes.add(gradingOf(task));
        grading.set(task.suite, modes);
        if (clusterField === null) continue;
        const value = fieldAt(task.meta, clusterField);
        if (value !== undefined && value !== null)
          clusters.set(`${task.suite}/${task.id}`, `${task.suite}/${clusterField}=${String(value)}`);
      }
    } catch {
      unreadable.push(path);
    }
  }
  const byTask = (suite: string, taskId: string) => `${suite}/${taskId}`;
  const note =
    clusterField === null
      ? 'Each task is its own cluster (repeats of a task are resampled together); no cluster field was given.'
      : `Tasks sharing task meta '${clusterField}' form one cluster (${new Set(clusters.values()).size} clusters over ${clusters.size} tasks); tasks without it are their own cluster.`;
  return {
    clusterOf: (suite, taskId) => clusters.get(byTask(suite, taskId)) ?? byTask(suite, taskId),
    suiteVersions,
    grading: Object.fromEntries([...grading].map(([suite, modes]) => [suite, [...modes].sort()])),
    clusterField,
    note: unreadable.length > 0 ? `${note} Suite files not readable now: ${unreadable.join(', ')}.` : note,
  };
}

/** One line naming each suite's grading, for report headers. */
export function gradingSummary(grading: Record<string, string[]>): string {
  const suites = Object.entries(grading);
  return suites.length === 0
    ? 'unknown (suite files not readable)'
    : suites.map(([suite, modes]) => `${suite} — ${modes.join(', ')}`).join('; ');
}

function fieldAt(value: unknown, path: string): unknown {
  let node = value;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
