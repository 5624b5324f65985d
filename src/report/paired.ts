import { seedFrom } from '../util/random.js';
import { pairedBootstrap } from '../util/stats/bootstrap.js';
import { mcnemarExactP } from '../util/stats/mcnemar.js';
import type { SamplePass } from './sample-pass.js';
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
  const pairs: PairedOutcome[] = [];
  for (const suite of suites) {
    const left = pass.outcomes.get(suite)?.get(a);
    const right = pass.outcomes.get(suite)?.get(b);
    if (!left || !right) continue;
    for (const [item, x] of left) {
      const y = right.get(item);
      if (y === undefined) continue;
      pairs.push({
        a: x === 1,
        b: y === 1,
        cluster: pass.clusterOfItem.get(`${suite}/${item}`) ?? `${suite}/${item}`,
      });
    }
  }
  if (pairs.length === 0) return null;
  return { suite: label, a, b, ...pairedStatistics(pairs, seedFrom('paired-bootstrap', label, a, b)) };
}

/** One shared item: whether each side got it right, and the cluster it belongs to. */
export interface PairedOutcome {
  a: boolean;
  b: boolean;
  cluster: string;
}

export type PairedStatistics = Omit<PairedComparison, 'suite' | 'a' | 'b'>;

/** Discordance counts, McNemar exact p and the paired cluster bootstrap of A − B over shared items. */
export function pairedStatistics(pairs: readonly PairedOutcome[], seed: number): PairedStatistics {
  let bothCorrect = 0;
  let onlyA = 0;
  let onlyB = 0;
  let bothWrong = 0;
  for (const p of pairs) {
    if (p.a && p.b) bothCorrect++;
    else if (p.a) onlyA++;
    else if (p.b) onlyB++;
    else bothWrong++;
  }
  const shared = pairs.length;
  const boot = pairedBootstrap(
    pairs.map((p) => Number(p.a) - Number(p.b)),
    pairs.map((p) => p.cluster),
    { seed },
  );
  return {
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
