import { isOrchestratorMember } from '../orchestrators/member.js';
import { orchestratorFamilies } from '../orchestrators/registry.js';
import type { OrchestratorOptions } from '../orchestrators/types.js';
import type { AgentConfig } from '../providers/types.js';
import { UsageError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';

/**
 * What of a config a run covers and how it was changed on the command line (`--limit`, `--sample`,
 * `--seed`, `--only`, `--set`): recorded with the run; a resume must give the same.
 */
export interface RunSelection {
  /** `--limit N`: the first N tasks of each suite (after its own filters). */
  limit?: number;
  /** `--sample N`: N tasks of each suite, the first in the seeded task order of `seed`. */
  sample?: { count: number; seed: number };
  /** `--only`: the orchestrators whose samples run (others are built only when a kept one calls them). */
  only?: string[];
  /** `--set` overrides as given (their effect is in the validated config). */
  set?: string[];
}

/** The selection as the run records it: empty fields left out, so a plain run records `{}`. */
export function isEmptySelection(selection: RunSelection): boolean {
  return Object.keys(selection).length === 0;
}

/**
 * The command-line flags that give `selection` again (for a `--resume` command to copy): the same
 * subset and overrides, each `--set` quoted for a POSIX shell.
 */
export function selectionFlags(selection: RunSelection): string {
  const quote = (text: string) =>
    /^[\w.,=/:@+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
  return [
    ...(selection.limit === undefined ? [] : [`--limit ${selection.limit}`]),
    ...(selection.sample === undefined
      ? []
      : [`--sample ${selection.sample.count} --seed ${selection.sample.seed}`]),
    ...(selection.only === undefined ? [] : [`--only ${selection.only.join(',')}`]),
    ...(selection.set ?? []).map((text) => `--set ${quote(text)}`),
  ].join(' ');
}

interface Selectable {
  pool: AgentConfig[];
  orchestrators: OrchestratorOptions[];
  decide: { a: string; b: string }[];
  report?: { baseline?: string | undefined } | undefined;
  training?: unknown;
}

/**
 * The config with `--only` applied: its ids checked (an unknown one is a UsageError naming the
 * closest known id), the orchestrators kept plus those a kept one calls as a pool member (built, not
 * run), `decide:` comparisons and `report.baseline` that name a left-out orchestrator dropped (each
 * said in a warning).
 */
export function selectOrchestrators<C extends Selectable>(
  config: C,
  only: readonly string[],
  warn: (message: string) => void,
): C {
  const ids = config.orchestrators.map((o) => o.id);
  for (const id of only)
    if (!ids.includes(id))
      throw new UsageError(
        `--only: no orchestrator with id '${id}'${didYouMean(id, ids)} (ids: ${ids.join(', ')})`,
      );
  const kept = new Set(only);
  const built = new Set(only);
  // Orchestrators reached through orchestrator members, transitively.
  for (let grew = true; grew; ) {
    grew = false;
    for (const options of config.orchestrators.filter((o) => built.has(o.id))) {
      const family = orchestratorFamilies.find((f) => f.family === options.family);
      for (const ref of family?.agentRefs(options as never) ?? []) {
        const member = config.pool.find((a) => a.id === ref.agentId);
        const target = member && isOrchestratorMember(member) ? member.orchestrator : undefined;
        if (target !== undefined && !built.has(target)) {
          built.add(target);
          grew = true;
        }
      }
    }
  }
  const decide = config.decide.filter((d) => kept.has(d.a) && kept.has(d.b));
  for (const d of config.decide)
    if (!decide.includes(d))
      warn(`--only: decide: ${d.a} vs ${d.b} is left out (${kept.has(d.a) ? d.b : d.a} does not run)`);
  const baseline = config.report?.baseline;
  let report = config.report;
  if (baseline !== undefined && !kept.has(baseline)) {
    warn(`--only: report.baseline '${baseline}' does not run; the report chooses its default baseline`);
    report = { ...config.report, baseline: undefined };
  }
  return {
    ...config,
    orchestrators: config.orchestrators.filter((o) => built.has(o.id)),
    decide,
    report,
  };
}
