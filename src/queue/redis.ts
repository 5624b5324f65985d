import { Redis } from 'ioredis';
import { UsageError } from '../util/errors.js';

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
