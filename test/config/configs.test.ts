import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunConfig } from '../../src/config/load.js';
import { loadPriceTable, resolvePrices } from '../../src/providers/prices.js';
import { repoRoot } from '../runner/helpers.js';

const configsDir = join(repoRoot, 'configs');
const runConfigs = readdirSync(configsDir).filter((f) => f.endsWith('.yaml') && f !== 'prices.yaml');

describe('shipped configs', () => {
  it('include example pools for every real provider', () => {
    expect(runConfigs).toEqual(
      expect.arrayContaining([
        'openai.yaml',
        'anthropic.yaml',
        'google.yaml',
        'openrouter.yaml',
        'sakana.yaml',
      ]),
    );
  });

  it.each(runConfigs)('%s validates against the schema', async (name) => {
    const config = await loadRunConfig(join(configsDir, name));
    expect(config.pool.length).toBeGreaterThan(0);
  });

  it.each(runConfigs.filter((n) => n !== 'sakana.yaml'))(
    '%s has a price for every pool member',
    async (name) => {
      const { pool } = resolvePrices((await loadRunConfig(join(configsDir, name))).pool);
      // An orchestrator member costs nothing itself: its nested calls carry their prices.
      for (const agent of pool.filter((a) => a.provider !== 'orchestrator'))
        expect(agent.price.output, agent.id).toBeGreaterThan(0);
    },
  );

  it('sakana.yaml refuses to start until `fugu` is given a price (no silent $0)', async () => {
    const config = await loadRunConfig(join(configsDir, 'sakana.yaml'));
    expect(() => resolvePrices(config.pool)).toThrow(
      /pool member 'fugu' \(provider openai-compatible, model 'fugu'\).*price: \{ input, output \}/,
    );
    const withPrice = config.pool.map((a) =>
      a.id === 'fugu' ? { ...a, price: { input: 1, output: 2 } } : a,
    );
    expect(resolvePrices(withPrice).pool.find((a) => a.id === 'fugu-ultra')?.price.output).toBe(45);
  });

  it('the price table is valid and every row names its source, date and evidence', () => {
    const table = loadPriceTable();
    expect(table.models.length).toBeGreaterThan(5);
    const keys = table.models.map((m) => `${m.provider}/${m.model}`);
    expect(new Set(keys).size).toBe(keys.length);
    const pro = table.models.find((m) => m.provider === 'gemini' && m.model === 'gemini-2.5-pro');
    expect(pro?.tiers?.[0]).toMatchObject({ abovePromptTokens: 200000, input: 2.5, output: 15 });
  });

  it('a config price overrides the table field by field, its cache prices following its input', () => {
    const { pool, origins } = resolvePrices([
      { id: 'a', provider: 'openai', model: 'gpt-5', params: {}, price: { input: 1, output: 8 } },
      {
        id: 'b',
        provider: 'openai',
        model: 'gpt-5',
        params: {},
        price: { input: 1, output: 8, cachedInput: 0.5 },
      },
    ]);
    // The table lists gpt-5's cached input at 10% of input ($0.125 of $1.25).
    expect(pool[0]?.price).toMatchObject({ input: 1, output: 8, cachedInput: 0.1 });
    expect(pool[1]?.price).toMatchObject({ input: 1, output: 8, cachedInput: 0.5 });
    expect(origins[0]).toMatchObject({ origin: 'table+config', evidence: 'third-party' });
  });
});
