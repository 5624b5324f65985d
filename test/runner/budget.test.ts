import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/providers/types.js';
import { BudgetExhausted, BudgetGuard, callCostBound, promptTokenBound } from '../../src/runner/budget.js';
import { withRetries } from '../../src/runner/retry.js';

const agent = {
  id: 'a',
  provider: 'openai',
  model: 'm',
  params: { maxTokens: 1000 },
  price: { input: 2, output: 10 },
};

describe('budget guard', () => {
  it('refuses a call whose worst case does not fit, counting calls in flight', () => {
    const guard = new BudgetGuard(1);
    const a = guard.beginCall('s1', 0.4);
    const b = guard.beginCall('s2', 0.4);
    expect(() => guard.beginCall('s3', 0.4)).toThrow(BudgetExhausted);
    expect(guard.stop).toMatchObject({ capUsd: 1, atSample: 's3', reservedUsd: 0.8 });
    a.settle(0.1);
    b.settle(0.1);
    expect(guard.spent).toBeCloseTo(0.2, 12);
    // Once stopped, it stays stopped: no new sample starts.
    expect(guard.admitSample('s4', 'o', 0.01)).toBe(false);
  });

  it('admits samples while the expected cost of one more still fits', () => {
    const guard = new BudgetGuard(1);
    expect(guard.admitSample('s1', 'o', 0.3)).toBe(true);
    guard.beginCall('s1', 0.3).settle(0.5);
    guard.sampleFinished('o', 0.5);
    expect(guard.admitSample('s2', 'o', 0.3)).toBe(true); // 0.5 spent + 0.5 expected = 1
    guard.beginCall('s2', 0.3).settle(0.3);
    expect(guard.admitSample('s3', 'o', 0.3)).toBe(false);
    expect(guard.stop?.atSample).toBe('s3');
  });

  it("is the run's: what earlier sessions paid counts against the cap, and the stop says so", () => {
    const guard = new BudgetGuard(1, { usd: 0.7, samples: new Map([['o', { n: 2, usd: 0.5 }]]) });
    expect(guard.totalUsd).toBeCloseTo(0.7, 12);
    expect(guard.spent).toBe(0);
    // The recorded samples' mean (0.25) is the next one's expected cost: 0.7 + 0.25 fits.
    expect(guard.admitSample('s1', 'o', 0.01)).toBe(true);
    guard.beginCall('s1', 0.2).settle(0.1);
    expect(guard.spent).toBeCloseTo(0.1, 12);
    expect(() => guard.beginCall('s2', 0.25)).toThrow(BudgetExhausted);
    expect(guard.stop).toMatchObject({ capUsd: 1, atSample: 's2' });
    expect(guard.stop?.spentUsd).toBeCloseTo(0.8, 12);
    expect(guard.stop?.sessionUsd).toBeCloseTo(0.1, 12);
  });

  it('refuses a resume at once when the cap is spent or was not raised since the last stop', () => {
    const lastStop = {
      capUsd: 1,
      spentUsd: 0.9,
      sessionUsd: 0.9,
      reservedUsd: 0.05,
      reason: 'a call would not fit',
      atSample: 'a',
    };
    const same = new BudgetGuard(1, { usd: 0.9 });
    expect(same.refuseResume(lastStop, 'b', 'run.yaml')).toBe(true);
    expect(same.stop?.reason).toMatch(/resume refused: .*raise budget\.usd in run\.yaml to continue/);
    expect(same.admitSample('b', 'o', 0)).toBe(false);
    expect(() => same.beginCall('b', 0)).toThrow(BudgetExhausted);
    // Lowered below the last stop's cap: refused too.
    expect(new BudgetGuard(0.95, { usd: 0.9 }).refuseResume(lastStop, 'b', 'run.yaml')).toBe(true);
    // Spent already, whatever the last session's ending.
    const spent = new BudgetGuard(2, { usd: 2.1 });
    expect(spent.refuseResume(undefined, 'b', 'run.yaml')).toBe(true);
    expect(spent.stop?.reason).toMatch(/already spent \$2\.100000 of its budget\.usd \$2/);
    // Raised: the run goes on, with the earlier spending counted.
    const raised = new BudgetGuard(2, { usd: 0.9 });
    expect(raised.refuseResume(lastStop, 'b', 'run.yaml')).toBe(false);
    expect(raised.admitSample('b', 'o', 0.5)).toBe(true);
    expect(() => raised.beginCall('b', 1.2)).toThrow(BudgetExhausted);
    // No cap: nothing to refuse.
    expect(new BudgetGuard(undefined, { usd: 5 }).refuseResume(lastStop, 'b', 'run.yaml')).toBe(false);
  });

  it('counts nothing as spent in a replay, and holds recorded costs to the cap only when given one', () => {
    const free = new BudgetGuard(undefined, undefined, { replay: true });
    for (let i = 0; i < 10; i++) free.beginCall(`s${i}`, 1).settle(1);
    expect(free.spent).toBe(0);
    expect(free.exhausted).toBe(false);
    const capped = new BudgetGuard(2.5, undefined, { replay: true });
    capped.beginCall('s1', 1).settle(1);
    capped.beginCall('s2', 1).settle(1);
    expect(() => capped.beginCall('s3', 1)).toThrow(BudgetExhausted);
    expect(capped.spent).toBe(0);
    expect(capped.stop?.spentUsd).toBe(2);
  });

  it('without a cap never refuses', () => {
    const guard = new BudgetGuard(undefined);
    for (let i = 0; i < 100; i++) guard.beginCall(`s${i}`, 1e6).settle(1e6);
    expect(guard.exhausted).toBe(false);
  });

  it('bounds a call from UTF-8 bytes (an upper bound on tokens) and max tokens', () => {
    const messages = [{ role: 'user' as const, content: 'héllo' }];
    expect(promptTokenBound(messages)).toBe(6 + 16 + 64);
    expect(callCostBound(agent, 1000, 1000)).toBeCloseTo((1000 * 2 + 1000 * 10) / 1e6, 12);
    // The dearer tier applies once the prompt crosses it.
    const tiered = {
      ...agent,
      price: { input: 1, output: 10, tiers: [{ abovePromptTokens: 500, input: 3, output: 20 }] },
    };
    expect(callCostBound(tiered, 1000, 1000)).toBeCloseTo((1000 * 3 + 1000 * 20) / 1e6, 12);
  });
});

