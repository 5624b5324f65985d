import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { AdaptiveLimiter, type AimdOptions } from '../runner/aimd.js';
import type { RateLimit } from './job.js';

/**
 * A token bucket in one Redis hash, refilled from Redis's own clock (TIME) so workers on machines
 * with skewed clocks share one rate. Takes a token and returns 0, or returns how many ms to wait.
 * Atomic because Redis runs a script alone.
 */
const TAKE = `
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', key, 3600000)
return wait
`;

export class RedisTokenBucket {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly limit: RateLimit,
  ) {}

  /** Waits until the shared bucket grants one request. */
  async take(): Promise<void> {
    for (;;) {
      const wait = Number(
        await this.redis.eval(TAKE, 1, this.key, String(this.limit.perSecond), String(this.limit.burst)),
      );
      if (wait <= 0) return;
      await sleep(wait);
    }
  }
}

/**
 * The runner's per-endpoint AIMD limiter, plus a global token per request from the provider's Redis
 * bucket: concurrency still adapts to 429s in each worker, while the request rate is capped across
 * all of them. Every attempt (retries included) takes a token, as every attempt reaches the API.
 */
export class GloballyRateLimited extends AdaptiveLimiter {
  constructor(
    opts: AimdOptions,
    private readonly bucket: RedisTokenBucket,
  ) {
    super(opts);
  }

  override async acquire(): Promise<{ epoch: number; limit: number }> {
    await this.bucket.take();
    return super.acquire();
  }
}
