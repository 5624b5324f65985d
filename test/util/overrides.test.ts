import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/util/errors.js';
import { applyOverrides, parseOverride } from '../../src/util/overrides.js';

const data = {
  budget: { usd: 1 },
  pool: [
    { id: 'a', model: 'm1' },
    { id: 'b', model: 'm2' },
  ],
  orchestrators: [{ id: 'trinity-trained', head: 'heads/old.onnx' }],
};

const apply = (...texts: string[]) => applyOverrides(data, texts.map(parseOverride)).data;

describe('--set path=value', () => {
  it('reads dotted keys, list indexes and list items by id; values are YAML-typed', () => {
    expect(parseOverride('budget.usd=2')).toEqual({
      text: 'budget.usd=2',
      path: [{ key: 'budget' }, { key: 'usd' }],
      value: 2,
    });
    expect(parseOverride('pool[0].params={temperature: 0}').value).toEqual({ temperature: 0 });
    expect(parseOverride('orchestrators[trinity-trained].head=x.onnx').path).toEqual([
      { key: 'orchestrators' },
      { id: 'trinity-trained' },
      { key: 'head' },
    ]);
    expect(parseOverride('name="2"').value).toBe('2');
    expect(parseOverride('x=true').value).toBe(true);
    expect(parseOverride('x=a=b').value).toBe('a=b');
    expect(parseOverride('x=').value).toBeNull();
  });

  it('refuses a malformed override with what it expected', () => {
    for (const bad of ['budget.usd', '=2', '[0].model=x', 'pool[0]..model=x', 'a.b c=1', 'x={a: 1'])
      expect(() => parseOverride(bad), bad).toThrow(UsageError);
    expect(() => parseOverride('budget.usd')).toThrow(/^--set budget\.usd: no = in it \(expected path=value/);
  });

  it('changes a copy, creates missing maps, and chooses list items by index or id', () => {
    expect(
      apply(
        'budget.usd=2',
        'pool[1].model=gpt-5',
        'orchestrators[trinity-trained].head=new.onnx',
        'retries.maxAttempts=1',
      ),
    ).toEqual({
      budget: { usd: 2 },
      pool: [
        { id: 'a', model: 'm1' },
        { id: 'b', model: 'gpt-5' },
      ],
      orchestrators: [{ id: 'trinity-trained', head: 'new.onnx' }],
      retries: { maxAttempts: 1 },
    });
    expect(data.budget.usd).toBe(1);
    const { applied } = applyOverrides(data, [parseOverride('orchestrators[trinity-trained].head=x')]);
    expect(applied).toEqual([
      { text: 'orchestrators[trinity-trained].head=x', path: ['orchestrators', 0, 'head'] },
    ]);
  });

  it('refuses a missing list item, an unknown id (suggesting the closest) and a path through a value', () => {
    expect(() => apply('pool[5].model=x')).toThrow(
      '--set pool[5].model=x: pool has 2 items (pool[0] to pool[1]), no pool[5]',
    );
    expect(() => apply('orchestrators[trinity-traned].head=x')).toThrow(
      "--set orchestrators[trinity-traned].head=x: no item with id 'trinity-traned' in orchestrators — did you mean 'trinity-trained'? (ids: trinity-trained)",
    );
    expect(() => apply('budget.usd.cap=1')).toThrow('--set budget.usd.cap=1: budget.usd is 1, not a map');
    expect(() => apply('budget[0]=1')).toThrow('--set budget[0]=1: budget is a map, not a list');
  });

  it('lets a caller rewrite a value once its place is known (paths relative to the working directory)', () => {
    const out = applyOverrides(data, [parseOverride('orchestrators[0].head=h.onnx')], (path, v) =>
      path.at(-1) === 'head' ? `/cwd/${String(v)}` : v,
    ).data as typeof data;
    expect(out.orchestrators[0]?.head).toBe('/cwd/h.onnx');
  });
});
