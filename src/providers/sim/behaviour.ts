import type { Task } from '../../suites/types.js';
import type { ReadTranscript, VisibleOutput } from '../../util/transcript.js';
import { bareAnswer, correctAnswer, formatAnswer, isCorrect, wrongAnswer } from './answers.js';
import { type SimProfile, skillFor } from './profile.js';

export interface SimAgent {
  id: string;
  model: string;
  profile: SimProfile;
}

export interface SimTurn {
  agent: SimAgent;
  /** Every sim agent, for planners whose beliefs are the true skills. */
  everyone: ReadonlyMap<string, SimAgent>;
  task: Task;
  transcript: ReadTranscript;
  random: () => number;
}

/**
 * The simulated pool's policy. Each role succeeds with a probability set by the agent's profile and by
 * what it sees, so the choice of agents, roles and information flow changes accuracy — which is what
 * an orchestrator benchmark must be able to show.
 */
export function respond(turn: SimTurn): string {
  switch (turn.transcript.role) {
    case 'judge':
      return judge(turn);
    case 'planner':
      return plan(turn);
    case 'verifier':
      return verify(turn);
    case 'thinker':
      return think(turn);
    case 'router':
      return route(turn);
    case 'synthesizer':
      return synthesize(turn);
    default:
      return work(turn, turn.transcript.outputs);
  }
}

function skill(turn: SimTurn): number {
  return skillFor(turn.agent.profile, turn.task.category, turn.task.kind);
}

const SOUND_GUIDANCE = 'Guidance (sound):';

/** Solve, possibly helped by correct earlier outputs or sound guidance, or misled by wrong answers. */
function work(turn: SimTurn, seen: readonly VisibleOutput[], endorsed?: VisibleOutput): string {
  const { profile } = turn.agent;
  const guided = seen.some((o) => o.text.startsWith(SOUND_GUIDANCE));
  const base = skill(turn);
  const own = turn.random() < (guided ? base + (1 - base) * 0.35 : base);
  const answers = (endorsed ? [endorsed] : seen).filter((o) => bareAnswer(turn.task, o.text) !== undefined);
  const helpful = answers.filter((o) => isCorrect(turn.task, o.text));
  const wrong = answers.filter((o) => !isCorrect(turn.task, o.text));
  let correct = own;
  if (!own && helpful.length > 0) correct = turn.random() < profile.contextUse;
  else if (own && helpful.length === 0 && wrong.length > 0) correct = turn.random() >= profile.misled;
  const answer = correct
    ? correctAnswer(turn.task, turn.random)
    : (copyWrong(turn, wrong) ?? wrongAnswer(turn.task, turn.random));
  return formatAnswer(turn.task, answer, filler(turn, 1));
}

function copyWrong(turn: SimTurn, wrong: readonly VisibleOutput[]): string | undefined {
  if (wrong.length === 0 || turn.random() >= turn.agent.profile.contextUse) return undefined;
  const source = wrong[Math.floor(turn.random() * wrong.length)];
  return source ? bareAnswer(turn.task, source.text) : undefined;
}

/** A thinker's plan is sound with the thinker's skill; sound guidance helps the next worker. */
function think(turn: SimTurn): string {
  const sound = turn.random() < skill(turn);
  return `${sound ? SOUND_GUIDANCE : 'Guidance:'} break the task into parts and check the edge cases.\n${filler(turn, 0.5)}`;
}

/** The prompted router: picks by its beliefs — best worker first, then a verifier, then the next worker. */
function route(turn: SimTurn): string {
  const planner = turn.agent.profile.planner;
  if (planner && turn.random() < planner.malformedRate)
    return 'I would ask the strongest model to answer first.';
  const ranked = turn.transcript.pool
    .map((member) => ({ id: member.id, belief: belief(turn, member.id) }))
    .sort((a, b) => b.belief - a.belief || a.id.localeCompare(b.id))
    .map((m) => m.id);
  const outputs = turn.transcript.outputs;
  const workers = outputs.filter((o) => o.role === 'worker').map((o) => o.agentId);
  const last = outputs.at(-1);
  let choice: { agent: string; role: string };
  if (last?.role === 'worker') {
    choice = { agent: ranked.find((id) => id !== last.agentId) ?? last.agentId, role: 'verifier' };
  } else {
    choice = { agent: ranked.find((id) => !workers.includes(id)) ?? ranked[0] ?? '', role: 'worker' };
  }
  return JSON.stringify(choice);
}

