import { describe, expect, it } from 'vitest';
import { COMPARE_DEFAULTS } from '../../src/report/compare/defaults.js';
import { compareRecords } from '../../src/report/compare/gate.js';
import { readRunFigures } from '../../src/view/side-by-side.js';
import { tempRoot, writeRun } from '../view/fixtures.js';

/**
 * An identical rerun is answered from the shared response cache: every sample of B reused cached
 * calls, so no item is timed on both sides and latency cannot be compared.
 */
function rerunFromCache() {
  const root = tempRoot();
  const outcomes = { o: [true, false, true, true, false, true] };
  const side = (id: string) => {
    const f = readRunFigures(id, writeRun(root, id, { outcomes }));
    return { runDir: f.runDir, orchestrator: 'o', run: f.run, samples: f.samples };
  };
  const a = side('a');
  const b = side('b');
  b.samples = b.samples.map((s) => ({ ...s, cachedCalls: s.calls }));
  return { a, b };
}

describe('compare when every item of one run came from the cache', () => {
  for (const limit of [null, 10])
    it(`latency gates say there is nothing to time, not NaN ms or −∞ (--max-latency-increase ${limit ?? 'none'})`, () => {
      const { a, b } = rerunFromCache();
      const c = compareRecords(a, b, { ...COMPARE_DEFAULTS, maxLatencyIncreasePercent: limit });
      const latency = c.gates.filter((g) => g.gate.startsWith('latency'));
      expect(latency).toHaveLength(2);
      for (const g of latency) {
        expect(g.reason).not.toMatch(/NaN|∞/);
        expect(g.reason).toMatch(/no item .* without cached calls/);
        // Unmeasured is never a pass of a gate that was asked for.
        expect(g.verdict).toBe(limit === null ? 'not gated' : 'fail');
      }
      expect(c.latency).toBeNull();
    });
});
