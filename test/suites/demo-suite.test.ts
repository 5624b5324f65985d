import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { checkAnswerKeys } from '../../src/scoring/answer-key.js';
import { createScorer } from '../../src/scoring/index.js';
import { loadSuite } from '../../src/suites/load.js';
import { repoRoot } from '../runner/helpers.js';

const sandbox = createLocalSandbox();
const scorer = createScorer({ sandbox });
afterAll(() => sandbox.close());

const suite = (name: string) => loadSuite(join(repoRoot, 'suites/demo', `${name}.yaml`));

describe('shipped suites (demo and train), graded by the real scorer', () => {
  it('has at least 10 tasks of each kind, with both code test styles', () => {
    expect(suite('code').length).toBeGreaterThanOrEqual(10);
    expect(suite('math').length).toBeGreaterThanOrEqual(10);
    expect(suite('mcq').length).toBeGreaterThanOrEqual(10);
    const styles = new Set(suite('code').map((t) => t.tests?.style));
    expect(styles).toEqual(new Set(['stdin', 'call']));
  });

  it.each(['demo', 'train'].flatMap((dir) => ['code', 'math', 'mcq'].map((kind) => `${dir}/${kind}`)))(
    'suites/%s.yaml: every answer key verifies (references pass, wrong solutions and distractors fail, spellings count)',
    async (name) => {
      const tasks = loadSuite(join(repoRoot, 'suites', `${name}.yaml`));
      const keys = await checkAnswerKeys(tasks, scorer, { runCode: true, concurrency: 2 });
      expect(keys.findings).toEqual([]);
      if (name.endsWith('code')) {
        for (const task of tasks) expect(task.distractors.length, task.id).toBeGreaterThanOrEqual(2);
        expect(keys.codeRuns).toBe(tasks.reduce((n, t) => n + 1 + t.distractors.length, 0));
      }
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
