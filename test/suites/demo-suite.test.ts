import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { createScorer } from '../../src/scoring/index.js';
import { loadSuite } from '../../src/suites/load.js';
import { repoRoot } from '../runner/helpers.js';

const sandbox = createLocalSandbox();
const scorer = createScorer({ sandbox });
afterAll(() => sandbox.close());

const suite = (name: string) => loadSuite(join(repoRoot, 'suites/demo', `${name}.yaml`));
const fenced = (code: string) => `Here you go.\n\n\`\`\`python\n${code}\n\`\`\`\n`;

describe('shipped demo suites, graded by the real scorer', () => {
  it('has at least 10 tasks of each kind, with both code test styles', () => {
    expect(suite('code').length).toBeGreaterThanOrEqual(10);
    expect(suite('math').length).toBeGreaterThanOrEqual(10);
    expect(suite('mcq').length).toBeGreaterThanOrEqual(10);
    const styles = new Set(suite('code').map((t) => t.tests?.style));
    expect(styles).toEqual(new Set(['stdin', 'call']));
  });

  it.each(suite('code').map((t) => [t.id, t] as const))(
    '%s: the reference passes and every wrong solution fails',
    async (_id, task) => {
      expect((await scorer.score(task, fenced(task.reference))).correct).toBe(true);
      expect(task.distractors.length).toBeGreaterThanOrEqual(2);
      for (const wrong of task.distractors)
        expect((await scorer.score(task, fenced(wrong))).correct).toBe(false);
    },
  );

  it.each(suite('math').map((t) => [t.id, t] as const))(
    '%s: every spelling of the answer counts, no distractor does',
    async (_id, task) => {
      const spellings = [task.reference, ...((task.meta.equivalents as string[] | undefined) ?? [])];
      for (const s of spellings)
        expect((await scorer.score(task, `So the answer is $\\boxed{${s}}$.`)).correct, s).toBe(true);
      for (const d of task.distractors)
        expect((await scorer.score(task, `So the answer is $\\boxed{${d}}$.`)).correct, d).toBe(false);
    },
  );

  it.each(suite('mcq').map((t) => [t.id, t] as const))(
    '%s: only the keyed letter counts',
    async (_id, task) => {
      for (const letter of 'ABCD'.slice(0, task.choices?.length)) {
        expect((await scorer.score(task, `Reasoning.\nAnswer: ${letter}`)).correct).toBe(
          letter === task.reference,
        );
      }
    },
  );
});
