import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/orchestrators/plan/format.js';

const pool = new Set(['a', 'b', 'c']);

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

  it.each([
    ['truncated JSON', '```json\n{"model_id": ["a"], "subtasks": [\n```', 'not valid JSON'],
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
