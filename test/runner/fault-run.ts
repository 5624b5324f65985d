import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadRunConfig } from '../../src/config/load.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { answerReader } from '../../src/scoring/answers.js';
import type { Scorer } from '../../src/scoring/types.js';
import { startAnthropicFake } from '../fakes/anthropic.js';
import { startGeminiFake } from '../fakes/gemini.js';
import { startOpenAIFake } from '../fakes/openai.js';
import type { FakeOptions, FakeServer } from '../fakes/server.js';

// Scoring is not under test here: every answer counts as correct.
export const scorer: Scorer = {
  ...answerReader,
  score: async () => ({ correct: true, detail: { kind: 'text', extracted: '', reference: '' } }),
};
export const sandbox: Sandbox = {
  isolation: 'none',
  run: async () => ({ passed: true, verdicts: [], isolation: 'none' }),
  close: async () => {},
};

/**
 * Distinctive fake keys: the secrets test looks for them in everything a run writes. Random after
 * the providers' fixed prefixes, as real keys are: any 8 characters of a key are scrubbed wherever
 * they appear, so a key spelling `anthropic` or `-gemini-` would scrub provider names and sample ids.
 */
export const KEYS = {
  OPENAI_API_KEY: 'sk-proj-FAKEKEY5e1f0c9a7b3d2e4f6a8cQz7Wm',
  ANTHROPIC_API_KEY: 'sk-ant-api03-FAKEKEY9d8c7b6a5f4eRt2Xn8Kp',
  GEMINI_API_KEY: 'AIzaSyFAKEKEY7Rk2Pq9Wm4Tx8Bn3Lc6Hv1Jd',
};

export interface FakePool {
  openai: FakeServer & { baseUrl: string };
  anthropic: FakeServer & { baseUrl: string };
  gemini: FakeServer & { baseUrl: string };
  close(): Promise<void>;
}

export async function startFakePool(opts: FakeOptions): Promise<FakePool> {
  const openai = await startOpenAIFake({ ...opts, seed: (opts.seed ?? 1) * 3 + 1 });
  const anthropic = await startAnthropicFake({ ...opts, seed: (opts.seed ?? 1) * 3 + 2 });
  const gemini = await startGeminiFake({ ...opts, seed: (opts.seed ?? 1) * 3 + 3 });
  return {
    openai,
    anthropic,
    gemini,
    close: async () => {
      await Promise.all([openai.close(), anthropic.close(), gemini.close()]);
    },
  };
}

/**
 * Writes `suite.yaml` in `dir`: `tasks` multiple-choice questions whose answer is B, question i padded
 * with `padding(i)` (prompts of different lengths). Returns its path.
 */
export function writeGeneratedMcqSuite(
  dir: string,
  tasks: number,
  padding: (i: number) => string = () => '',
): string {
  const suite = join(dir, 'suite.yaml');
  writeFileSync(
    suite,
    stringify({
      suite: 'generated',
      version: 1,
      kind: 'mcq',
      tasks: Array.from({ length: tasks }, (_, i) => ({
        id: `q${i}`,
        question: `Question ${i}: which option is listed second?${padding(i)}`,
        choices: ['first', 'second', 'third', 'fourth'],
        answer: 'B',
      })),
    }),
  );
  return suite;
}

/**
 * A run config over the four real protocols (OpenAI chat, OpenAI responses, Anthropic, Gemini), one
 * `single` orchestrator per pool member, over `tasks` generated multiple-choice questions: prices
 * come from configs/prices.yaml.
 */
export async function faultRunConfig(pool: FakePool, tasks: number, extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'baton-faults-'));
  const suite = writeGeneratedMcqSuite(dir, tasks, (i) => ` ${'context '.repeat(i % 40)}`);
  const agents = [
    { id: 'gpt5-chat', provider: 'openai', api: 'chat', model: 'gpt-5', baseUrl: pool.openai.baseUrl },
    {
      id: 'gpt5mini-responses',
      provider: 'openai',
      api: 'responses',
      model: 'gpt-5-mini',
      baseUrl: pool.openai.baseUrl,
    },
    {
      id: 'sonnet',
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      baseUrl: pool.anthropic.baseUrl,
      params: { maxTokens: 2048, thinkingBudget: 1024 },
    },
    {
      id: 'gemini-pro',
      provider: 'gemini',
      model: 'gemini-2.5-pro',
      baseUrl: pool.gemini.baseUrl,
      params: { thinkingBudget: 512 },
    },
  ];
  const file = join(dir, 'run.yaml');
  writeFileSync(
    file,
    stringify({
      name: 'faults',
      seed: 5,
      concurrency: 32,
      output: dir,
      // The timeout must only catch the injected hangs: a real answer slower than this (a loaded
      // machine) would be billed by the fake yet recorded as a timeout, as a real API would bill it.
      retries: { maxAttempts: 8, initialDelayMs: 1, maxDelayMs: 20, requestTimeoutMs: 3000 },
      pool: agents,
      orchestrators: agents.map((a) => ({ id: `single-${a.id}`, family: 'single', agent: a.id })),
      suites: [{ path: suite }],
      ...extra,
    }),
  );
  const config = await loadRunConfig(file);
  config.output = dir;
  return { dir, file, config };
}
