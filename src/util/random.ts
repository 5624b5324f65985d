import { hash } from 'node:crypto';

/** A 32-bit seed from any strings: stable across machines and Node versions. */
export function seedFrom(...parts: (string | number)[]): number {
  // One-shot hash: a Hash object per call showed up in run profiles (several seeds per call).
  return hash('sha256', parts.join('\u0000'), 'buffer').readUInt32LE(0);
}

/** mulberry32: small, fast, good enough for simulation and sampling decisions. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * mulberry32 seeded from `seedFrom(...parts)` on its first draw: the same sequence, but a generator
 * never drawn from (most samples retry nothing; many orchestrators draw nothing) costs no hash.
 */
export function lazyMulberry32(...parts: (string | number)[]): () => number {
  let random: (() => number) | undefined;
  return () => {
    random ??= mulberry32(seedFrom(...parts));
    return random();
  };
}

export function pick<T>(items: readonly T[], random: () => number): T | undefined {
  return items[Math.floor(random() * items.length)];
}
