import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentWithDotEnv } from '../../src/config/env.js';

describe('.env', () => {
  it('adds its keys under the real environment, which wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-env-'));
    writeFileSync(
      join(dir, '.env'),
      'OPENAI_API_KEY=from-dotenv\nGEMINI_API_KEY="quoted value"\n# comment\n',
    );
    const env = environmentWithDotEnv({ OPENAI_API_KEY: 'from-shell' }, dir);
    expect(env.OPENAI_API_KEY).toBe('from-shell');
    expect(env.GEMINI_API_KEY).toBe('quoted value');
  });

  it('is optional', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-env-'));
    expect(environmentWithDotEnv({ A: '1' }, dir)).toEqual({ A: '1' });
  });
});
