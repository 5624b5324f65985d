import type { MathGraderId, Task } from '../../suites/types.js';
import type { Score } from '../types.js';
import { sameAime } from './aime.js';
import { sameEquivalent } from './equivalent.js';
import { finalAnswer } from './extract.js';
import { sameGsm8k } from './gsm8k.js';
import { hendrycksIsEquiv, hendrycksLastBoxed } from './hendrycks.js';

/**
 * A maths grading mode: how the final answer is read from a response, and when two answers are the
 * same. Chosen per suite (`grader:` in the config), recorded on every task and score.
 */
export interface MathGrader {
  readonly id: MathGraderId;
  /** Where it comes from and how it differs, for docs and `baton suites list`. */
  readonly summary: string;
  read(text: string): ReadAnswer;
  same(answer: string, reference: string): boolean;
}

export interface ReadAnswer {
  answer: string | null;
  /** Boxed answers that disagree: graded wrong, listed in the score. */
  hedge?: string[];
}

/** More differently written boxes than this are a hedge without comparing them (each costs a parse). */
const MAX_DISTINCT_BOXES = 8;

/** Boxes that all say the same thing are one answer; boxes that disagree are a hedge (no answer). */
function readFinal(same: (a: string, b: string) => boolean) {
  return (text: string): ReadAnswer => {
    const final = finalAnswer(text);
    if (final.kind === 'none') return { answer: null };
    if (final.kind === 'answer') return { answer: final.text };
    const last = final.texts.at(-1) as string;
    const agree = final.texts.length <= MAX_DISTINCT_BOXES && final.texts.every((t) => same(t, last));
    return agree ? { answer: last } : { answer: null, hedge: final.texts.slice(0, MAX_DISTINCT_BOXES) };
  };
}

export const MATH_GRADERS: Record<MathGraderId, MathGrader> = {
  hendrycks: {
    id: 'hendrycks',
    summary:
      "Hendrycks MATH's own is_equiv: the last \\boxed{} (remove_boxed(last_boxed_only_string)), _strip_string, string equality; nothing added",
    read: (text) => ({ answer: hendrycksLastBoxed(text) }),
    same: (answer, reference) => hendrycksIsEquiv(answer, reference),
  },
  equivalent: {
    id: 'equivalent',
    summary:
      'the same value, set, interval or choice however written (symbolic and exact: rounded decimals are not exact answers); hedges are wrong',
    read: readFinal(sameEquivalent),
    same: sameEquivalent,
  },
  aime: {
    id: 'aime',
    summary: 'an integer 0–999 (leading zeros allowed) equal to the reference; nothing else',
    read: readFinal(sameAime),
    same: sameAime,
  },
  gsm8k: {
    id: 'gsm8k',
    summary:
      'a plain number equal to the reference (currency, thousands commas, %, trailing words allowed); no expressions',
    read: readFinal(sameGsm8k),
    same: sameGsm8k,
  },
};

export function mathGraderFor(task: Task): MathGrader {
  return MATH_GRADERS[task.grader ?? 'equivalent'];
}

export function scoreMath(task: Task, response: string): Score {
  const grader = mathGraderFor(task);
  const { answer, hedge } = grader.read(response);
  return {
    correct: answer !== null && grader.same(answer, task.reference),
    detail: {
      kind: 'math',
      grader: grader.id,
      extracted: answer,
      ...(hedge ? { hedge } : {}),
      reference: task.reference,
    },
  };
}
