import { armId, cannotRunWithout } from '../orchestrators/ablation.js';
import type { OrchestratorOptions } from '../orchestrators/types.js';
import type { AblationSection, AccuracyRow, PairedComparison } from './types.js';

/**
 * The ablation table: each orchestrator with the full pool and without the dropped members (its arm
 * `id[-agent]` in the same run, over the same items), and the same per family (micro-averaged over
 * the family's orchestrators that ran both arms).
 */
export function ablationSection(
  dropped: string[],
  orchestrators: readonly OrchestratorOptions[],
  rows: readonly AccuracyRow[],
  paired: readonly PairedComparison[],
  overall: string,
): AblationSection {
  const rowOf = (id: string) => rows.find((r) => r.orchestrator === id && r.suite === overall);
  const armRows = orchestrators.flatMap((o) => {
    const full = rowOf(o.id);
    if (!full) return [];
    const arm = armId(o.id, dropped);
    const ablated = rowOf(arm);
    const pair = paired.find(
      (p) => p.suite === overall && ((p.a === o.id && p.b === arm) || (p.a === arm && p.b === o.id)),
    );
    const sign = pair?.a === arm ? 1 : -1;
    return [
      {
        orchestrator: o.id,
        family: o.family,
        arm: ablated ? arm : null,
        skipped: ablated ? null : (cannotRunWithout(o, new Set(dropped)) ?? 'no samples recorded'),
        full: figures(full),
        ablated: ablated ? figures(ablated) : null,
        accuracyDelta:
          ablated?.accuracy != null && full.accuracy !== null ? ablated.accuracy - full.accuracy : null,
        costPerTaskDeltaUsd: ablated ? ablated.costPerTaskUsd - full.costPerTaskUsd : null,
        // Paired on the items both arms scored: the difference is ablated − full.
        pairedDifference: pair ? sign * pair.difference : null,
        pairedCi95: pair ? (sign === 1 ? pair.ci95 : { low: -pair.ci95.high, high: -pair.ci95.low }) : null,
        mcnemarP: pair?.mcnemarP ?? null,
      },
    ];
  });
  const families = [...new Set(armRows.map((r) => r.family))].sort();
  const byFamily = families.map((family) => {
    const both = armRows.filter((r) => r.family === family && r.arm !== null);
    const summed = (pick: (r: (typeof both)[number]) => AccuracyRow | undefined) => {
      const picked = both.map(pick).filter((r): r is AccuracyRow => r !== undefined);
      return picked.length === 0 ? null : figures(sumRows(picked));
    };
    return {
      family,
      orchestrators: both.map((r) => r.orchestrator),
      full: summed((r) => rowOf(r.orchestrator)),
      ablated: summed((r) => (r.arm ? rowOf(r.arm) : undefined)),
    };
  });
  return { dropped, rows: armRows, byFamily };
}

function figures(r: Pick<AccuracyRow, 'scored' | 'errors' | 'correct' | 'samples' | 'costUsd'>) {
  return {
    scored: r.scored,
    errors: r.errors,
    accuracy: r.scored > 0 ? r.correct / r.scored : null,
    costPerTaskUsd: r.samples > 0 ? r.costUsd / r.samples : 0,
  };
}

function sumRows(rows: AccuracyRow[]) {
  const total = (f: (r: AccuracyRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    scored: total((r) => r.scored),
    errors: total((r) => r.errors),
    correct: total((r) => r.correct),
    samples: total((r) => r.samples),
    costUsd: total((r) => r.costUsd),
  };
}
