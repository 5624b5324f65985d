import { describe, expect, it } from 'vitest';
import { demoConfigCopy } from '../runner/helpers.js';
import { runCli } from './cli-process.js';

// The built CLI (npm test builds it first). No key is set: a dry run calls nothing, and says which are missing.
const noKeys = {
  OPENAI_API_KEY: '',
  ANTHROPIC_API_KEY: '',
  GEMINI_API_KEY: '',
  GOOGLE_API_KEY: '',
  OPENROUTER_API_KEY: '',
  SAKANA_API_KEY: '',
};

/** Orchestrator → [samples, p50, p95] from a dry run's printout. */
function rows(stdout: string): Map<string, [number, number, number]> {
  const found = new Map<string, [number, number, number]>();
  for (const m of stdout.matchAll(/^ {2}(\S+) +(\d+) samples {2}p50 +\$([\d.]+) {2}p95 +\$([\d.]+)/gm))
    found.set(m[1] as string, [Number(m[2]), Number(m[3]), Number(m[4])]);
  return found;
}

describe('baton run --dry-run', () => {
  it('prints the estimate of a real pool without calling anything, and lists the missing key (exit 2)', async () => {
    const { code, stdout, stderr } = await runCli(['run', 'configs/openai.yaml', '--dry-run'], noKeys);
    expect(code).toBe(2);
    expect(stdout).toMatch(/^dry run: no model was called/);
    expect(rows(stdout).get('single-gpt5')?.[0]).toBe(36);
    expect(stderr).toMatch(
      /^error: no API key: set OPENAI_API_KEY in the environment or in \.env \(needed by pool members gpt5, gpt5-mini\)$/m,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    const keyed = await runCli(['run', 'configs/openai.yaml', '--dry-run'], {
      ...noKeys,
      OPENAI_API_KEY: 'sk-x',
    });
    expect(keyed.code, keyed.stderr).toBe(0);
    expect(keyed.stderr).toBe('');
  });

  it('refuses, exit 2, a pool member with no known price', async () => {
    const { code, stderr } = await runCli(['run', 'configs/sakana.yaml', '--dry-run'], noKeys);
    expect(code).toBe(2);
    expect(stderr).toContain("no price known for pool member 'fugu'");
    expect(stderr).not.toMatch(/at .*\.js:\d+/); // one clear line, no stack
  });

  it('on the demo: p50 and p95 per orchestrator within 10× of each other, the total beside the budget', async () => {
    const out = await runCli(['run', 'configs/demo.yaml', '--dry-run']);
    expect(out.code, out.stderr).toBe(0);
    const found = rows(out.stdout);
    expect(found.size).toBe(16); // 15 orchestrators and the total
    for (const [id, [samples, p50, p95]] of found) {
      expect(samples, id).toBeGreaterThan(0);
      expect(p50, id).toBeGreaterThan(0);
      expect(p95, id).toBeGreaterThanOrEqual(p50);
      expect(p95 / p50, `${id}: p95 / p50`).toBeLessThanOrEqual(10);
    }
    // With a budget between the two figures, the total line says the run may stop early.
    const [, p50, p95] = found.get('total') as [number, number, number];
    const { file } = demoConfigCopy((t) =>
      t.replace('concurrency: 32', `concurrency: 32\nbudget: { usd: ${((p50 + p95) / 2).toFixed(4)} }`),
    );
    const budgeted = await runCli(['run', file, '--dry-run']);
    expect(budgeted.code, budgeted.stderr).toBe(0);
    expect(budgeted.stdout).toMatch(
      /^ {2}total +540 samples {2}p50 +\$[\d.]+ {2}p95 +\$[\d.]+ {3}budget\.usd \$[\d.]+ covers the p50, not the p95 high/m,
    );
  });
});
