import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '../providers/types.js';

export interface RetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs or attempts run out. Backoff is
 * exponential with full jitter, never shorter than a server's Retry-After — but no wait is longer
 * than `maxDelayMs`, a server's wish included: asked to wait longer (a quota reset an hour away), the
 * runner waits `maxDelayMs` and tries again, so a call gives up after at most `maxAttempts` attempts
 * and `maxAttempts - 1` waits of `maxDelayMs`. `onFailure` learns the wait chosen after each failure
 * (0 when no retry follows).
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  random: () => number,
  attempt: (n: number) => Promise<T>,
  onFailure: (error: ProviderError, n: number, waitMs: number) => void,
  wait: (ms: number) => Promise<unknown> = sleep,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      // Only classified provider failures are retried; anything else (budget, bugs) propagates.
      if (!(err instanceof ProviderError)) throw err;
      const last = !err.retryable || n >= policy.maxAttempts;
      const backoff = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (n - 1)) * random();
      const waitMs = last ? 0 : Math.min(policy.maxDelayMs, Math.max(backoff, err.retryAfterMs ?? 0));
      onFailure(err, n, waitMs);
      if (last) throw err;
      await wait(waitMs);
    }
  }
}
