import { UsageError } from '../util/errors.js';

/** Parses `--rate-limit openai=5` (requests per second; burst defaults to one second's worth). */
export function parseRateLimit(spec: string): [string, { perSecond: number; burst: number }] {
  const m = /^([a-z0-9-]+)=(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(spec);
  if (!m) throw new UsageError(`--rate-limit: expected provider=requestsPerSecond[:burst], got '${spec}'`);
  const perSecond = Number(m[2]);
  if (perSecond <= 0) throw new UsageError(`--rate-limit: ${spec}: the rate must be positive`);
  return [m[1] as string, { perSecond, burst: m[3] ? Number(m[3]) : Math.max(1, Math.ceil(perSecond)) }];
}
