import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisTokenBucket } from '../../src/queue/rate-limit.js';
import { REDIS_URL, skipRedis } from './redis.js';

describe.skipIf(skipRedis)('global token bucket in Redis', () => {
  it('caps the request rate across independent clients (as separate workers would be)', async () => {
    const key = `baton:test:rate:${randomBytes(4).toString('hex')}`;
    const clients = [0, 1, 2].map(() => new Redis(REDIS_URL));
    try {
      const limit = { perSecond: 20, burst: 5 };
      const buckets = clients.map((c) => new RedisTokenBucket(c, key, limit));
      const t0 = Date.now();
      // 45 requests from three clients: 5 at once (burst), 40 more at 20/s ≈ 2 s.
      await Promise.all(
        buckets.map(async (b) => {
          for (let i = 0; i < 15; i++) await b.take();
        }),
      );
      const seconds = (Date.now() - t0) / 1000;
      expect(seconds).toBeGreaterThan(1.7);
      expect(seconds).toBeLessThan(3.5);
    } finally {
      for (const c of clients) c.disconnect();
    }
  });
});
