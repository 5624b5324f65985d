import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { suiteJsonSchema } from '../../src/suites/baton-yaml/json-schema.js';
import { repoRoot } from '../runner/helpers.js';

describe('committed JSON Schema of suite files', () => {
  it('matches the zod schema the loader uses (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(
      readFileSync(join(repoRoot, 'suites/baton-suite.schema.json'), 'utf8'),
    ) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(suiteJsonSchema())));
  });

  it('has one branch per kind, describes the fields and forbids unknown ones', () => {
    const text = JSON.stringify(suiteJsonSchema());
    for (const kind of ['code', 'math', 'mcq']) expect(text).toContain(`"const":"${kind}"`);
    expect(text).toContain('"const":"stdin"');
    expect(text).toContain('"const":"call"');
    expect(text).toContain('"additionalProperties":false');
    expect(text).toContain('The correct choice');
    expect(text).toContain('Wall-clock limit per test case');
  });

  it('is what the shipped suites name for editors', () => {
    for (const kind of ['code', 'math', 'mcq'])
      for (const dir of ['demo', 'train'])
        expect(readFileSync(join(repoRoot, 'suites', dir, `${kind}.yaml`), 'utf8')).toMatch(
          /^# yaml-language-server: \$schema=\.\.\/baton-suite\.schema\.json\n/,
        );
  });
});
