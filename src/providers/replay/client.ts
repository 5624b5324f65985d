import { RunFault } from '../../util/errors.js';
import {
  type Completion,
  type CompletionRequest,
  type Provider,
  ProviderError,
  type ProviderErrorKind,
} from '../types.js';
import { usageOf } from '../usage.js';
import type { Cassette } from './cassette.js';

/** A request the cassette does not hold: the replay cannot be faithful, so the run stops (exit 2). */
export class CassetteMiss extends RunFault {
  override name = 'CassetteMiss';
}

/**
 * Serves calls from a cassette: attempt n of the call named by `callKey` gets exactly what attempt n
 * got when it was recorded (the answer, or the same classified error with its billed usage). It never
 * opens a socket.
 */
export function createReplayClient(
  cassette: Cassette,
  agent: { id: string; endpoint?: string; simulated?: boolean },
): Provider {
  return {
    simulated: agent.simulated ?? false,
    endpoint: agent.endpoint ?? `replay:${cassette.file}`,
    recorded: true,
    async complete(request: CompletionRequest): Promise<Completion> {
      const key = request.callKey ?? '(none)';
      const call = cassette.calls.get(key);
      if (!call) {
        throw new CassetteMiss(
          `cassette ${cassette.file} has no entry for request ${key} (agent ${agent.id}, model ${request.model}); it was recorded from a different config, seed or suite`,
        );
      }
      const attempt = call.attempts[(request.attempt ?? 1) - 1];
      if (!attempt) {
        throw new CassetteMiss(
          `cassette ${cassette.file} recorded ${call.attempts.length} attempts for request ${key}; attempt ${request.attempt} was asked for (retry policy changed?)`,
        );
      }
      if (attempt.ok) {
        return {
          text: attempt.text,
          usage: usageOf(attempt.usage),
          latencyMs: attempt.latencyMs,
          raw: attempt.raw,
        };
      }
      throw new ProviderError(
        attempt.kind as ProviderErrorKind,
        attempt.message,
        attempt.retryAfterMs,
        attempt.usage ? usageOf(attempt.usage) : undefined,
        attempt.raw,
        attempt.latencyMs,
      );
    },
  };
}
