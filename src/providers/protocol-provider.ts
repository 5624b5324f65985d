import type { ChatMessage, Completion, CompletionRequest, Provider, ProviderError, Usage } from './types.js';

/** What differs between APIs; timing, error classification and the raw body are handled once. */
export interface ProviderProtocol {
  endpoint: string;
  simulated: boolean;
  /** Sends one request through the SDK and resolves to the response's JSON body. */
  send(request: CompletionRequest): Promise<unknown>;
  /** Maps whatever `send` threw to a classified ProviderError. */
  classify(err: unknown): ProviderError;
  /** Validates a body (zod) into answer text and usage; throws a ProviderError for filtered or malformed ones. */
  read(body: unknown): { text: string; usage: Usage };
}

export function protocolProvider(protocol: ProviderProtocol): Provider {
  return {
    simulated: protocol.simulated,
    endpoint: protocol.endpoint,
    async complete(request: CompletionRequest): Promise<Completion> {
      const started = performance.now();
      let body: unknown;
      try {
        body = await protocol.send(request);
      } catch (err) {
        throw protocol.classify(err);
      }
      const latencyMs = performance.now() - started;
      // Spelled out: a spread followed by more fields takes V8's slow path (µs per object on Node 20).
      const { text, usage } = protocol.read(body);
      return { text, usage, latencyMs, raw: body };
    },
  };
}

/** System messages joined (APIs that take the system prompt apart), and the conversation without them. */
export function splitSystem(messages: readonly ChatMessage[]): {
  system: string | undefined;
  turns: { role: 'user' | 'assistant'; content: string }[];
} {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  return {
    system: system.length > 0 ? system.join('\n\n') : undefined,
    turns: messages.flatMap((m) => (m.role === 'system' ? [] : [{ role: m.role, content: m.content }])),
  };
}

/** `{ [key]: value }` when the value is set, else nothing: optional request fields stay absent. */
export function ifSet<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
