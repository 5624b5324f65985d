import { describe, expect, it } from 'vitest';
import { moaOrchestrator } from '../../src/orchestrators/moa/index.js';
import { promptedRouterOrchestrator } from '../../src/orchestrators/prompted-router/index.js';
import { voteOrchestrator } from '../../src/orchestrators/vote/index.js';
import { majority } from '../../src/orchestrators/vote/majority.js';
import { answerReader } from '../../src/scoring/answers.js';
import type { Task } from '../../src/suites/types.js';
import { agents, fakeContext, mathTask } from './fake-context.js';

const context = { configDir: '.', pool: agents('a', 'b', 'c', 'r') };

describe('prompted-router', () => {
  const options = promptedRouterOrchestrator.optionsSchema.parse({
    id: 'router',
    family: 'prompted-router',
    router: 'r',
    agents: ['a', 'b'],
    maxTurns: 4,
  });

  it('calls the agent and role the router names, and stops at ACCEPT', async () => {
    const orchestrator = await promptedRouterOrchestrator.create(options, context);
    const routes = ['{"agent": "a", "role": "worker"}', '```json\n{"agent": "b", "role": "verifier"}\n```'];
    const { ctx, calls } = fakeContext(context.pool, (agentId, meta) => {
      if (meta.role === 'router') return routes.shift() ?? '';
      return meta.role === 'verifier' ? 'ACCEPT' : `${agentId}: \\boxed{4}`;
    });
    const solution = await orchestrator.solve(ctx);
    expect(calls.map((c) => [c.agentId, c.meta.role])).toEqual([
      ['r', 'router'],
      ['a', 'worker'],
      ['r', 'router'],
      ['b', 'verifier'],
    ]);
    expect(solution.answer).toBe('a: \\boxed{4}');
  });

  it('resamples unreadable routes, then ends the loop and says why', async () => {
    const orchestrator = await promptedRouterOrchestrator.create({ ...options, maxResamples: 1 }, context);
    const { ctx, calls } = fakeContext(context.pool, (_a, meta) =>
      meta.role === 'router' ? '{"agent": "z", "role": "worker"}' : 'x',
    );
    const solution = await orchestrator.solve(ctx);
    expect(calls).toHaveLength(2);
    expect(solution.answer).toBe('');
    expect(String(solution.meta.coordinatorFailed)).toContain("unknown agent 'z'");
  });
});

describe('moa', () => {
  it('runs layers of proposers, each seeing the previous layer, then the aggregator', async () => {
    const options = moaOrchestrator.optionsSchema.parse({
      id: 'moa',
      family: 'moa',
      proposers: ['a', 'b'],
      layers: 2,
      aggregator: 'c',
    });
    const orchestrator = await moaOrchestrator.create(options, context);
    const { ctx, calls } = fakeContext(context.pool, (agentId) => `${agentId} says \\boxed{4}`);
    const solution = await orchestrator.solve(ctx);
    expect(calls.map((c) => [c.agentId, c.meta.role, c.meta.visibleSteps])).toEqual([
      ['a', 'proposer', []],
      ['b', 'proposer', []],
      ['a', 'proposer', [0, 1]],
      ['b', 'proposer', [0, 1]],
      ['c', 'aggregator', [2, 3]],
    ]);
    expect(solution.answer).toBe('c says \\boxed{4}');
  });
});

describe('vote', () => {
  const mcqTask: Task = {
    ...mathTask,
    kind: 'mcq',
    reference: 'B',
    choices: ['Paris', 'Lyon', 'Nice', 'Lille'],
  };
  const textTask: Task = { ...mathTask, kind: 'text', reference: 'Paris' };

  it('takes the majority answer under the task grading mode (equivalent)', () => {
    const texts = [
      '\\boxed{\\frac{1}{2}}',
      '\\boxed{3}',
      '\\boxed{0.5}',
      'I am not sure.\nStill thinking about it.',
      '\\boxed{3}',
      '\\boxed{\\dfrac12}',
    ];
    expect(majority({ ...mathTask, reference: '1/2' }, texts, answerReader)).toEqual({
      index: 0,
      votes: 3,
      clusters: 2,
    });
  });

  it('groups equivalent maths forms (\\frac12 and 0.5) as the grader does', () => {
    const texts = ['\\boxed{\\frac12}', '\\boxed{3}', '\\boxed{0.5}'];
    expect(majority(mathTask, texts, answerReader)).toEqual({ index: 0, votes: 2, clusters: 2 });
  });

  it('reads multiple-choice letters among the task own options only', () => {
    // With A–J, "I" (the pronoun) would be read as option I and win with two votes.
    const texts = ['Answer: B', 'A, I think', 'C, I think'];
    expect(majority(mcqTask, texts, answerReader)).toEqual({ index: 0, votes: 1, clusters: 3 });
  });

  it('compares free-text answers case-insensitively, as the text grader does', () => {
    expect(majority(textTask, ['Paris', 'Lyon', 'paris', 'Lyon'], answerReader)).toEqual({
      index: 0,
      votes: 2,
      clusters: 2,
    });
    expect(majority(textTask, ['Lyon', 'Paris', 'paris', 'PARIS'], answerReader)).toEqual({
      index: 1,
      votes: 3,
      clusters: 2,
    });
  });

  it('elects the answer the grader would mark: a hedged sample abstains', () => {
    const texts = ['\\boxed{2} or \\boxed{3}', '\\boxed{3}', '\\boxed{2}', '\\boxed{2}'];
    expect(majority(mathTask, texts, answerReader)).toEqual({ index: 2, votes: 2, clusters: 2 });
  });

  it('breaks ties towards the earliest answer, and samples k times with distinct requests', async () => {
    const options = voteOrchestrator.optionsSchema.parse({
      id: 'v',
      family: 'vote',
      agents: ['a', 'b'],
      samples: 4,
    });
    const orchestrator = await voteOrchestrator.create(options, context);
    const answers = ['\\boxed{5}', '\\boxed{4}', '\\boxed{4}', '\\boxed{5}'];
    const { ctx, calls } = fakeContext(context.pool, () => answers.shift() ?? '');
    const solution = await orchestrator.solve(ctx);
    expect(calls.map((c) => c.agentId)).toEqual(['a', 'b', 'a', 'b']);
    expect(solution.answer).toBe('\\boxed{5}');
    expect(solution.meta).toEqual({ votes: 2, distinctAnswers: 2 });
  });
});
