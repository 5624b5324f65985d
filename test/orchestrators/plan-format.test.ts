import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/orchestrators/plan/format.js';

const pool = ['a', 'b', 'c'];

describe('Conductor plan parsing', () => {
  it('reads the three lists from a fenced JSON block', () => {
    const text =
      'Plan:\n```json\n{"model_id": ["a", "b", "c"], "subtasks": ["solve", "check", "final"], "access_list": [[], [0], "all"]}\n```';
    const plan = parsePlan(text, pool, 5);
    expect(plan).toEqual({
      ok: true,
      steps: [
        { agentId: 'a', subtask: 'solve', sees: [] },
        { agentId: 'b', subtask: 'check', sees: [0] },
        { agentId: 'c', subtask: 'final', sees: [0, 1] },
      ],
    });
  });

  it("reads the paper's three Python lists, with pool indices, quotes and none", () => {
    const text = [
      'Here is my plan.',
      'model_id = [2, "a"]',
      "subtasks = ['Solve it, don\\'t guess.', \"Check step 0: it's final.\"]",
      'access_list = [none, [0]]',
    ].join('\n');
    expect(parsePlan(text, pool, 5)).toEqual({
      ok: true,
      steps: [
        { agentId: 'c', subtask: "Solve it, don't guess.", sees: [] },
        { agentId: 'a', subtask: "Check step 0: it's final.", sees: [0] },
      ],
    });
  });

  it('rejects a pool index out of range', () => {
    const plan = parsePlan('model_id = [7]\nsubtasks = ["x"]\naccess_list = ["all"]', pool, 5);
    expect(plan).toEqual({ ok: false, reason: "unknown model_id '7'" });
  });

  it.each([
    ['truncated JSON', '```json\n{"model_id": ["a"], "subtasks": [\n```', 'neither JSON nor the three lists'],
    [
      'unequal lists',
      '{"model_id": ["a", "b"], "subtasks": ["x"], "access_list": [[], []]}',
      'differ in length',
    ],
    [
      'an unknown agent',
      '{"model_id": ["z"], "subtasks": ["x"], "access_list": [[]]}',
      "unknown model_id 'z'",
    ],
    [
      'a step seeing the future',
      '{"model_id": ["a"], "subtasks": ["x"], "access_list": [[0]]}',
      'earlier steps',
    ],
    [
      'too many steps',
      '{"model_id": ["a","a","a"], "subtasks": ["x","x","x"], "access_list": [[],[],[]]}',
      'limit 2',
    ],
  ])('rejects %s', (_name, text, reason) => {
    const plan = parsePlan(text, pool, 2);
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.reason).toContain(reason);
  });
});
