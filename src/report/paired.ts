import { seedFrom } from '../runner/random.js';
import type { SamplePass } from './sample-pass.js';
import { pairedBootstrap } from './stats/bootstrap.js';
import { mcnemarExactP } from './stats/mcnemar.js';
import type { PairedComparison } from './types.js';

/**
 * Every pair of orchestrators, per suite and over all suites, on the items both scored (same suite,
 * task id and repeat): items one of them failed to score are left out of that pair, never counted
 * as wrong. The bootstrap seed is derived from the pair and suite, so a rebuilt report is identical.
 */
export function pairedComparisons(pass: SamplePass): PairedComparison[] {
  const out: PairedComparison[] = [];
  for (const [i, a] of pass.orchestrators.entries()) {
    for (const b of pass.orchestrators.slice(i + 1)) {
      const suiteRows = pass.suites.map((suite) => compare(pass, [suite], a, b, suite));
      out.push(...suiteRows.filter((r) => r !== null));
      if (pass.suites.length > 1) {
        const all = compare(pass, pass.suites, a, b, 'all');
        if (all) out.push(all);
      }
    }
  }
  return out;
}

function compare(
  pass: SamplePass,
  suites: string[],
  a: string,
  b: string,
  label: string,
): PairedComparison | null {
  const differences: number[] = [];
  const clusters: string[] = [];
  let bothCorrect = 0;
  let onlyA = 0;
  let onlyB = 0;
  let bothWrong = 0;
  for (const suite of suites) {
    const left = pass.outcomes.get(suite)?.get(a);
    const right = pass.outcomes.get(suite)?.get(b);
    if (!left || !right) continue;
    for (const [item, x] of left) {
      const y = right.get(item);
      if (y === undefined) continue;
      differences.push(x - y);
      clusters.push(pass.clusterOfItem.get(`${suite}/${item}`) ?? `${suite}/${item}`);
      if (x && y) bothCorrect++;
      else if (x) onlyA++;
      else if (y) onlyB++;
      else bothWrong++;
    }
  }
  const shared = differences.length;
  if (shared === 0) return null;
  const seed = seedFrom('paired-bootstrap', label, a, b);
  const boot = pairedBootstrap(differences, clusters, { seed });
  return {
    suite: label,
    a,
    b,
    shared,
    bothCorrect,
    onlyA,
    onlyB,
    bothWrong,
    accuracyA: (bothCorrect + onlyA) / shared,
    accuracyB: (bothCorrect + onlyB) / shared,
    difference: boot.estimate,
    ci95: boot.ci,
    bootstrap: { resamples: boot.resamples, seed, clusters: boot.clusters },
    mcnemarP: mcnemarExactP(onlyA, onlyB),
  };
}
