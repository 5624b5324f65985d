import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunConfig } from '../../src/config/load.js';
import { InputError } from '../../src/util/errors.js';

const demo = readFileSync(join(import.meta.dirname, '../../configs/demo.yaml'), 'utf8');

function configWith(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'baton-config-')), 'run.yaml');
  writeFileSync(file, text);
  return file;
}

async function problemOf(text: string): Promise<{ file: string; error: InputError }> {
  const file = configWith(text);
  try {
    await loadRunConfig(file);
  } catch (err) {
    if (err instanceof InputError) return { file, error: err };
    throw err;
  }
  throw new Error('config was accepted');
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('run config validation', () => {
  it('accepts the shipped demo config', async () => {
    const config = await loadRunConfig(join(import.meta.dirname, '../../configs/demo.yaml'));
    expect(config.pool.length).toBeGreaterThanOrEqual(5);
    expect(config.orchestrators.map((o) => o.family)).toEqual(
      expect.arrayContaining(['fusion', 'plan', 'single']),
    );
  });

  it('names the line and field of a misspelled top-level field', async () => {
    const text = demo.replace('concurrency:', 'concurency:');
    const { error } = await problemOf(text);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ line: lineOf(text, 'concurency'), field: 'concurency' });
    expect(error.message).toContain("unknown field 'concurency'");
  });

  it('names the line and full path of a misspelled nested field', async () => {
    const text = demo.replace('price: { input: 3, output: 15', 'price: { input: 3, ouput: 15');
    const { file, error } = await problemOf(text);
    const line = lineOf(text, 'ouput');
    expect(error.problems).toContainEqual(expect.objectContaining({ line, field: 'pool[1].price.ouput' }));
    expect(error.message).toMatch(
      new RegExp(`^${file}:${line}:\\d+: pool\\[1\\]\\.price\\.ouput: unknown field`, 'm'),
    );
  });

  it('reports a wrong value type at the value', async () => {
    const text = demo.replace('seed: 20261125', 'seed: twelve');
    const { error } = await problemOf(text);
    expect(error.problems[0]).toMatchObject({ line: lineOf(text, 'seed: twelve'), field: 'seed' });
  });

  it('reports a bad indent as a YAML syntax error with its line', async () => {
    const text = demo.replace('    model: sim/qwen3-32b', '      model: sim/qwen3-32b');
    const { error } = await problemOf(text);
    // The parser notices the broken mapping where it starts: the bad line or the key just above it.
    const bad = lineOf(text, 'model: sim/qwen3-32b');
    expect(error.problems[0]?.line).toBeGreaterThanOrEqual(bad - 1);
    expect(error.problems[0]?.line).toBeLessThanOrEqual(bad);
    expect(error.problems[0]?.field).toBe('');
  });

  it('rejects an orchestrator that names an agent missing from the pool', async () => {
    const text = demo.replace('judge: gpt5', 'judge: gpt6');
    const { error } = await problemOf(text);
    expect(error.problems[0]).toMatchObject({
      line: lineOf(text, 'judge: gpt6'),
      field: 'orchestrators[6].judge',
    });
    expect(error.message).toContain("no pool member with id 'gpt6'");
  });

  it('rejects duplicate agent ids', async () => {
    const text = demo.replace('  - id: qwen\n', '  - id: gemma\n');
    const { error } = await problemOf(text);
    expect(error.message).toContain("duplicate agent id 'gemma'");
  });
  it('refuses credentials in a base URL (they would reach stores, reports and cache keys)', async () => {
    const text = `name: t
pool:
  - { id: a, provider: openai-compatible, model: m, baseUrl: "https://bob:sk-secret-1234@llm.example/v1", price: { input: 1, output: 1 } }
orchestrators:
  - { id: s, family: single, agent: a }
suites:
  - { path: s.yaml }
`;
    const { error } = await problemOf(text);
    expect(error.problems).toContainEqual(
      expect.objectContaining({
        line: 3,
        field: 'pool[0].baseUrl',
        message: expect.stringContaining('no credentials in the URL'),
      }),
    );
    expect(error.message).not.toContain('sk-secret');
  });
});
