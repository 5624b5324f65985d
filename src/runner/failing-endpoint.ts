import { callOutcome, causeOfKind, describeFailedCall, type ErrorCause } from '../store/error-causes.js';
import type { CallEvent, TraceEvent } from '../store/records.js';

/**
 * How many calls to one endpoint decide that it is unusable: when the first EARLY_STOP_CALLS calls a
 * session sends to an endpoint all fail with an auth or connection error (after their retries), the
 * run stops early. Five: each of them already had its retries (a connection error is retried up to
 * `retries.maxAttempts` times, a 401/403 is final), so five in a row is not a transient blip, yet the
 * run stops within one round of samples instead of paying the retries of every planned sample. A
 * single success among them clears the endpoint for the rest of the session.
 */
export const EARLY_STOP_CALLS = 5;

/** Call outcomes that say the endpoint cannot be used at all: bad credentials, or nothing answers. */
const FATAL_KINDS = new Set(['auth', 'network']);

/** Why the run stopped early: the endpoint, how many calls failed, by cause, and one example. */
export interface FailingEndpoint {
  provider: string;
  endpoint: string;
  calls: number;
  causes: Record<ErrorCause, number>;
  example: string;
}

/** The run's stop reason when an endpoint's first calls all failed (see EARLY_STOP_CALLS). */
export class EndpointFailing extends Error {
  override name = 'EndpointFailing';
  constructor(readonly failing: FailingEndpoint) {
    const causes = Object.entries(failing.causes)
      .map(([cause, n]) => `${cause} ×${n}`)
      .join(', ');
    super(
      `the first ${failing.calls} calls to ${failing.provider} at ${failing.endpoint} all failed (${causes})`,
    );
  }
}

/**
 * Watches the first `calls` calls sent to each endpoint (provider + base URL), in the order their
 * samples are recorded; cached answers and calls refused unsent do not count.
 */
export class FailingEndpointWatch {
  private readonly seen = new Map<string, { failed: CallEvent[]; cleared: boolean }>();

  constructor(private readonly calls = EARLY_STOP_CALLS) {}

  /** Takes a recorded sample's trace; returns the endpoint to stop for, once one qualifies. */
  observe(trace: readonly TraceEvent[]): FailingEndpoint | undefined {
    for (const event of trace) {
      if (event.kind !== 'call' || event.cached || event.attempts === 0) continue;
      const key = `${event.provider}\u0000${event.endpoint}`;
      const state = this.seen.get(key) ?? { failed: [], cleared: false };
      this.seen.set(key, state);
      if (state.cleared) continue;
      if (!FATAL_KINDS.has(callOutcome(event))) {
        state.cleared = true;
        state.failed = [];
        continue;
      }
      state.failed.push(event);
      if (state.failed.length >= this.calls) {
        state.cleared = true;
        const causes: Record<ErrorCause, number> = {};
        for (const e of state.failed) {
          const cause = causeOfKind(callOutcome(e));
          causes[cause] = (causes[cause] ?? 0) + 1;
        }
        return {
          provider: event.provider,
          endpoint: event.endpoint,
          calls: state.failed.length,
          causes,
          example: describeFailedCall(state.failed[0] as CallEvent),
        };
      }
    }
    return undefined;
  }
}
