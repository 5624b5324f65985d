import { describe, expect, it } from 'vitest';
import type { PricedPoolMember } from '../../src/config/load.js';
import { orchestratorMemberSchema } from '../../src/orchestrators/member.js';
import { CallFailed, type Orchestrator } from '../../src/orchestrators/types.js';
import type { CachedCompletion, Completion, Provider } from '../../src/providers/types.js';
import { AdaptiveLimiter } from '../../src/runner/aimd.js';
import { BudgetGuard } from '../../src/runner/budget.js';
import { createSampleContext } from '../../src/runner/context.js';
import { answerReader } from '../../src/scoring/answers.js';
import type { CallEvent, NestedRunEvent, TraceEvent } from '../../src/store/records.js';
import { mathTask } from '../orchestrators/fake-context.js';

// Every call to `a` reports 1 000 input and 500 output tokens: $0.001 + $0.001 at $1 / $2 per 1M.
const CALL_USD = 0.002;
const worker: PricedPoolMember = {
  id: 'a',
  provider: 'fake',
  model: 'm-a',
  params: {},
  price: { input: 1, output: 2 },
};
const client: Provider = {
  simulated: false,
  endpoint: 'http://fake.test/v1',
  complete: async (): Promise<Completion> => ({
    text: 'a says \\boxed{4}',
    usage: { input: 1000, output: 500, reasoning: 0, cachedInput: 0, cacheWrite: 0, cacheWrite1h: 0 },
    latencyMs: 1,
    raw: {},
  }),
};
const self = orchestratorMemberSchema.parse({
  id: 'self',
  provider: 'orchestrator',
  orchestrator: 'rec',
  maxDepth: 2,
}) as PricedPoolMember;

function sample(orchestrator: Orchestrator) {
  const cache = new Map<string, CachedCompletion>();
  return createSampleContext({
    sampleId: 'rec/test/t1#0',
    orchestratorId: 'rec',
    task: mathTask,
    answers: answerReader,
    pool: [worker, self],
    orchestrators: new Map([['rec', orchestrator]]),
    seed: 1,
    clients: new Map([['a', client]]),
    limiters: new Map([['a', new AdaptiveLimiter({ initial: 4, min: 1, max: 4 })]]),
    cache: { cachedResponse: (k) => cache.get(k), cacheResponse: (k, c) => cache.set(k, c) },
    retry: { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0 },
    budget: new BudgetGuard(undefined),
    assumeMaxOutputTokens: 1000,
    redact: (t) => t,
    sampleStartedAt: Date.now(),
  });
}

const messages = [{ role: 'user' as const, content: mathTask.prompt }];
const shape = (e: TraceEvent) => [e.step, e.agentId, e.depth, e.parentStep, e.error === null];

describe('an orchestrator in its own pool (recursion)', () => {
  // Calls `a`, then itself while it still sees itself in the pool.
  const recursive: Orchestrator = {
    async solve(ctx) {
      const own = await ctx.call('a', messages, { role: 'worker' });
      if (!ctx.pool.some((m) => m.id === 'self')) return { answer: own.text, meta: {} };
      const nested = await ctx.call('self', messages, { role: 'worker' });
      return { answer: nested.text, meta: {} };
    },
  };

  it('nests two levels under depth limit 2, each nested cost adding up to its parent call', async () => {
    const s = sample(recursive);
    const out = await recursive.solve(s.ctx);
    expect(out.answer).toBe('a says \\boxed{4}');
    const trace = s.events();
    // step, agent, depth, parent step, succeeded
    expect(trace.map(shape)).toEqual([
      [0, 'a', 0, null, true],
      [1, 'self', 0, null, true],
      [2, 'a', 1, 1, true],
      [3, 'self', 1, 1, true],
      [4, 'a', 2, 3, true],
    ]);
    expect(trace.map((e) => e.kind)).toEqual(['call', 'nested', 'call', 'nested', 'call']);
    const calls = trace.filter((e): e is CallEvent => e.kind === 'call');
    const [outer, inner] = trace.filter((e): e is NestedRunEvent => e.kind === 'nested') as [
      NestedRunEvent,
      NestedRunEvent,
    ];
    // The inner member call sums its one nested call; the outer one, every call below it.
    expect(inner.summedCostUsd).toBeCloseTo(CALL_USD, 12);
    expect(outer.summedCostUsd).toBeCloseTo(2 * CALL_USD, 12);
    expect(outer.summedUsage.input).toBe(2000);
    expect(outer).toMatchObject({ nestedOrchestrator: 'rec', calls: 2 });
    expect(inner).toMatchObject({ nestedOrchestrator: 'rec', calls: 1 });
    // The sample pays for its three model calls once: its top-level events add up to the same sum.
    const topLevel = trace
      .filter((e) => e.depth === 0)
      .reduce((sum, e) => sum + (e.kind === 'call' ? e.costUsd : e.summedCostUsd), 0);
    expect(calls).toHaveLength(3);
    expect(topLevel).toBeCloseTo(3 * CALL_USD, 12);
    expect(calls.reduce((sum, e) => sum + e.costUsd, 0)).toBeCloseTo(topLevel, 12);
  });

  it('refuses a call past the depth limit, traces it, and fails the calls above it', async () => {
    // Calls itself whether or not it still sees itself.
    const reckless: Orchestrator = {
      async solve(ctx) {
        const nested = await ctx.call('self', messages, { role: 'worker' });
        return { answer: nested.text, meta: {} };
      },
    };
    const s = sample(reckless);
    const failure = await reckless.solve(s.ctx).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(CallFailed);
    const trace = s.events();
    expect(trace.map((e) => [e.step, e.depth, e.parentStep])).toEqual([
      [0, 0, null],
      [1, 1, 0],
      [2, 2, 1],
    ]);
    expect(trace[2]?.error).toMatch(/unavailable: recursion depth limit/);
    expect(trace[1]?.error).toMatch(/nested/);
    // A call to the member refused before its run started is a nested run that made no call.
    expect(trace.map((e) => e.kind)).toEqual(['nested', 'nested', 'nested']);
    expect(trace[2]).toMatchObject({ nestedOrchestrator: 'rec', calls: 0, summedCostUsd: 0 });
    expect(trace.every((e) => e.kind === 'nested' && e.summedCostUsd === 0)).toBe(true);
  });
});
