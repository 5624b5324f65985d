import { describe, expect, it } from 'vitest';
import {
  comparabilityDiff,
  parseAllowed,
  type RunFacts,
  runFacts,
} from '../../../src/report/compare/comparability.js';
import type { RunRecord, SampleResult } from '../../../src/store/records.js';

const config = (over: Record<string, unknown> = {}) => ({
  name: 'x',
  seed: 1,
  repeats: 1,
  scoring: { sandbox: 'auto', memoryMb: 512 },
  pool: [
    { id: 'gpt5', provider: 'sim', model: 'gpt-5', price: { input: 1.25, output: 10 } },
    { id: 'gemma', provider: 'sim', model: 'gemma-3', price: { input: 0.1, output: 0.2 } },
  ],
  suiteRecords: [{ name: 'mcq', contentHash: 'aaa', tasks: 2, grading: ['multiple choice: letter'] }],
  ...over,
});
const run = (c: unknown): RunRecord => ({
  id: 'r',
  name: 'x',
  configHash: 'h',
  configJson: JSON.stringify(c),
  configFile: 'x.yaml',
  createdAt: 0,
  simulated: true,
  sessions: 1,
  status: 'complete',
  planned: 2,
  environment: {},
});
const samples = (...ids: string[]) => ids.map((taskId) => ({ suite: 'mcq', taskId }) as SampleResult);
const facts = (over: Record<string, unknown> = {}, tasks = ['t1', 't2']): RunFacts =>
  runFacts(run(config(over)), samples(...tasks));

describe('comparability check', () => {
  it('finds nothing between equal runs', () => {
    expect(comparabilityDiff(facts(), facts())).toEqual([]);
  });

  it('lists each difference with field, item, A and B', () => {
    const b = facts(
      {
        seed: 2,
        repeats: 3,
        pool: [
          { id: 'gpt5', provider: 'sim', model: 'gpt-5.1', price: { input: 1.5, output: 10 } },
          { id: 'qwen', provider: 'sim', model: 'qwen3', price: { input: 0.1, output: 0.2 } },
        ],
        suiteRecords: [{ name: 'mcq', contentHash: 'bbb', tasks: 2, grading: ['maths: hendrycks'] }],
        scoring: { sandbox: 'auto', memoryMb: 256 },
      },
      ['t1', 't3'],
    );
    const diff = comparabilityDiff(facts(), b);
    const row = (field: string, item: string) => diff.find((d) => d.field === field && d.item === item);
    expect(row('suites', 'mcq')).toMatchObject({ a: 'aaa', b: 'bbb', allowed: false });
    expect(row('tasks', 'mcq/t2')).toMatchObject({ a: 'ran', b: 'absent' });
    expect(row('tasks', 'mcq/t3')).toMatchObject({ a: 'absent', b: 'ran' });
    expect(row('repeats', '')).toMatchObject({ a: '1', b: '3' });
    expect(row('seeds', '')).toMatchObject({ a: '1', b: '2' });
    expect(row('prices', 'gpt5')).toMatchObject({
      a: '{"input":1.25,"output":10}',
      b: '{"input":1.5,"output":10}',
    });
    // A member in one pool only is a pool difference, not a price one.
    expect(diff.filter((d) => d.field === 'prices')).toHaveLength(1);
    expect(row('pool', 'gpt5.model')).toMatchObject({ a: '"gpt-5"', b: '"gpt-5.1"' });
    expect(row('pool', 'gemma')).toMatchObject({ a: 'member', b: 'absent' });
    expect(row('pool', 'qwen')).toMatchObject({ a: 'absent', b: 'member' });
    expect(row('grading', 'mcq')).toMatchObject({ a: 'multiple choice: letter', b: 'maths: hendrycks' });
    expect(row('grading', 'scoring.memoryMb')).toMatchObject({ a: '512', b: '256' });
  });

  it('marks allowed fields, and nothing else', () => {
    const b = facts({
      seed: 2,
      pool: [{ ...config().pool[0], price: { output: 10, input: 2 } }, config().pool[1]],
    });
    const diff = comparabilityDiff(facts(), b, parseAllowed(['prices']));
    expect(diff.map((d) => [d.field, d.allowed])).toEqual([
      ['seeds', false],
      ['prices', true],
    ]);
  });

  it('prices written in another key order are equal', () => {
    const b = facts({
      pool: [{ ...config().pool[0], price: { output: 10, input: 1.25 } }, config().pool[1]],
    });
    expect(comparabilityDiff(facts(), b)).toEqual([]);
  });

  it('a run without suite records cannot be checked: a difference until allowed', () => {
    const old = facts({ suiteRecords: undefined });
    const diff = comparabilityDiff(old, facts());
    expect(diff.map((d) => d.field)).toEqual(['suites', 'grading']);
    expect(diff[0]?.a).toMatch(/not recorded/);
  });

  it('parses repeatable and comma lists, with aliases; refuses unknown names', () => {
    expect(parseAllowed(['prices,seed', 'pool'])).toEqual(['prices', 'seeds', 'pool']);
    expect(() => parseAllowed(['price', 'budget'])).toThrow(
      /no field 'budget'; the fields are suites, tasks/,
    );
  });
});
