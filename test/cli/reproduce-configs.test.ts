import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../runner/helpers.js';
import { fixture } from '../suites/helpers.js';
import { runCli } from './cli-process.js';

/** A copy of the repository's configs/ beside a data/ folder holding the given fixture files. */
function treeWith(config: string, data: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'baton-repro-'));
  const place = (from: string, to: string) => {
    mkdirSync(dirname(join(root, to)), { recursive: true });
    copyFileSync(from, join(root, to));
  };
  place(join(repoRoot, 'configs/reproduce', config), `configs/reproduce/${config}`);
  place(join(repoRoot, 'configs/claims', config), `configs/claims/${config}`);
  for (const [to, from] of Object.entries(data)) place(fixture(from), `data/${to}`);
  return join(root, 'configs/reproduce', config);
}

/** Dummy keys: a dry run calls nothing, but preflight wants every key the pool needs. */
const KEYS = { OPENAI_API_KEY: 'sk-dry', ANTHROPIC_API_KEY: 'sk-ant-dry', GEMINI_API_KEY: 'dry' };

describe('reproduction configs, dry run (real process)', () => {
  it('conductor-table11 without its files: exit 2 listing every missing file and where to get it', async () => {
    const out = await runCli([
      'run',
      join(repoRoot, 'configs/reproduce/conductor-table11.yaml'),
      '--dry-run',
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('3 suite files missing (nothing was run or spent)');
    for (const file of [
      'data/livecodebench/test6.jsonl',
      'data/gpqa/gpqa_diamond.csv',
      'data/aime/aime_2025.jsonl',
    ])
      expect(out.stderr).toContain(join(repoRoot, file));
    expect(out.stderr).toContain(
      'get it: huggingface-cli download livecodebench/code_generation_lite test6.jsonl',
    );
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('conductor-table11 with fixture files in place: the cost estimate and sample counts', async () => {
    const config = treeWith('conductor-table11.yaml', {
      'livecodebench/test6.jsonl': 'livecodebench/test6.jsonl',
      'gpqa/gpqa_diamond.csv': 'gpqa_diamond.csv',
      'aime/aime_2025.jsonl': 'aime_2024.jsonl',
    });
    // The config requires Docker; the local driver keeps this test independent of an engine (preflight
    // checks the sandbox a code suite needs).
    writeFileSync(config, readFileSync(config, 'utf8').replace('sandbox: docker', 'sandbox: local'));
    const out = await runCli(['run', config, '--dry-run'], KEYS);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    // 3 LiveCodeBench v6 + 3 GPQA + 2 AIME fixture tasks, repeats 1.
    for (const id of ['plan-conductor', 'plan-gemini', 'plan-gpt5'])
      expect(out.stdout).toMatch(new RegExp(`\\n  ${id} +8 samples  p50 +\\$[\\d.]+  p95 +\\$[\\d.]+\\n`));
    expect(out.stdout).toMatch(/\n {2}total +\d+ samples {2}p50 +\$[\d.]+ {2}p95 +\$[\d.]+ /);
  });

  it('trinity-table8 with fixture files in place estimates, and preflight names the head still to train', async () => {
    const config = treeWith('trinity-table8.yaml', {
      'livecodebench/test6.jsonl': 'livecodebench/test6.jsonl',
      'math/math500.jsonl': 'math500.jsonl',
      'mmlu/mmlu.csv': 'mmlu.csv',
    });
    const out = await runCli(['run', config, '--dry-run'], KEYS);
    expect(out.code).toBe(2);
    expect(out.stdout).toMatch(/\n {2}trinity +7 samples {2}p50 /);
    expect(out.stdout).toMatch(/\n {2}prompted-gemini +7 samples {2}p50 /);
    expect(out.stderr).toMatch(
      /^error: orchestrator trinity: head file .*configs\/heads\/trinity-table8\.onnx does not exist$/m,
    );
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('reproduction configs name their grading', () => {
  it.each(['conductor-table11.yaml', 'trinity-table8.yaml'])(
    '%s sets grader: on every maths suite',
    (file) => {
      const config = parse(readFileSync(join(repoRoot, 'configs/reproduce', file), 'utf8')) as {
        suites: { format?: string; grader?: string }[];
      };
      const maths = config.suites.filter((s) => ['math', 'aime', 'gsm8k'].includes(s.format ?? ''));
      expect(maths.length).toBeGreaterThan(0);
      for (const suite of maths)
        expect(suite.grader, JSON.stringify(suite)).toMatch(/^(equivalent|hendrycks|aime|gsm8k)$/);
    },
  );
});