function verify(turn: SimTurn): string {
  const workers = turn.transcript.outputs.filter((o) => o.role === undefined || o.role === 'worker');
  const last = workers.at(-1);
  const truth = last !== undefined && isCorrect(turn.task, last.text);
  const says = turn.random() < turn.agent.profile.judgment ? truth : !truth;
  return says ? 'ACCEPT' : `REVISE\nThe answer does not hold up on a closer check.\n${filler(turn, 0.3)}`;
}

function judge(turn: SimTurn): string {
  const outputs = turn.transcript.outputs;
  const correct = outputs.filter((o) => isCorrect(turn.task, o.text));
  const wrong = outputs.filter((o) => !isCorrect(turn.task, o.text));
  const right = turn.random() < turn.agent.profile.judgment;
  const from = right && correct.length > 0 ? correct : wrong.length > 0 ? wrong : outputs;
  const chosen = from[Math.floor(turn.random() * from.length)];
  const answers = new Map(
    outputs.map((o) => [o.agentId, bareAnswer(turn.task, o.text)?.slice(0, 80) ?? '(none)']),
  );
  const distinct = new Set(answers.values());
  const analysis = {
    consensus: distinct.size === 1 ? [`All outputs give the same final answer.`] : [],
    contradictions:
      distinct.size > 1
        ? [{ topic: 'final answer', stances: [...answers].map(([model, stance]) => ({ model, stance })) }]
        : [],
    partial_coverage: [],
    unique_insights: chosen
      ? [{ model: chosen.agentId, insight: 'Most careful treatment of the edge cases.' }]
      : [],
    blind_spots: ['No output tests the largest inputs.'],
    most_reliable: chosen?.index ?? 1,
  };
  return JSON.stringify(analysis);
}

function synthesize(turn: SimTurn): string {
  const outputs = turn.transcript.outputs;
  const pickedIndex = /"most_reliable":\s*(\d+)/.exec(turn.transcript.analysis ?? '')?.[1];
  const endorsed = outputs.find((o) => String(o.index) === pickedIndex);
  return work(turn, outputs, endorsed);
}

function plan(turn: SimTurn): string {
  const planner = turn.agent.profile.planner;
  if (planner && turn.random() < planner.malformedRate) {
    return `Plan:\n\`\`\`json\n{"model_id": ["${turn.transcript.pool[0]?.id ?? 'x'}"], "subtasks": [\n\`\`\``;
  }
  const ranked = turn.transcript.pool
    .map((member) => ({ id: member.id, belief: belief(turn, member.id) }))
    .sort((a, b) => b.belief - a.belief || a.id.localeCompare(b.id));
  const first = ranked[0]?.id ?? '';
  const second = ranked[1]?.id ?? first;
  const body = {
    model_id: [first, second],
    subtasks: [
      'Solve the task completely and give the final answer.',
      'Review the solution of step 0, fix any mistake, and give the final answer.',
    ],
    access_list: [[], [0]],
  };
  return `${filler(turn, 0.3)}\n\`\`\`json\n${JSON.stringify(body)}\n\`\`\``;
}

function belief(turn: SimTurn, agentId: string): number {
  const beliefs = turn.agent.profile.planner?.beliefs ?? 'informed';
  if (beliefs === 'informed') {
    const member = turn.everyone.get(agentId);
    return member ? skillFor(member.profile, turn.task.category, turn.task.kind) : 0;
  }
  const row = beliefs[agentId] ?? {};
  return row[turn.task.category] ?? row[turn.task.kind] ?? row.default ?? 0.5;
}

const WORKING = [
  'Let me restate the problem in my own words.',
  'The key constraint determines which approach is feasible.',
  'I will check the edge cases before committing to an answer.',
  'Working through a small example confirms the pattern.',
  'Now I combine the partial results.',
  'A quick sanity check on the magnitude of the result.',
];

/** Working text of about `share` × the profile's output length. */
function filler(turn: SimTurn, share: number): string {
  const targetChars = Math.round(turn.agent.profile.outputTokens * share * 4);
  let text = '';
  while (text.length < targetChars) text += `${WORKING[Math.floor(turn.random() * WORKING.length)]} `;
  return text.trimEnd();
}
