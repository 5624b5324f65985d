import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { RunStore } from '../../src/store/run-store.js';
import { repoRoot } from '../runner/helpers.js';
import { runCli } from './cli-process.js';

// The plugin examples of docs/extending.md, run as they are through the built CLI: the docs point at
// these files, so they cannot rot unnoticed.
const examples = join(repoRoot, 'examples/plugins');
const TOY_KEY = 'toy-key-5f3a9c1e7d2b4068';

interface ToyServer {
  url: string;
  requests: { url: string; headers: Record<string, string | undefined>; body: string }[];
  close(): Promise<void>;
}
const toyServerModule = join(examples, 'toy-server.mjs');
const { startToyServer } = (await import(toyServerModule)) as {
  startToyServer(opts: { key: string }): Promise<ToyServer>;
};

let toy: ToyServer;
beforeAll(async () => {
  toy = await startToyServer({ key: TOY_KEY });
});
afterAll(() => toy.close());

/** An example config copied beside nothing: its relative paths made absolute, the toy API's URL set. */
function exampleConfig(name: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'baton-plugins-'));
  const text = readFileSync(join(examples, name), 'utf8')
    .replace(/\.\/([\w-]+\.mjs)/g, `${examples}/$1`)
    .replaceAll('path: quiz.yaml', `path: ${examples}/quiz.yaml`)
    .replaceAll('path: ../../suites/', `path: ${repoRoot}/suites/`)
    .replaceAll('http://127.0.0.1:8765', toy.url);
  const file = join(dir, name);
  writeFileSync(file, text);
  return { dir, file };
}

