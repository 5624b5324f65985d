import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-process.js';

// The built CLI (npm test builds it first). No key is set: a dry run needs none and calls nothing.
const noKeys = {
  OPENAI_API_KEY: '',
  ANTHROPIC_API_KEY: '',
  GEMINI_API_KEY: '',
  GOOGLE_API_KEY: '',
  OPENROUTER_API_KEY: '',
  SAKANA_API_KEY: '',
};

describe('baton run --dry-run', () => {
  it('prints the cost range of a real pool without keys or calls', async () => {
    const { code, stdout } = await runCli(['run', 'configs/openai.yaml', '--dry-run'], noKeys);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^dry run: no model was called/);
    expect(stdout).toMatch(/single-gpt5: 36 samples, \$\d+\.\d{4} … \$\d+\.\d{4}/);
  });

  it('refuses, exit 2, a pool member with no known price', async () => {
    const { code, stderr } = await runCli(['run', 'configs/sakana.yaml', '--dry-run'], noKeys);
    expect(code).toBe(2);
    expect(stderr).toContain("no price known for pool member 'fugu'");
    expect(stderr).not.toMatch(/at .*\.js:\d+/); // one clear line, no stack
  });
});
