import type { CallEvent, TraceEvent } from './records.js';

/**
 * Why samples fail, grouped by root cause rather than by the orchestrator's own error code: a Fusion
 * whose panelists all got a 401 and a `single` that got one are both `call_failed:auth`.
 *
 * Cause keys:
 * - `network`: a call that got no HTTP answer after its retries (connection refused, DNS, TLS, reset);
 * - `call_failed:<kind>`: a call the API answered with an error after its retries (`auth` for 401/403,
 *   `rate_limit`, `server`, `timeout`, `bad_request`, `context_overflow`, `malformed_response`,
 *   `content_filter`) or refused unsent (`unavailable`: an injected outage, the recursion limit);
 * - `sandbox`: grading a code answer failed (the sandbox running its tests broke, not the code);
 * - `scoring`: grading any other answer failed;
 * - `internal`: a bug in baton or an orchestrator;
 * - an orchestrator's own code (`judge_not_valid_json`, …) when no failed call explains it.
 */
export type ErrorCause = string;

/** Orchestrator error codes that mean "the calls it needed failed": their cause is that of the calls. */
const FAILED_CALLS_CODES = new Set([
  'all_panels_failed',
  'too_few_panels',
  'all_proposers_failed',
  'all_samples_failed',
]);

/** The cause key of a call that failed with a provider error of this kind. */
export function causeOfKind(kind: string): ErrorCause {
  return kind === 'network' ? 'network' : `call_failed:${kind}`;
}

/**
 * The cause of a stored error code, for samples recorded before causes were (`errorCause` absent):
 * exact for call failures, scoring and internal errors, the orchestrator's code otherwise.
 */
export function causeOfCode(code: string | null): ErrorCause {
  if (code === null) return 'unknown';
  if (code.startsWith('call_failed:')) return causeOfKind(code.slice('call_failed:'.length));
  if (code === 'scoring_failed') return 'scoring';
  if (code === 'internal_error') return 'internal';
  return code;
}

/** The final outcome of a model call as traced: `ok`, or the kind of its last failed attempt. */
export function callOutcome(event: CallEvent): string {
  if (event.error === null) return 'ok';
  const last = event.attemptLog?.at(-1)?.outcome;
  if (last !== undefined && last !== 'ok') return last;
  // Refused unsent (no attempt): the error reads `<kind>: <message>`.
  return /^([a-z_]+):/.exec(event.error)?.[1] ?? 'unknown';
}

/** The first model call of a trace that failed (not a nested run that failed because its calls did). */
export function firstFailedCall(trace: readonly TraceEvent[]): CallEvent | undefined {
  return trace.find((e): e is CallEvent => e.kind === 'call' && e.error !== null);
}

/** `<error> — <provider> at <endpoint> (agent <id>)`: where a failed call went, never its credentials. */
export function describeFailedCall(event: CallEvent): string {
  return `${event.error ?? ''} — ${event.provider} at ${event.endpoint} (agent ${event.agentId})`;
}

/**
 * Cause and message of a failed sample from what failed and its trace. `code` is the stored error code
 * (`call_failed:<kind>`, an orchestrator's code, `scoring_failed`, `internal_error`); `failedCall` is the
 * call that raised a call failure, when known.
 */
export function sampleFailure(
  code: string,
  message: string,
  trace: readonly TraceEvent[],
  options: { failedCall?: CallEvent | undefined; codeTask: boolean },
): { cause: ErrorCause; message: string } {
  if (code === 'scoring_failed') return { cause: options.codeTask ? 'sandbox' : 'scoring', message };
  if (code === 'internal_error') return { cause: 'internal', message };
  if (code.startsWith('call_failed:')) {
    // A nested orchestrator's failure reaches its caller as a failed call: the root is inside it.
    const root = options.failedCall ?? firstFailedCall(trace);
    if (!root) return { cause: causeOfCode(code), message };
    return { cause: causeOfKind(callOutcome(root)), message: describeFailedCall(root) };
  }
  const root = FAILED_CALLS_CODES.has(code) ? firstFailedCall(trace) : undefined;
  if (!root) return { cause: code, message };
  return {
    cause: causeOfKind(callOutcome(root)),
    message: `${message}; first failed call: ${describeFailedCall(root)}`,
  };
}

/** One line, at most `max` characters: how an example message is shown in tables and the terminal. */
export function exampleLine(message: string, max = 240): string {
  const line = message.split('\n', 1)[0]?.trim() ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
