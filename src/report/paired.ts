import { seedFrom } from '../util/random.js';
import { pairedBootstrap } from '../util/stats/bootstrap.js';
import { mcnemarExactP } from '../util/stats/mcnemar.js';
import type { SamplePass } from './sample-pass.js';
import type { PairedComparison } from './types.js';

/**
 * Every pair of orchestrators, per suite and over all suites, on the items both scored (same suite,
 * task id and repeat): items one of them failed to score are left out of that pair, never counted
 * as wrong. The bootstrap seed is derived from the pair and suite, so a rebuilt report is identical.
 * Pairs follow `order` (A before B): the report passes the baseline first, then by accuracy.
 */
export function pairedComparisons(
  pass: SamplePass,
  order: readonly string[] = pass.orchestrators,
): PairedComparison[] {
  const out: PairedComparison[] = [];
  for (const [i, a] of order.entries()) {
    for (const b of order.slice(i + 1)) {
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

/**
 * A against B. Computed with the two in id order (the seed and the order of items from the first of
 * them), then mirrored when B comes first by id: a pair's figures do not depend on which side the
 * report lists first, and are those of reports that listed pairs alphabetically.
 */
function compare(
  pass: SamplePass,
  suites: string[],
  a: string,
  b: string,
  label: string,
): PairedComparison | null {
  if (b < a) {
    const row = compare(pass, suites, b, a, label);
    return row && mirror(row);
  }
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

/** The same comparison read B against A: counts swapped, the difference and its interval negated. */
export function mirror(c: PairedComparison): PairedComparison {
  const ci95 = { low: -c.ci95.high, high: -c.ci95.low };
  return {
    ...c,
    a: c.b,
    b: c.a,
    onlyA: c.onlyB,
    onlyB: c.onlyA,
    accuracyA: c.accuracyB,
    accuracyB: c.accuracyA,
    difference: -c.difference,
    ci95,
    disagreement: disagreement(c.shared, c.onlyB, c.onlyA, ci95, c.mcnemarP),
  };
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
    disagreement: disagreement(shared, onlyA, onlyB, boot.ci, mcnemarExactP(onlyA, onlyB)),
  };
}

const pp = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)} pp`;

/**
 * Why McNemar's test and the bootstrap interval disagree at the 5 % level, when they do: McNemar is
 * exact but conditions on the discordant items only; the bootstrap interval is approximate and
 * resamples every shared item (clusters), so the items both got right or both wrong, and clustering,
 * change its width. Near the threshold either can fall on its side of 0.05 alone.
 */
export function disagreement(
  shared: number,
  onlyA: number,
  onlyB: number,
  ci: { low: number; high: number },
  mcnemarP: number,
): string | null {
  const bootstrapExcludes0 = ci.low > 0 || ci.high < 0;
  const mcnemarRejects = mcnemarP < 0.05;
  if (bootstrapExcludes0 === mcnemarRejects) return null;
  const discordant = onlyA + onlyB;
  const counts = `McNemar counts only the ${discordant} discordant item${discordant === 1 ? '' : 's'} (${onlyA} only A right vs ${onlyB} only B right) and is exact`;
  const boot = `the bootstrap resamples all ${shared} shared items (whole clusters) and is approximate`;
  return mcnemarRejects
    ? `Tests disagree: McNemar p = ${mcnemarP.toPrecision(2)} < 0.05, but the bootstrap interval (${pp(ci.low)} to ${pp(ci.high)}) holds 0. ${counts}; ${boot}, widened by clustering or by few clusters. Read the difference as borderline.`
    : `Tests disagree: the bootstrap interval (${pp(ci.low)} to ${pp(ci.high)}) excludes 0, but McNemar p = ${mcnemarP.toPrecision(2)} ≥ 0.05. ${counts}: with few discordant items its exact binomial test is conservative; ${boot}, and a percentile interval on few items is too narrow. Read the difference as borderline.`;
}
