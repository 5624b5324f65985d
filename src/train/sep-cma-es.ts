import { mulberry32 } from '../util/random.js';

/**
 * sep-CMA-ES (Ros & Hansen, "A Simple Modification in CMA-ES Achieving Linear Time and Space
 * Complexity", PPSN 2008): CMA-ES with a diagonal covariance, so each generation costs O(n) per
 * candidate — what TRINITY uses to train a (L+3)×1024 head. Minimises; ask/tell interface; the whole
 * state is plain data so training can checkpoint and resume bit-for-bit.
 */

export interface SepCmaOptions {
  /** Starting mean. */
  mean: number[];
  /** Starting step size. */
  sigma: number;
  /** Population size λ; default 4 + ⌊3 ln n⌋. */
  populationSize?: number;
  seed: number;
}

export interface SepCmaState {
  n: number;
  lambda: number;
  mu: number;
  weights: number[];
  muEff: number;
  cSigma: number;
  dSigma: number;
  cc: number;
  c1: number;
  cMu: number;
  chiN: number;
  mean: number[];
  sigma: number;
  /** Diagonal of C. */
  diag: number[];
  pSigma: number[];
  pc: number[];
  generation: number;
  /** mulberry32 state, advanced as normals are drawn. */
  rngState: number;
}

export interface Candidate {
  x: number[];
  /** z ~ N(0, I), x = mean + σ·√diag ∘ z. */
  z: number[];
}

export function initSepCma(opts: SepCmaOptions): SepCmaState {
  const n = opts.mean.length;
  const lambda = opts.populationSize ?? 4 + Math.floor(3 * Math.log(n));
  const mu = Math.floor(lambda / 2);
  const raw = Array.from({ length: mu }, (_, i) => Math.log(mu + 0.5) - Math.log(i + 1));
  const total = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((w) => w / total);
  const muEff = 1 / weights.reduce((a, w) => a + w * w, 0);
  const cSigma = (muEff + 2) / (n + muEff + 5);
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
  const cc = (4 + muEff / n) / (n + 4 + (2 * muEff) / n);
  // Full CMA-ES learning rates, scaled by (n + 2) / 3 for the diagonal model (Ros & Hansen, eq. 6).
  const c1Full = 2 / ((n + 1.3) ** 2 + muEff);
  const cMuFull = Math.min(1 - c1Full, (2 * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + muEff));
  const boost = (n + 2) / 3;
  const c1 = Math.min(1, c1Full * boost);
  const cMu = Math.min(1 - c1, cMuFull * boost);
  return {
    n,
    lambda,
    mu,
    weights,
    muEff,
    cSigma,
    dSigma,
    cc,
    c1,
    cMu,
    chiN: Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n)),
    mean: [...opts.mean],
    sigma: opts.sigma,
    diag: new Array(n).fill(1),
    pSigma: new Array(n).fill(0),
    pc: new Array(n).fill(0),
    generation: 0,
    rngState: opts.seed >>> 0,
  };
}

/** Draws λ candidates; returns them with the advanced state (the input state is not changed). */
export function ask(state: SepCmaState): { state: SepCmaState; candidates: Candidate[] } {
  const random = mulberry32(state.rngState);
  let draws = 0;
  const uniform = () => {
    draws++;
    return random();
  };
  const normal = () => {
    // Box–Muller; 1 - u keeps the logarithm finite.
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const candidates: Candidate[] = [];
  for (let k = 0; k < state.lambda; k++) {
    const z = Array.from({ length: state.n }, normal);
    const x = z.map(
      (zi, i) => (state.mean[i] as number) + state.sigma * Math.sqrt(state.diag[i] as number) * zi,
    );
    candidates.push({ x, z });
  }
  // Advance the seed deterministically by what was drawn, so the next generation differs.
  return { state: { ...state, rngState: (state.rngState + draws * 0x9e3779b9) >>> 0 }, candidates };
}

/** Updates the distribution from the candidates' fitness values (lower is better). */
export function tell(state: SepCmaState, candidates: Candidate[], fitness: number[]): SepCmaState {
  const { n, mu, weights, muEff, cSigma, dSigma, cc, c1, cMu, chiN } = state;
  const order = fitness.map((f, i) => [f, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const best = order.slice(0, mu).map(([, i]) => candidates[i] as Candidate);
  const sd = state.diag.map(Math.sqrt);
  const zw = new Array<number>(n).fill(0);
  for (const [k, c] of best.entries()) {
    for (const [i, zi] of c.z.entries()) zw[i] = (zw[i] as number) + (weights[k] as number) * zi;
  }
  const yw = zw.map((z, i) => (sd[i] as number) * z);
  const mean = state.mean.map((m, i) => m + state.sigma * (yw[i] as number));
  const pSigma = state.pSigma.map(
    (p, i) => (1 - cSigma) * p + Math.sqrt(cSigma * (2 - cSigma) * muEff) * (zw[i] as number),
  );
  const normPs = Math.sqrt(pSigma.reduce((a, p) => a + p * p, 0));
  const generation = state.generation + 1;
  const hSigma =
    normPs / Math.sqrt(1 - (1 - cSigma) ** (2 * generation)) < (1.4 + 2 / (n + 1)) * chiN ? 1 : 0;
  const pc = state.pc.map(
    (p, i) => (1 - cc) * p + hSigma * Math.sqrt(cc * (2 - cc) * muEff) * (yw[i] as number),
  );
  const diag = state.diag.map((d, i) => {
    let rankMu = 0;
    for (const [k, c] of best.entries())
      rankMu += (weights[k] as number) * ((sd[i] as number) * (c.z[i] as number)) ** 2;
    const rankOne = (pc[i] as number) ** 2 + (1 - hSigma) * cc * (2 - cc) * d;
    return Math.max(1e-300, (1 - c1 - cMu) * d + c1 * rankOne + cMu * rankMu);
  });
  const sigma = state.sigma * Math.exp((cSigma / dSigma) * (normPs / chiN - 1));
  // On non-separable functions σ and the diagonal can drift apart without bound (σ up, C down) while
  // σ²·C stays right. Rescaling so that max(C) = 1 keeps the same distribution with finite numbers.
  const scale = Math.sqrt(Math.max(...diag));
  return {
    ...state,
    mean,
    pSigma,
    pc: pc.map((p) => p / scale),
    diag: diag.map((d) => d / (scale * scale)),
    sigma: sigma * scale,
    generation,
  };
}