describe('retries', () => {
  it('wait at least what Retry-After asks but never longer than maxDelayMs, back off exponentially otherwise, and stop at maxAttempts', async () => {
    const waits: number[] = [];
    const errors = [
      new ProviderError('rate_limit', '429', 5000),
      new ProviderError('server', '503', 240),
      new ProviderError('server', '503'),
      new ProviderError('server', '503'),
    ];
    let n = 0;
    await expect(
      withRetries(
        { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 250 },
        () => 1, // no jitter: the full backoff
        async () => {
          throw errors[n++];
        },
        () => {},
        async (ms) => {
          waits.push(ms);
        },
      ),
    ).rejects.toMatchObject({ kind: 'server' });
    expect(n).toBe(4);
    // 5000 asked: capped at maxDelayMs; 240 asked beats the 200 backoff; then the backoff, capped.
    expect(waits).toEqual([250, 240, 250]);
  });

  it('do not retry what cannot succeed (bad request, auth, content filter, context overflow)', async () => {
    for (const kind of ['bad_request', 'auth', 'content_filter', 'context_overflow'] as const) {
      let calls = 0;
      await expect(
        withRetries(
          { maxAttempts: 5, initialDelayMs: 1, maxDelayMs: 1 },
          Math.random,
          async () => {
            calls++;
            throw new ProviderError(kind, kind);
          },
          () => {},
        ),
      ).rejects.toMatchObject({ kind });
      expect(calls).toBe(1);
    }
  });
});
