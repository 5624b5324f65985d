import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { repoRoot } from '../runner/helpers.js';

describe('committed JSON Schema of run configs', () => {
  it('matches the zod schema it is generated from (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(
      readFileSync(join(repoRoot, 'configs/baton.schema.json'), 'utf8'),
    ) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });

  it('describes provider-specific pool members and forbids unknown fields', () => {
    const text = JSON.stringify(configJsonSchema());
    expect(text).toContain('"const":"sim"');
    expect(text).toContain('"const":"openai-compatible"');
    expect(text).toContain('"const":"fusion"');
    expect(text).toContain('"additionalProperties":false');
  });
});
