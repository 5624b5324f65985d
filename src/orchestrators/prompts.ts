import type { AgentConfig, ChatMessage } from '../providers/types.js';
import type { Task } from '../suites/types.js';
import { outputsBlock, poolBlock, roleLine, tagged, type VisibleOutput } from '../util/transcript.js';
import type { Role } from './types.js';

/*
 * baton's own role prompts. The papers did not publish theirs, so these are documented as baton's.
 * Every prompt opens with a role tag and wraps the task and earlier outputs in tags, so a reader of a
 * trace (or the simulated pool) can tell exactly what each call saw.
 */

const ROLE_INSTRUCTIONS: Record<Role, string> = {
  solver: 'Solve the task. Follow the answer format the task asks for.',
  panelist:
    'You are one member of a panel answering the task independently. Follow the answer format the task asks for.',
  judge: [
    'You are the judge. Compare the panel outputs below. Reply with JSON only, with the keys',
    '"consensus" (claims most outputs share), "contradictions" ([{"topic", "stances": [{"model", "stance"}]}]),',
    '"partial_coverage", "unique_insights" ([{"model", "insight"}]), "blind_spots" (lists of strings unless stated),',
    'and "most_reliable" (the output number you trust most).',
  ].join(' '),
  synthesizer:
    'Write the final answer to the task using the panel outputs and the judge analysis below. Follow the answer format the task asks for.',
  planner: [
    'You coordinate a pool of models. Write a plan of at most {maxSteps} steps as a JSON object in a ```json block with',
    'three lists of equal length: "model_id" (which pool member runs each step), "subtasks" (the instruction for each step)',
    'and "access_list" (for each step: "all", [] or a list of earlier step indices, 0-based, whose outputs it sees).',
    'The last step must produce the final answer in the format the task asks for.',
  ].join(' '),
  step: 'You are one step of a plan. Do the subtask below for the task. If the subtask produces the final answer, follow the answer format the task asks for.',
  thinker: 'Think about how to solve the task; give guidance, not a final answer.',
  worker:
    'Solve the task, using the earlier outputs where they help. Follow the answer format the task asks for.',
  verifier:
    'Check the latest worker answer to the task. Reply ACCEPT on the first line if it is correct, otherwise REVISE followed by what is wrong.',
  router: [
    'You coordinate a pool of models, one call per turn. Given the task and the outputs so far, choose who acts next and',
    'in which role: "thinker" (plans, gives guidance), "worker" (writes an answer) or "verifier" (checks the latest answer;',
    'the run stops when a verifier replies ACCEPT). Reply with JSON only: {"agent": "<pool id>", "role": "<role>"}.',
  ].join(' '),
  proposer:
    'Answer the task. Earlier answers, if shown, are references to improve upon, not to copy blindly.',
  aggregator:
    'Synthesise the candidate answers below into one best answer: critically weigh them, fix their mistakes. Follow the answer format the task asks for.',
  endpoint: 'Solve the task. Follow the answer format the task asks for.',
};

function system(role: Role, vars: Record<string, string> = {}): ChatMessage {
  const body = ROLE_INSTRUCTIONS[role].replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
  return { role: 'system', content: `${roleLine(role)}\n${body}` };
}

function poolOf(pool: readonly AgentConfig[]): string {
  return poolBlock(pool.map((a) => ({ id: a.id, description: a.description ?? a.model })));
}

function taskBlock(task: Task): string {
  return tagged('task', task.prompt);
}

export function solverMessages(task: Task, role: 'solver' | 'panelist' = 'solver'): ChatMessage[] {
  return [system(role), { role: 'user', content: taskBlock(task) }];
}

export function judgeMessages(task: Task, outputs: readonly VisibleOutput[]): ChatMessage[] {
  return [system('judge'), { role: 'user', content: `${taskBlock(task)}\n${outputsBlock(outputs)}` }];
}

export function synthesisMessages(
  task: Task,
  outputs: readonly VisibleOutput[],
  analysis: string,
): ChatMessage[] {
  return [
    system('synthesizer'),
    {
      role: 'user',
      content: `${taskBlock(task)}\n${outputsBlock(outputs)}\n${tagged('analysis', analysis)}`,
    },
  ];
}

export function plannerMessages(task: Task, pool: readonly AgentConfig[], maxSteps: number): ChatMessage[] {
  return [
    system('planner', { maxSteps: String(maxSteps) }),
    { role: 'user', content: `${poolOf(pool)}\n${taskBlock(task)}` },
  ];
}

export function stepMessages(task: Task, subtask: string, outputs: readonly VisibleOutput[]): ChatMessage[] {
  const seen = outputs.length > 0 ? `\n${outputsBlock(outputs)}` : '';
  return [
    system('step'),
    { role: 'user', content: `${taskBlock(task)}\n${tagged('subtask', subtask)}${seen}` },
  ];
}

/** A TRINITY-style turn: the role's prompt wrapped around the query and every earlier output. */
export function turnMessages(
  task: Task,
  role: 'thinker' | 'worker' | 'verifier',
  outputs: readonly VisibleOutput[],
): ChatMessage[] {
  const seen = outputs.length > 0 ? `\n${outputsBlock(outputs)}` : '';
  return [system(role), { role: 'user', content: `${taskBlock(task)}${seen}` }];
}

export function routerMessages(
  task: Task,
  pool: readonly AgentConfig[],
  outputs: readonly VisibleOutput[],
): ChatMessage[] {
  const seen = outputs.length > 0 ? `\n${outputsBlock(outputs)}` : '';
  return [system('router'), { role: 'user', content: `${poolOf(pool)}\n${taskBlock(task)}${seen}` }];
}

/** Mixture-of-Agents: layer 1 answers alone; later layers and the aggregator see the previous layer. */
export function moaMessages(
  task: Task,
  role: 'proposer' | 'aggregator',
  previous: readonly VisibleOutput[],
): ChatMessage[] {
  const seen = previous.length > 0 ? `\n${outputsBlock(previous)}` : '';
  return [system(role), { role: 'user', content: `${taskBlock(task)}${seen}` }];
}
