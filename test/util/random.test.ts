import { describe, expect, it } from 'vitest';
import { lazyMulberry32, mulberry32, seedFrom } from '../../src/util/random.js';

describe('seeded randomness', () => {
  it('a lazily seeded generator draws exactly the eagerly seeded sequence', () => {
    const eager = mulberry32(seedFrom(42, 'backoff'));
    const lazy = lazyMulberry32(42, 'backoff');
    const draws = (next: () => number) => Array.from({ length: 5 }, next);
    expect(draws(lazy)).toEqual(draws(eager));
  });

  it('seeds stay what they were: sha256 of the parts joined by NUL, first four bytes little-endian', () => {
    // Changing this would silently change every recorded run's seeds (and its cache keys).
    // 3802017389 = the first four bytes of sha256("1\0bench\0t0\00"), little-endian.
    expect(seedFrom(1, 'bench', 't0', 0)).toBe(3802017389);
  });
});
