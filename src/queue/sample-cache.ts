import type { Redis } from 'ioredis';
import type { CachedCompletion } from '../providers/types.js';
import type { ResponseCache } from '../runner/context.js';
import { keyPrefix } from './job.js';

/** Cached responses of one unfinished sample live a week at most (a run resumed later re-pays them). */
const TTL_MS = 7 * 24 * 3600 * 1000;

export function sampleCacheKey(queueName: string, runId: string, sampleId: string): string {
  return `${keyPrefix(queueName)}:cache:${runId}:${sampleId}`;
}

/**
 * The response cache a worker gives one sample: the sample's responses already in Redis (from a worker
 * that died mid-sample) are loaded first; each new response is written through to Redis as it arrives,
 * so the worker that retries a killed worker's job does not pay again for calls that came back before
 * the kill. The cache key includes the sample id, so one hash per sample holds every entry it can use.
 */
export class SampleCache implements ResponseCache {
  /** Entries written while executing, returned to the coordinator for the run store. */
  readonly fresh: [string, CachedCompletion][] = [];

  private constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly entries: Map<string, CachedCompletion>,
  ) {}

  static async load(redis: Redis, key: string): Promise<SampleCache> {
    const stored = await redis.hgetall(key);
    const entries = new Map(Object.entries(stored).map(([k, v]) => [k, JSON.parse(v) as CachedCompletion]));
    return new SampleCache(redis, key, entries);
  }

  cachedResponse(key: string): CachedCompletion | undefined {
    return this.entries.get(key);
  }

  cacheResponse(key: string, completion: CachedCompletion): void {
    if (this.entries.has(key)) return;
    this.entries.set(key, completion);
    this.fresh.push([key, completion]);
    // Not awaited (the runner's cache interface is synchronous): a worker killed before the write
    // reaches Redis loses this entry, and the retry pays for that call again.
    this.redis
      .multi()
      .hset(this.key, key, JSON.stringify(completion))
      .pexpire(this.key, TTL_MS)
      .exec()
      .catch((err: unknown) => process.stderr.write(`worker: cache write failed: ${String(err)}\n`));
  }

  /** Every entry loaded from Redis or written here (the coordinator stores them with the sample). */
  all(): [string, CachedCompletion][] {
    return [...this.entries];
  }
}
