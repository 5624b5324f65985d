import { Redis } from 'ioredis';
import { UsageError } from '../config/errors.js';

/**
 * A Redis connection for BullMQ. Workers block on Redis, so BullMQ requires
 * `maxRetriesPerRequest: null`; a bad URL is a usage error (exit 2), not a stack trace.
 */
export function connectRedis(url: string): Redis {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--queue: not a URL: ${url} (expected redis://host:port[/db])`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new UsageError(`--queue: expected a redis:// or rediss:// URL, got ${parsed.protocol}`);
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** Parses `--rate-limit openai=5` (requests per second; burst defaults to one second's worth). */
export function parseRateLimit(spec: string): [string, { perSecond: number; burst: number }] {
  const m = /^([a-z0-9-]+)=(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(spec);
  if (!m) throw new UsageError(`--rate-limit: expected provider=requestsPerSecond[:burst], got '${spec}'`);
  const perSecond = Number(m[2]);
  if (perSecond <= 0) throw new UsageError(`--rate-limit: ${spec}: the rate must be positive`);
  return [m[1] as string, { perSecond, burst: m[3] ? Number(m[3]) : Math.max(1, Math.ceil(perSecond)) }];
}
