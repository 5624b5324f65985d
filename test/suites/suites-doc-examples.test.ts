import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { checkAnswerKeys } from '../../src/scoring/answer-key.js';
import { createScorer } from '../../src/scoring/index.js';
import { loadSuiteDetailed } from '../../src/suites/load.js';
import { repoRoot } from '../runner/helpers.js';

/**
 * Every suite example in docs/suites.md (a ```yaml block after `<!-- suite example: KIND -->`) is
 * loaded by the real loader and its answer keys checked as `baton suites verify` checks them, so the
 * documented format cannot drift from the code.
 */
const doc = readFileSync(join(repoRoot, 'docs/suites.md'), 'utf8');
const examples = [...doc.matchAll(/<!-- suite example: (\w+) -->\n```yaml\n([\s\S]*?)\n```/g)].map(
  (m) => [m[1] as string, `${m[2] as string}\n`] as const,
);

const sandbox = createLocalSandbox({ concurrency: 2 });
const scorer = createScorer({ sandbox });
afterAll(() => sandbox.close());
const dir = mkdtempSync(join(tmpdir(), 'baton-doc-suites-'));

describe('docs/suites.md examples', () => {
  it('has a complete example for each kind the format supports', () => {
    expect(examples.map(([kind]) => kind).sort()).toEqual(['code', 'math', 'mcq']);
  });

  it.each(examples)(
    'the %s example loads without a problem and its answer keys verify',
    async (kind, text) => {
      const file = join(dir, `${kind}.yaml`);
      writeFileSync(file, text);
      const suite = loadSuiteDetailed(file, { strict: true });
      expect(suite.problems).toEqual([]);
      expect(suite.tasks.length).toBeGreaterThanOrEqual(2);
      expect(new Set(suite.tasks.map((t) => t.kind))).toEqual(new Set([kind]));
      const keys = await checkAnswerKeys(suite.tasks, scorer, { runCode: true, concurrency: 2 });
      expect(keys.findings).toEqual([]);
      if (kind === 'code') {
        // Every reference and every wrong solution ran.
        const solutions = suite.tasks.reduce((n, t) => n + 1 + t.distractors.length, 0);
        expect(keys.codeRuns).toBe(solutions);
        expect(new Set(suite.tasks.map((t) => t.tests?.style))).toEqual(new Set(['stdin', 'call']));
      } else {
        expect(keys.keysChecked).toBeGreaterThanOrEqual(suite.tasks.length);
      }
    },
  );
});
