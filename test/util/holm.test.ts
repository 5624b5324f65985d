import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../src/util/stats/holm.js';

describe('Holm–Bonferroni adjustment (Holm 1979)', () => {
  it('reproduces the textbook example: p = 0.01, 0.04, 0.03, 0.005 at α = 0.05 rejects H1 and H4 only', () => {
    // The worked example of the Holm–Bonferroni method (e.g. Wikipedia's): sorted 0.005 ≤ 0.05/4,
    // 0.01 ≤ 0.05/3, then 0.03 > 0.05/2 stops. Adjusted (as R's p.adjust(p, "holm")): 0.03, 0.06, 0.06, 0.02.
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[1]).toBeCloseTo(0.06, 12);
    expect(adjusted[2]).toBeCloseTo(0.06, 12);
    expect(adjusted[3]).toBeCloseTo(0.02, 12);
    expect(adjusted.map((p) => p <= 0.05)).toEqual([true, false, false, true]);
  });

  it('keeps adjusted p-values monotone in the raw ones, ties included, and caps them at 1', () => {
    // m = 6, sorted multipliers 6..1: 0.0006, 0.10, max(0.10, 0.084), 0.12, max(0.12, 0.08), 0.5.
    const adjusted = holmAdjust([0.0001, 0.02, 0.021, 0.5, 0.04, 0.04]);
    const expected = [0.0006, 0.1, 0.1, 0.5, 0.12, 0.12];
    for (const [i, p] of expected.entries()) expect(adjusted[i], `p${i}`).toBeCloseTo(p, 12);
    expect(holmAdjust([0.3, 0.6])).toEqual([0.6, 0.6]);
    expect(holmAdjust([0.9, 0.8])).toEqual([1, 1]);
  });

  it('lies between the raw p and Bonferroni (m·p), and equals both for one test', () => {
    const p = [0.001, 0.2, 0.013, 0.04, 0.7, 0.0002, 0.05];
    const adjusted = holmAdjust(p);
    for (const [i, raw] of p.entries()) {
      expect(adjusted[i] as number).toBeGreaterThanOrEqual(raw);
      expect(adjusted[i] as number).toBeLessThanOrEqual(Math.min(1, p.length * raw) + 1e-15);
    }
    expect(holmAdjust([0.04])).toEqual([0.04]);
    expect(holmAdjust([])).toEqual([]);
  });

  it('leaves NaN (no test) out of the family', () => {
    const adjusted = holmAdjust([0.01, Number.NaN, 0.02]);
    expect(adjusted[0]).toBeCloseTo(0.02, 12);
    expect(adjusted[1]).toBeNaN();
    expect(adjusted[2]).toBeCloseTo(0.02, 12);
    expect(() => holmAdjust([1.2])).toThrow(RangeError);
  });
});
