import { describe, expect, it } from 'vitest';
import { AdaptiveLimiter } from '../../src/runner/aimd.js';

describe('adaptive concurrency (AIMD)', () => {
  it('never lets more requests in flight than the limit', async () => {
    const limiter = new AdaptiveLimiter({ initial: 3, min: 1, max: 10 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 40 }, async () => {
        const ticket = await limiter.acquire();
        inFlight++;
        peak = Math.max(peak, inFlight);
        expect(inFlight).toBeLessThanOrEqual(limiter.limit + 1);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        limiter.release(ticket, 'other');
      }),
    );
    expect(peak).toBe(3);
  });

  it('halves once per burst of 429s, then grows back by about one per window of successes', async () => {
    const limiter = new AdaptiveLimiter({ initial: 16, min: 1, max: 16 });
    // 8 requests sent under limit 16 all come back 429: one decrease, not eight.
    const burst = await Promise.all(Array.from({ length: 8 }, () => limiter.acquire()));
    for (const t of burst) limiter.release(t, 'rate_limit');
    expect(limiter.limit).toBe(8);
    // A 429 on a request sent after the decrease halves again.
    const after = await limiter.acquire();
    limiter.release(after, 'rate_limit');
    expect(limiter.limit).toBe(4);
    // Recovery: 4 successes at limit 4 raise it to about 5.
    for (let i = 0; i < 4; i++) limiter.release(await limiter.acquire(), 'success');
    expect(limiter.limit).toBe(5);
    for (let i = 0; i < 200; i++) limiter.release(await limiter.acquire(), 'success');
    expect(limiter.limit).toBe(16);
    expect(limiter.history.filter((h) => h.cause === 'rate_limit').map((h) => h.limit)).toEqual([8, 4]);
  });

  it('never goes below its minimum', async () => {
    const limiter = new AdaptiveLimiter({ initial: 2, min: 1, max: 4 });
    for (let i = 0; i < 5; i++) limiter.release(await limiter.acquire(), 'rate_limit');
    expect(limiter.limit).toBe(1);
  });
});
