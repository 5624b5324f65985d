import type { Task } from '../../../suites/types.js';
import type { TrinityRole } from '../roles.js';

export interface Turn {
  agentId: string;
  role: TrinityRole;
  text: string;
  /** Trace step of the call. */
  step: number;
}

/** What the coordinator has seen so far: the query and every earlier output. */
export interface TurnState {
  task: Task;
  /** Pool agent ids in head order. */
  agents: readonly string[];
  turns: readonly Turn[];
}

/** Turns the transcript into the head's input vector. */
export interface Featurizer {
  /** Recorded in head metadata; a head only runs with the featurizer it was made for. */
  readonly name: string;
  readonly dim: number;
  features(state: TurnState): Promise<Float32Array>;
}

/** The transcript as one text, the way a language-model backbone reads it. */
export function transcriptText(state: TurnState): string {
  const turns = state.turns.map((t) => `\n[${t.role} ${t.agentId}]\n${t.text}`);
  return `[query]\n${state.task.prompt}${turns.join('')}`;
}
