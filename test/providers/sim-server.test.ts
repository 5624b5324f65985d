import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solverMessages } from '../../src/orchestrators/prompts.js';
import { createChatCompletionsProvider } from '../../src/providers/openai-compatible/client.js';
import { simProfileSchema } from '../../src/providers/sim/profile.js';
import { type ServedRequest, type SimServer, startSimServer } from '../../src/providers/sim/server.js';
import { ProviderError } from '../../src/providers/types.js';
import type { Task } from '../../src/suites/types.js';

const task: Task = {
  id: 'm1',
  suite: 'test',
  category: 'math',
  kind: 'math',
  prompt: 'What is 1/2 + 1/4? Put your final answer within \\boxed{}.',
  reference: '\\frac{3}{4}',
  distractors: ['\\frac{2}{6}', '1'],
  meta: { equivalents: ['0.75'] },
};

const profile = (skill: number) =>
  simProfileSchema.parse({
    skill: { default: skill },
    firstTokenMs: 5,
    tokensPerSecond: 100_000,
    outputTokens: 40,
    reasoningTokens: 7,
  });

let server: SimServer;
const seen: ServedRequest[] = [];

beforeAll(async () => {
  server = await startSimServer({
    agents: [
      { id: 'oracle', model: 'sim/oracle', profile: profile(1) },
      { id: 'dunce', model: 'sim/dunce', profile: profile(0) },
    ],
    tasks: [task],
    onRequest: (r) => seen.push(r),
  });
});
afterAll(() => server.close());

describe('simulated pool over the OpenAI protocol', () => {
  it('answers through the official SDK with usage, and a skilled agent is right', async () => {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'x', maxRetries: 0 });
    const res = await client.chat.completions.create({
      model: 'sim/oracle',
      messages: solverMessages(task),
      seed: 3,
    });
    const text = res.choices[0]?.message.content ?? '';
    expect(text).toMatch(/\\boxed\{(\\frac\{3\}\{4\}|0\.75)\}/);
    expect(res.usage?.prompt_tokens).toBeGreaterThan(10);
    expect(res.usage?.completion_tokens_details?.reasoning_tokens).toBe(7);
    expect(res.usage?.completion_tokens).toBeGreaterThan(7);
    expect(seen.at(-1)).toMatchObject({ model: 'sim/oracle', seed: 3 });
  });

  it('gives a plausible wrong answer when the agent lacks the skill', async () => {
    const provider = createChatCompletionsProvider({ baseURL: server.url, apiKey: 'x', simulated: true });
    const out = await provider.complete({
      model: 'sim/dunce',
      messages: solverMessages(task),
      params: {},
      seed: 1,
    });
    const boxed = /\\boxed\{(.*)\}/.exec(out.text)?.[1];
    expect(task.distractors).toContain(boxed);
  });

  it('is deterministic for the same model, seed and messages, and varies with the seed', async () => {
    const provider = createChatCompletionsProvider({ baseURL: server.url, apiKey: 'x', simulated: true });
    const ask = (seed: number) =>
      provider.complete({ model: 'sim/dunce', messages: solverMessages(task), params: {}, seed });
    const [a, b] = [await ask(11), await ask(11)];
    expect(a.text).toBe(b.text);
    expect(a.usage).toEqual(b.usage);
    const texts = new Set<string>();
    for (let seed = 0; seed < 8; seed++) texts.add((await ask(seed)).text);
    expect(texts.size).toBeGreaterThan(1);
  });

  it('answers an unknown model with a 404 the client classifies as a bad request', async () => {
    const provider = createChatCompletionsProvider({ baseURL: server.url, apiKey: 'x', simulated: true });
    const failure = provider.complete({
      model: 'sim/nobody',
      messages: solverMessages(task),
      params: {},
      seed: 1,
    });
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ kind: 'bad_request' });
  });
});
