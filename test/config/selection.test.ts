import { describe, expect, it } from 'vitest';
import { configDifferences, resumeIdentity } from '../../src/config/identity.js';
import { readRunConfig } from '../../src/config/load.js';
import { selectionFlags } from '../../src/config/selection.js';
import { UsageError } from '../../src/util/errors.js';
import { configCopy } from '../runner/helpers.js';

/** A pool with an orchestrator member: `conductor` calls `fusion` through the member `fusion-member`. */
function nestedConfig() {
  return configCopy('demo.yaml', (t) =>
    t
      .replace(
        /^pool:\n/m,
        'pool:\n  - { id: fusion-member, provider: orchestrator, model: fusion, orchestrator: fusion }\n',
      )
      .replace(
        /orchestrators:\n[\s\S]*$/,
        [
          'orchestrators:',
          '  - { id: single-qwen, family: single, agent: qwen }',
          '  - { id: fusion, family: fusion, panel: [claude, gemini], judge: gpt5 }',
          '  - { id: via-member, family: single, agent: fusion-member }',
          'decide: [{ a: single-qwen, b: via-member, margin: 2 }]',
          'report: { baseline: single-qwen }',
          '',
        ].join('\n'),
      ),
  ).file;
}

describe('--only', () => {
  it('keeps the chosen orchestrators and builds the ones they call as members; drops comparisons and a baseline left out', async () => {
    const warnings: string[] = [];
    const config = await readRunConfig(nestedConfig(), {
      selection: { only: ['via-member'] },
      warn: (m) => warnings.push(m),
    });
    expect(config.orchestrators.map((o) => o.id)).toEqual(['fusion', 'via-member']);
    expect(config.selection.only).toEqual(['via-member']);
    expect(config.decide).toEqual([]);
    expect(config.report?.baseline).toBeUndefined();
    expect(warnings).toEqual([
      '--only: decide: single-qwen vs via-member is left out (single-qwen does not run)',
      "--only: report.baseline 'single-qwen' does not run; the report chooses its default baseline",
    ]);
  });

  it('refuses an unknown id naming the closest', async () => {
    await expect(readRunConfig(nestedConfig(), { selection: { only: ['via-membr'] } })).rejects.toThrow(
      new UsageError(
        "--only: no orchestrator with id 'via-membr' — did you mean 'via-member'? (ids: single-qwen, fusion, via-member)",
      ),
    );
  });

  it('takes the seed of --sample from the config when none is given', async () => {
    const config = await readRunConfig(nestedConfig(), { selection: { sample: { count: 2 } } });
    expect(config.selection).toEqual({ sample: { count: 2, seed: 20261125 } });
  });
});

describe('what a resume compares', () => {
  it('lists each changed leaf with its path; a renamed config or another price is no change', async () => {
    const file = nestedConfig();
    const before = await readRunConfig(file);
    expect(configDifferences(resumeIdentity(before), resumeIdentity({ ...before, name: 'renamed' }))).toEqual(
      [],
    );
    const priced = { ...before, pool: before.pool.map((a) => ({ ...a, price: { input: 1, output: 2 } })) };
    expect(configDifferences(resumeIdentity(before), resumeIdentity(priced))).toEqual([]);
    const after = await readRunConfig(file, {
      overrides: [],
      selection: { limit: 3 },
    });
    after.pool = after.pool.map((a, i) =>
      i === 1 ? { ...a, params: { ...a.params, temperature: 0.7 } } : a,
    );
    expect(configDifferences(resumeIdentity(before), resumeIdentity(after))).toEqual([
      'pool[1].params.temperature: (none) → 0.7',
      '--limit: (none) → 3',
    ]);
  });
});

describe('the flags of a selection', () => {
  it('give the same subset and overrides again, quoted for a shell', () => {
    expect(
      selectionFlags({
        sample: { count: 5, seed: 3 },
        only: ['fusion', 'vote'],
        set: ['budget.usd=2', "pool[0].params={temperature: 0, stop: 'x'}"],
      }),
    ).toBe(
      `--sample 5 --seed 3 --only fusion,vote --set budget.usd=2 --set 'pool[0].params={temperature: 0, stop: '\\''x'\\''}'`,
    );
    expect(selectionFlags({})).toBe('');
  });
});
