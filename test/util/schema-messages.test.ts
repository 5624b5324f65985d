import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError } from '../../src/util/errors.js';
import { parseOverride } from '../../src/util/overrides.js';
import { parseYamlText, readYamlFile } from '../../src/util/yaml.js';

const openai = z
  .object({
    provider: z.literal('openai'),
    model: z.string().describe('A model name, as the provider spells it'),
    baseUrl: z.string().optional(),
    params: z.object({ temperature: z.number().optional() }).strict().default({}),
  })
  .strict();
const sim = z.object({ provider: z.literal('sim'), model: z.string() }).strict();
const schema = z
  .object({
    name: z.string().regex(/^\S+$/, 'no spaces'),
    repeats: z.number().int().min(1).default(1),
    sandbox: z.enum(['auto', 'docker', 'local']).default('auto'),
    pool: z.array(z.discriminatedUnion('provider', [openai, sim])).min(1),
  })
  .strict();

/** The one-line messages validating `yaml` gives (after file:line:col). */
function problems(yaml: string): string[] {
  try {
    parseYamlText(yaml, 'c.yaml', schema);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return err.message.split('\n');
  }
  return [];
}

describe('validation messages in the project words', () => {
  it('says a missing field is required, with its description', () => {
    expect(problems('name: x\npool: [{ provider: openai }]\n')).toEqual([
      'c.yaml:2:8: pool[0].model: required, a model name, as the provider spells it',
    ]);
  });

  it('suggests the closest field of that object for an unknown one, at the key', () => {
    expect(problems('name: x\npool:\n  - { provider: openai, model: m, baseurl: u }\n')).toEqual([
      "c.yaml:3:35: pool[0].baseurl: unknown field 'baseurl' — did you mean 'baseUrl'?",
    ]);
    // The fields of the union option the item's tag chose, not another option's.
    expect(problems('name: x\npool: [{ provider: sim, model: m, baseUrl: u }]\n')).toEqual([
      "c.yaml:2:35: pool[0].baseUrl: unknown field 'baseUrl' (fields here: provider, model)",
    ]);
  });

  it('names the expected type and the value given, the allowed values, and an unknown tag', () => {
    expect(
      problems(
        'name: x\nrepeats: 1.5\nsandbox: dockr\npool: [{ provider: openai, model: m, params: { temperature: hot } }]\n',
      ),
    ).toEqual([
      'c.yaml:2:10: repeats: expected a whole number, got 1.5',
      "c.yaml:3:10: sandbox: expected one of auto, docker, local, got 'dockr' — did you mean 'docker'?",
      "c.yaml:4:61: pool[0].params.temperature: expected a number, got 'hot'",
    ]);
    expect(problems('name: x\npool: [{ provider: opnai, model: m }]\n')).toEqual([
      "c.yaml:2:20: pool[0].provider: unknown provider 'opnai' — did you mean 'openai'? (one of openai, sim)",
    ]);
    expect(problems('name: x\nrepeats: 0\npool: []\n')).toEqual([
      'c.yaml:2:10: repeats: expected at least 1, got 0',
      'c.yaml:3:7: pool: expected at least 1 item, got 0 items',
    ]);
  });

  it("keeps a schema's own message", () => {
    expect(problems('name: a b\npool: [{ provider: sim, model: m }]\n')).toEqual([
      'c.yaml:1:7: name: no spaces',
    ]);
  });
});

describe('problems caused by --set', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'baton-set-')), 'c.yaml');
  writeFileSync(file, 'name: x\npool: [{ provider: openai, model: m }]\n');
  const validate =
    (...sets: string[]) =>
    () =>
      readYamlFile(file, sets.map(parseOverride)).validate(schema);

  it('name the override, not a file line, and suggest the field', () => {
    expect(validate('pool[0].modle=x')).toThrow(
      new InputError(file, [
        {
          line: 0,
          col: 0,
          field: 'pool[0].modle',
          message: "unknown field 'modle' — did you mean 'model'?",
          override: { text: 'pool[0].modle=x', field: 'pool[0].modle' },
        },
      ]),
    );
    expect(validate('pool[0].modle=x')).toThrow(
      /^--set pool\[0\]\.modle=x: unknown field 'modle' — did you mean 'model'\?$/,
    );
    // A problem inside what the override set names the field under it.
    expect(validate('pool[0].params={temperature: hot}')).toThrow(
      /^--set pool\[0\]\.params=\{temperature: hot\}: pool\[0\]\.params\.temperature: expected a number, got 'hot'$/,
    );
  });

  it('validate a value set the same as one written in the file', () => {
    expect(validate('repeats=3', 'pool[0].params={temperature: 0}')()).toMatchObject({
      repeats: 3,
      pool: [{ params: { temperature: 0 } }],
    });
    // Out of range: refused by the same rule as in the file.
    expect(validate('repeats=0')).toThrow(/^--set repeats=0: expected at least 1, got 0$/);
  });
});

describe('a path set on the command line', () => {
  it('is relative to the working directory where the schema says the field is relative to the config file', async () => {
    const { runConfigSchema } = await import('../../src/config/schema.js');
    const file = join(mkdtempSync(join(tmpdir(), 'baton-set-')), 'c.yaml');
    writeFileSync(
      file,
      [
        'name: x',
        'pool: [{ id: a, provider: sim, model: m, sim: { skill: { math: 0.5 } } }]',
        'orchestrators: [{ id: t, family: trinity, head: h.onnx, agents: [a] }]',
        'suites: [{ path: s.yaml }]',
        '',
      ].join('\n'),
    );
    const config = readYamlFile(
      file,
      [
        'orchestrators[t].head=heads/new.onnx',
        'orchestrators[t].featurizer={backbone: qwen}',
        'suites[0].path=/abs/s.yaml',
        'output=out',
      ].map(parseOverride),
    ).validate(runConfigSchema()) as unknown as {
      orchestrators: { head: string; featurizer: { backbone: string } }[];
      suites: { path: string }[];
      output: string;
    };
    expect(config.orchestrators[0]?.head).toBe(join(process.cwd(), 'heads/new.onnx'));
    // Inside a map set whole, through the union it chooses.
    expect(config.orchestrators[0]?.featurizer.backbone).toBe(join(process.cwd(), 'qwen'));
    expect(config.suites[0]?.path).toBe('/abs/s.yaml');
    // Already relative to the working directory.
    expect(config.output).toBe('out');
  });
});
