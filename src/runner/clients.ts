import type { PoolMember } from '../config/load.js';
import { isOrchestratorMember } from '../orchestrators/member.js';
import { redact, redactValue } from '../providers/redact.js';
import { memberApiKeyNames, providerKinds } from '../providers/registry.js';
import { readCassette } from '../providers/replay/cassette.js';
import { createReplayClient } from '../providers/replay/client.js';
import { recordedAgent } from '../providers/replay/index.js';
import {
  type Completion,
  type CompletionRequest,
  type Provider,
  ProviderError,
  type ProviderInstance,
} from '../providers/types.js';
import type { Task } from '../suites/types.js';
import type { RecordedCalls } from './context.js';

/** Every pool member's provider client, started. */
export interface ProviderClients {
  /** Agent id → its client. */
  byAgent: Map<string, Provider>;
  simulatedAgents: Set<string>;
  /** True when any pool member is simulated: every output of the run then says so. */
  simulated: boolean;
  /** API keys in use: scrubbed from everything the run writes. */
  secrets: string[];
  /** Recorded call timings, concurrency limits and sample latencies, when the whole run is replayed from a cassette. */
  recorded?: RecordedCalls & { sampleLatency(sampleId: string): number | undefined };
  close(): Promise<void>;
}

export interface ClientsOptions {
  tasks: Task[];
  env: NodeJS.ProcessEnv;
  seed: number;
  requestTimeoutMs: number;
  /** Serve every pool member from this cassette instead of its provider (no network at all). */
  replayFrom?: string | undefined;
}

/** Starts each provider kind the pool uses, once, and maps every pool member to its client. */
export async function startClients(
  pool: readonly PoolMember[],
  opts: ClientsOptions,
): Promise<ProviderClients> {
  if (opts.replayFrom) return replayClients(pool, opts.replayFrom);
  const instances: ProviderInstance[] = [];
  const clients = new Map<string, Provider>();
  try {
    for (const kind of providerKinds) {
      const agents = pool.filter((a) => a.provider === kind.kind);
      if (agents.length === 0) continue;
      const instance = await kind.start({
        agents: agents as never,
        tasks: opts.tasks,
        env: opts.env,
        seed: opts.seed,
        requestTimeoutMs: opts.requestTimeoutMs,
      });
      instances.push(instance);
      for (const agent of agents) clients.set(agent.id, instance.clientFor(agent.id));
    }
  } catch (err) {
    await Promise.all(instances.map((i) => i.close()));
    throw err;
  }
  // What each provider lists, and every key its members' declared env names hold: a plugin's provider
  // that forgets to list its key still has it scrubbed.
  const declaredKeys = pool.flatMap((a) => memberApiKeyNames(a).flatMap((name) => opts.env[name] || []));
  const secrets = [...new Set([...instances.flatMap((i) => i.secrets ?? []), ...declaredKeys])];
  // Keys are scrubbed where answers enter baton: nothing downstream (cache, journal, trace, cassette,
  // report) ever holds a response, error message or body that quotes one.
  if (secrets.length > 0)
    for (const [id, client] of clients) clients.set(id, scrubbedClient(client, secrets));
  return {
    ...simulation(clients),
    byAgent: clients,
    secrets,
    close: async () => {
      await Promise.all(instances.map((i) => i.close()));
    },
  };
}

function replayClients(pool: readonly PoolMember[], file: string): ProviderClients {
  const cassette = readCassette(file);
  // Orchestrator members are served by the runner (their nested calls are in the cassette).
  const clients = new Map(
    pool
      .filter((a) => !isOrchestratorMember(a))
      .map((a) => [a.id, createReplayClient(cassette, recordedAgent(cassette, a.id))]),
  );
  return {
    ...simulation(clients),
    byAgent: clients,
    secrets: [],
    recorded: {
      callTiming: (key) => cassette.calls.get(key),
      concurrencyLimit: (key, attempt) => cassette.calls.get(key)?.attempts[attempt - 1]?.concurrencyLimit,
      sampleLatency: (sampleId) => cassette.samples.get(sampleId),
    },
    close: async () => {},
  };
}

/**
 * A client whose answers, raw bodies and errors are redacted of the run's keys (every 8-character
 * window of each, and masked renderings): a server may echo a key in a body, an error message or a
 * malformed JSON body that an error message then quotes in part.
 */
export function scrubbedClient(client: Provider, secrets: readonly string[]): Provider {
  // Everything but `complete` is the client's own (read through the prototype).
  const scrubbed: Provider = Object.create(client);
  return Object.assign(scrubbed, {
    async complete(request: CompletionRequest): Promise<Completion> {
      let completion: Completion;
      try {
        completion = await client.complete(request);
      } catch (err) {
        throw scrubbedError(err, secrets);
      }
      return {
        ...completion,
        text: redact(completion.text, secrets),
        raw: redactValue(completion.raw, secrets),
      };
    },
  });
}

/** The error itself, its message, stack and body redacted (in place: its class and fields stay). */
function scrubbedError(err: unknown, secrets: readonly string[]): unknown {
  if (!(err instanceof Error)) return typeof err === 'string' ? redact(err, secrets) : err;
  err.message = redact(err.message, secrets);
  if (err.stack) err.stack = redact(err.stack, secrets);
  if (err instanceof ProviderError && err.raw !== undefined)
    (err as { raw: unknown }).raw = redactValue(err.raw, secrets);
  return err;
}

function simulation(clients: Map<string, Provider>): { simulatedAgents: Set<string>; simulated: boolean } {
  const simulatedAgents = new Set([...clients].filter(([, c]) => c.simulated).map(([id]) => id));
  return { simulatedAgents, simulated: simulatedAgents.size > 0 };
}
