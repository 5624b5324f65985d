import { describe, expect, it } from 'vitest';
import type { PricedPoolMember } from '../../src/config/load.js';
import type { CachedCompletion, Completion, Provider } from '../../src/providers/types.js';
import { AdaptiveLimiter } from '../../src/runner/aimd.js';
import { BudgetExhausted, BudgetGuard } from '../../src/runner/budget.js';
import { createSampleContext } from '../../src/runner/context.js';
import { answerReader } from '../../src/scoring/answers.js';
import { mathTask } from '../orchestrators/fake-context.js';

const member = (id: string, usdPerMillion: number): PricedPoolMember => ({
  id,
  provider: 'fake',
  model: `m-${id}`,
  params: { maxTokens: 100 },
  price: { input: usdPerMillion, output: usdPerMillion },
});
const slowClient: Provider = {
  simulated: false,
  endpoint: 'http://fake.test/v1',
  complete: async (): Promise<Completion> => {
    await new Promise((r) => setTimeout(r, 50));
    return {
      text: 'cheap says \\boxed{4}',
      usage: { input: 10, output: 10, reasoning: 0, cachedInput: 0, cacheWrite: 0, cacheWrite1h: 0 },
      latencyMs: 50,
      raw: {},
    };
  },
};

describe('a parallel panel cut by the budget', () => {
  it('lets the sibling call in flight finish and reach the cache, so a resume does not pay for it again', async () => {
    const cache = new Map<string, CachedCompletion>();
    const limiter = () => new AdaptiveLimiter({ initial: 4, min: 1, max: 4 });
    // `cheap` fits under the $0.01 cap; `dear` (worst case well above $0.01) is refused before it is sent.
    const s = createSampleContext({
      sampleId: 'panel/test/t1#0',
      orchestratorId: 'panel',
      task: mathTask,
      answers: answerReader,
      pool: [member('cheap', 1), member('dear', 1_000_000)],
      seed: 1,
      clients: new Map([
        ['cheap', slowClient],
        ['dear', slowClient],
      ]),
      limiters: new Map([
        ['cheap', limiter()],
        ['dear', limiter()],
      ]),
      cache: { cachedResponse: (k) => cache.get(k), cacheResponse: (k, c) => cache.set(k, c) },
      retry: { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0 },
      budget: new BudgetGuard(0.01),
      assumeMaxOutputTokens: 100,
      redact: (t) => t,
      sampleStartedAt: Date.now(),
    });
    const messages = [{ role: 'user' as const, content: mathTask.prompt }];
    const panel = Promise.all(['cheap', 'dear'].map((id) => s.ctx.call(id, messages, { role: 'panelist' })));
    await expect(panel).rejects.toBeInstanceOf(BudgetExhausted);
    // The panel failed fast; the cheap call is still on the wire.
    expect(cache.size).toBe(0);
    await s.settled();
    expect([...cache.values()].map((c) => c.text)).toEqual(['cheap says \\boxed{4}']);
    expect(s.cutByBudget()).toBe(true);
    expect(s.events().map((e) => [e.agentId, e.error])).toEqual([['cheap', null]]);
  });
});