async function runExample(name: string, env: NodeJS.ProcessEnv = {}) {
  const { dir, file } = exampleConfig(name);
  const out = await runCli(['run', file, '--output', dir, '--run-id', 'r', '--quiet'], env);
  const runDir = join(dir, 'r');
  if (out.code !== 0) return { out, runDir, report: undefined, samples: [] };
  const store = new RunStore(join(runDir, 'run.sqlite'));
  const samples = store.samples();
  store.close();
  const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
  return { out, runDir, report, samples };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('plugins (examples/plugins, through the real CLI)', () => {
  it('a custom orchestrator asks two agents and keeps the longer answer', async () => {
    const { out, report, samples } = await runExample('longer-answer.yaml');
    expect(out.code, out.stderr).toBe(0);
    expect(report?.rows.map((r) => [r.orchestrator, r.family, r.samples, r.errors])).toEqual([
      ['longer', 'longer-answer', 4, 0],
    ]);
    expect(samples).toHaveLength(4);
    for (const s of samples) {
      expect(s.calls).toBe(2);
      const lengths = s.meta.lengths as number[];
      expect(lengths).toHaveLength(2);
      expect(s.answer?.length).toBe(Math.max(...lengths));
      expect(['terse', 'verbose']).toContain(s.meta.chosen);
    }
  }, 60_000);

  it('a custom provider reaches a toy HTTP API with the key of its declared env name, which no output holds', async () => {
    const before = toy.requests.length;
    const { out, runDir, report, samples } = await runExample('toy-provider.yaml', { TOY_API_KEY: TOY_KEY });
    expect(out.code, out.stderr).toBe(0);
    const served = toy.requests.slice(before);
    expect(served).toHaveLength(3);
    for (const r of served) expect(r.headers.authorization).toBe(`Bearer ${TOY_KEY}`);
    expect(samples.map((s) => s.answer).sort()).toEqual(['a', 'b', 'c']);
    expect(report?.rows[0]?.errors).toBe(0);
    // A live provider: nothing says simulated.
    expect(report?.simulated).toBe(false);
    for (const file of filesUnder(runDir))
      expect(readFileSync(file).toString('latin1'), file).not.toContain(TOY_KEY.slice(0, 8));
    expect(`${out.stdout}${out.stderr}`).not.toContain(TOY_KEY.slice(0, 8));
  }, 60_000);

  it("names a provider plugin's declared key when it is missing, and mounts it in k8s manifests", async () => {
    const { file } = exampleConfig('toy-provider.yaml');
    const missing = await runCli(['run', file, '--dry-run'], { TOY_API_KEY: '' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('TOY_API_KEY');
    const k8s = await runCli(['k8s', 'manifests', file, '--secret', 'keys']);
    expect(k8s.code, k8s.stderr).toBe(0);
    expect(k8s.stdout).toMatch(
      /name: TOY_API_KEY\n\s+valueFrom:\n\s+secretKeyRef:\n\s+name: keys\n\s+key: TOY_API_KEY/,
    );
  }, 60_000);

  it("a suite's scorer: picks a custom scorer (exact match after lower-casing)", async () => {
    const { out, report, samples } = await runExample('lower-exact.yaml', { TOY_API_KEY: TOY_KEY });
    expect(out.code, out.stderr).toBe(0);
    // The toy API answers 'b' where the key says 'B': the built-in letter reader finds no choice in it.
    expect(report?.rows[0]?.accuracy).toBe(1);
    for (const s of samples)
      expect(s.score).toMatchObject({
        kind: 'custom',
        scorer: 'lower-exact',
        reference: s.answer?.toUpperCase(),
      });
    expect(report?.grading).toEqual({ 'plugin-quiz': ['scorer: lower-exact'] });
    const builtIn = await runExample('toy-provider.yaml', { TOY_API_KEY: TOY_KEY });
    expect(builtIn.report?.rows[0]?.accuracy).toBe(0);
  }, 60_000);

  it("baton schema --config includes a config's plugins; the committed schema and --write stay built-in", async () => {
    const { file } = exampleConfig('longer-answer.yaml');
    const withPlugin = await runCli(['schema', '--config', file]);
    expect(withPlugin.code, withPlugin.stderr).toBe(0);
    expect(withPlugin.stdout).toContain('"const": "longer-answer"');
    expect(withPlugin.stdout).toContain('The two pool members asked');
    const committed = readFileSync(join(repoRoot, 'configs/baton.schema.json'), 'utf8');
    expect(committed).not.toContain('longer-answer');
    const both = await runCli(['schema', '--config', file, '--write']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("cannot be used with option '--write'");
  }, 60_000);
});

describe('a plugin that cannot be used is one line naming the config, its line and the plugin (exit 2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-bad-plugins-'));
  const plugins: Record<string, string> = {
    'throws.mjs': "throw new Error('plugin exploded at import');\n",
    'not-a-function.mjs': 'export const orchestrators = [];\n',
    'wrong-shape.mjs': "export default () => ({ orchestrators: [{ family: 'half-done' }] });\n",
    'foreign-zod.mjs':
      "export default () => ({ scorers: [], providers: [{ kind: 'x', agentSchema: {}, start() {} }] });\n",
    'clash.mjs': [
      'export default ({ z, baseOrchestratorSchema }) => ({',
      "  orchestrators: [{ family: 'vote', optionsSchema: baseOrchestratorSchema.extend({ family: z.literal('vote') }),",
      '    agentRefs: () => [], create: () => ({ solve: async () => ({ answer: "", meta: {} }) }) }],',
      '});',
      '',
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(plugins)) writeFileSync(join(dir, name), text);

  it.each([
    ['missing.mjs', `no such file: ${join(dir, 'missing.mjs')}`],
    ['throws.mjs', 'import failed: plugin exploded at import'],
    ['not-a-function.mjs', 'has no default export function'],
    ['wrong-shape.mjs', 'orchestrators[0].optionsSchema:'],
    ['foreign-zod.mjs', "providers[0].agentSchema: must be a z.object built with the plugin kit's z"],
    ['clash.mjs', "orchestrator family 'vote' is already defined"],
  ])(
    '%s',
    async (plugin, expected) => {
      const config = join(dir, `${plugin}.yaml`);
      const demo = readFileSync(join(repoRoot, 'configs/demo.yaml'), 'utf8').replaceAll(
        'path: ../suites/',
        `path: ${repoRoot}/suites/`,
      );
      writeFileSync(config, `plugins:\n  - ./${plugin}\n${demo}`);
      const out = await runCli(['run', config, '--dry-run']);
      expect(out.code).toBe(2);
      const lines = out.stderr.trim().split('\n');
      expect(lines, out.stderr).toHaveLength(1);
      expect(lines[0]).toContain(`error: ${config}:2:5: plugins[0]: plugin ./${plugin}: `);
      expect(lines[0]).toContain(expected);
      expect(out.stderr).not.toMatch(/\n\s+at /);
    },
    30_000,
  );
});
