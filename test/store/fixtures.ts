import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { CachedCompletion } from '../../src/providers/types.js';
import type { CallEvent, SampleResult } from '../../src/store/records.js';

/** A cached answer of one input and one output token. */
export const completion = (text: string): CachedCompletion => ({
  text,
  usage: { input: 1, output: 1, reasoning: 0, cachedInput: 0, cacheWrite: 0, cacheWrite1h: 0 },
  latencyMs: 1,
});

/** A finished, correct sample with the given id. */
export const sample = (id: string) =>
  ({
    sampleId: id,
    orchestrator: 'o',
    taskId: id,
    suite: 's',
    status: 'ok',
    correct: true,
    session: 1,
  }) as SampleResult;

/** A complete trace event of sample s1 (a Fusion panelist's call), with the given fields changed. */
export function event(step: number, overrides: Partial<CallEvent> = {}): CallEvent {
  return {
    kind: 'call',
    sampleId: 's1',
    step,
    parentStep: null,
    orchestrator: 'fusion',
    agentId: 'gpt5',
    provider: 'openai-compatible',
    endpoint: 'https://api.example.com/v1',
    model: 'gpt-5',
    role: 'panelist',
    subtask: null,
    visibleSteps: [],
    request: { messages: [{ role: 'user', content: 'héllo' }], params: {}, seed: 1 },
    response: 'ok!',
    usage: { input: 10, output: 5, reasoning: 2, cachedInput: 0 } as CallEvent['usage'],
    costUsd: 0.001,
    startedAt: 1000,
    endedAt: 1500,
    latencyMs: 500,
    cached: false,
    provenance: 'live',
    attempts: 1,
    attemptErrors: [],
    error: null,
    ...overrides,
  };
}

/**
 * Runs `body` in a fresh Node process, with `store` (a RunStore, built in dist/, on `file`) and
 * `c(text)` (a completion like `completion`) in scope: how a test makes a process die mid-write.
 */
export function inStoreProcess(file: string, body: string) {
  const storeModule = join(import.meta.dirname, '../../dist/store/run-store.js');
  const script = `const { RunStore } = await import(${JSON.stringify(storeModule)});
const store = new RunStore(${JSON.stringify(file)});
const c = (text) => ({ text, usage: { input: 1, output: 1, reasoning: 0, cachedInput: 0, cacheWrite: 0, cacheWrite1h: 0 }, latencyMs: 1 });
${body}`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
}
