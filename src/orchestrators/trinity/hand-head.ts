import { z } from 'zod';
import { HASHED_DIM, hashedFeaturizer } from './featurizer/hashed.js';
import type { HeadMeta } from './head-file.js';
import { TRINITY_ROLES } from './roles.js';

/** A hand-written head policy: which agents to prefer per task kind. */
export const handHeadSpecSchema = z
  .object({
    agents: z.array(z.string()).min(1).max(8),
    prefer: z
      .object({
        code: z.record(z.string(), z.number()).default({}),
        math: z.record(z.string(), z.number()).default({}),
        mcq: z.record(z.string(), z.number()).default({}),
      })
      .strict(),
  })
  .strict();

export type HandHeadSpec = z.infer<typeof handHeadSpecSchema>;

// Offsets of the hashed featurizer's statistics block (see structure() in featurizer/hashed.ts).
const S = HASHED_DIM - 24;
const NO_TURN = S + 2;
const LAST_WORKER = S + 4;
const REVISE = S + 6;
const KIND = { code: S + 8, math: S + 9, mcq: S + 10 } as const;
const LAST_AGENT = S + 15;

/**
 * Weights for the hashed featurizer implementing a readable policy: a preferred worker answers, a
 * different agent verifies, a REVISE sends the task back to a worker. Not trained: the metadata says
 * `origin: hand-built`. `baton train` makes heads the way TRINITY does.
 */
export function handBuiltHead(spec: HandHeadSpec): { weights: Float32Array; meta: HeadMeta } {
  const outputs = spec.agents.length + TRINITY_ROLES.length;
  const w = new Float32Array(HASHED_DIM * outputs);
  const set = (feature: number, output: number, value: number) => {
    w[feature * outputs + output] = value;
  };
  const role = (name: (typeof TRINITY_ROLES)[number]) => spec.agents.length + TRINITY_ROLES.indexOf(name);
  set(NO_TURN, role('worker'), 3);
  set(REVISE, role('worker'), 3);
  set(LAST_WORKER, role('verifier'), 3);
  for (const [kind, feature] of Object.entries(KIND) as [keyof typeof KIND, number][]) {
    for (const [agent, bonus] of Object.entries(spec.prefer[kind])) {
      const index = spec.agents.indexOf(agent);
      if (index < 0) throw new Error(`hand head: prefer.${kind} names '${agent}', not in agents`);
      set(feature, index, bonus);
    }
  }
  // Whoever acted last is not picked again next turn: a worker is checked by someone else.
  for (const i of spec.agents.keys()) set(LAST_AGENT + i, i, -4);
  return {
    weights: w,
    meta: {
      version: 1,
      agents: spec.agents,
      featurizer: hashedFeaturizer.name,
      dim: HASHED_DIM,
      origin: 'hand-built',
      training: { note: 'not trained: weights written by hand from configs/heads/*.yaml' },
    },
  };
}
