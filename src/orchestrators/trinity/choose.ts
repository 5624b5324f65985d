export interface Choice {
  index: number;
  /** Softmax of the logits, rounded for the trace. */
  probabilities: number[];
}

/** Softmax over logits, then argmax (greedy) or a draw from the seeded sample RNG (sampled). */
export function choose(logits: ArrayLike<number>, mode: 'greedy' | 'sampled', random: () => number): Choice {
  const values = Array.from(logits);
  const max = Math.max(...values);
  const exp = values.map((v) => Math.exp(v - max));
  const total = exp.reduce((a, b) => a + b, 0);
  const probabilities = exp.map((e) => e / total);
  let index = 0;
  if (mode === 'greedy') {
    probabilities.forEach((p, i) => {
      if (p > (probabilities[index] as number)) index = i;
    });
  } else {
    let r = random();
    // Rounding can leave r above the total: fall back to the last choice that can be drawn (a masked
    // agent has probability 0 and must never be).
    index = probabilities.reduce((last, p, i) => (p > 0 ? i : last), 0);
    for (const [i, p] of probabilities.entries()) {
      if (r < p) {
        index = i;
        break;
      }
      r -= p;
    }
  }
  return { index, probabilities: probabilities.map((p) => Math.round(p * 1e4) / 1e4) };
}
