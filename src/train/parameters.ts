import { HASHED_DIM } from '../orchestrators/trinity/featurizer/hashed.js';
import { TRINITY_ROLES } from '../orchestrators/trinity/roles.js';

/** The hashed featurizer's 24 transcript statistics are its last rows. */
const STATISTICS = 24;

/**
 * Which head weights are trained: all of W (d × (L+3)), or only the rows on the featurizer's
 * transcript statistics (a 24 × (L+3) problem, for quick demos; documented as such).
 */
export interface ParameterLayout {
  /** Number of trained parameters. */
  size: number;
  /** Head weights (row-major d × outputs) for a parameter vector; untrained weights stay 0. */
  weights(params: readonly number[]): Float32Array;
}

export function parameterLayout(mode: 'all' | 'statistics', dim: number, agents: number): ParameterLayout {
  const outputs = agents + TRINITY_ROLES.length;
  if (mode === 'all') {
    return { size: dim * outputs, weights: (params) => Float32Array.from(params) };
  }
  if (dim !== HASHED_DIM) throw new Error("training.parameters 'statistics' needs the hashed featurizer");
  const first = (dim - STATISTICS) * outputs;
  return {
    size: STATISTICS * outputs,
    weights(params) {
      const w = new Float32Array(dim * outputs);
      w.set(params, first);
      return w;
    },
  };
}
