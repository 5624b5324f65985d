export interface CostAccuracyPoint {
  id: string;
  costUsd: number;
  accuracy: number;
}

/**
 * The accuracy-vs-cost Pareto front: points no other point beats on both axes (cheaper or equal and
 * at least as accurate, one of them strictly). Returned from cheapest to most expensive.
 */
export function paretoFront<P extends CostAccuracyPoint>(points: readonly P[]): P[] {
  const sorted = [...points].sort((a, b) => a.costUsd - b.costUsd || b.accuracy - a.accuracy);
  const front: P[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (const p of sorted) {
    if (p.accuracy > best) {
      front.push(p);
      best = p.accuracy;
    }
  }
  return front;
}
