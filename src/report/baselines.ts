import type { SamplePass } from './sample-pass.js';
import type { AccuracyRow, BaselineRow } from './types.js';

/**
 * Per-task oracle and random baselines from the `single`-family results of one arm of the run:
 * oracle = share of items some single-agent run solved (an upper bound no router can beat with these
 * agents); random = expected accuracy of a pool member picked uniformly per item. Over the items at
 * least one of them scored; a member that errored on an item is left out of that item's average.
 */
export function baselines(
  pass: SamplePass,
  arms: { without: string[] | null; singles: ReadonlySet<string> }[],
): BaselineRow[] {
  const rows: BaselineRow[] = [];
  for (const arm of arms) {
    if (arm.singles.size === 0) continue;
    const members = [...arm.singles].sort();
    let all = { items: 0, solved: 0, expected: 0 };
    for (const suite of pass.suites) {
      const bySuite = pass.outcomes.get(suite);
      const perItem = new Map<string, number[]>();
      for (const id of members) {
        for (const [item, right] of bySuite?.get(id) ?? [])
          perItem.set(item, [...(perItem.get(item) ?? []), right]);
      }
      const counts = { items: perItem.size, solved: 0, expected: 0 };
      for (const outcomes of perItem.values()) {
        if (outcomes.some((o) => o === 1)) counts.solved++;
        counts.expected += outcomes.reduce((a, b) => a + b, 0) / outcomes.length;
      }
      rows.push(row(arm.without, suite, members, counts));
      all = {
        items: all.items + counts.items,
        solved: all.solved + counts.solved,
        expected: all.expected + counts.expected,
      };
    }
    if (pass.suites.length > 1) rows.push(row(arm.without, 'all', members, all));
  }
  return rows;
}

function row(
  without: string[] | null,
  suite: string,
  members: string[],
  c: { items: number; solved: number; expected: number },
): BaselineRow {
  return {
    without,
    suite,
    members,
    items: c.items,
    oracle: c.items > 0 ? c.solved / c.items : null,
    random: c.items > 0 ? c.expected / c.items : null,
  };
}

/** Orchestrators of the `single` family among the rows. */
export function singleOrchestrators(rows: readonly AccuracyRow[]): Set<string> {
  return new Set(rows.filter((r) => r.family === 'single').map((r) => r.orchestrator));
}
