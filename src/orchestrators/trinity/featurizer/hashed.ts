import { createHash } from 'node:crypto';
import { TRINITY_ROLES } from '../roles.js';
import { type Featurizer, type TurnState, transcriptText } from './types.js';

export const HASHED_DIM = 1024;
const NGRAM_DIM = 1000;
const MAX_AGENTS = 8;

/** Stable 32-bit bucket for a token (FNV would do; sha1 keeps it obviously platform-independent). */
function bucket(token: string): number {
  return createHash('sha1').update(token).digest().readUInt32LE(0) % NGRAM_DIM;
}

/**
 * The weight-free default featurizer (d = 1024): hashed word unigrams and bigrams of the whole
 * transcript (L2-normalised, 1000 dims) and 24 transcript statistics a linear head can act on —
 * turn count, last role, the last verifier's verdict, task kind markers, last agent.
 */
export const hashedFeaturizer: Featurizer = {
  name: 'hashed-ngrams-1024',
  dim: HASHED_DIM,
  async features(state: TurnState): Promise<Float32Array> {
    const v = new Float32Array(HASHED_DIM);
    const words =
      transcriptText(state)
        .toLowerCase()
        .match(/[a-z0-9_$\\]+/g) ?? [];
    const add = (token: string) => {
      const b = bucket(token);
      v[b] = (v[b] as number) + 1;
    };
    for (let i = 0; i < words.length; i++) {
      add(words[i] as string);
      if (i > 0) add(`${words[i - 1]} ${words[i]}`);
    }
    let norm = 0;
    for (let i = 0; i < NGRAM_DIM; i++) {
      v[i] = Math.log1p(v[i] as number);
      norm += (v[i] as number) ** 2;
    }
    if (norm > 0) for (let i = 0; i < NGRAM_DIM; i++) v[i] = (v[i] as number) / Math.sqrt(norm);
    structure(state).forEach((x, i) => {
      v[NGRAM_DIM + i] = x;
    });
    return v;
  },
};

/** 24 statistics of the transcript, in a fixed order documented here. */
export function structure(state: TurnState): number[] {
  const last = state.turns.at(-1);
  const prompt = state.task.prompt;
  const count = (role: string) => state.turns.filter((t) => t.role === role).length;
  const lastAgent = last ? state.agents.indexOf(last.agentId) : -1;
  return [
    1, // bias
    state.turns.length / 5,
    last ? 0 : 1, // no turn yet
    ...TRINITY_ROLES.map((r) => (last?.role === r ? 1 : 0)), // last role: thinker, worker, verifier
    last?.role === 'verifier' && !/^\s*ACCEPT/.test(last.text) ? 1 : 0, // last verifier asked for a revision
    state.turns.some((t) => t.role === 'worker') ? 1 : 0,
    /```python|stdin|python 3 function/i.test(prompt) ? 1 : 0, // code task
    /\\boxed/.test(prompt) ? 1 : 0, // maths task
    /Answer: \$LETTER/.test(prompt) ? 1 : 0, // multiple choice
    Math.min(1, prompt.length / 4000),
    count('thinker') / 5,
    count('worker') / 5,
    count('verifier') / 5,
    ...Array.from({ length: MAX_AGENTS }, (_, i) => (i === lastAgent ? 1 : 0)),
  ];
}
