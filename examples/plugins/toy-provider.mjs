// A custom provider: a toy HTTP completion API (toy-server.mjs serves one on 127.0.0.1).
//   POST <baseUrl>/v1/complete   authorization: Bearer <key>   { model, messages }
//   200 → { text, usage: { prompt_tokens, completion_tokens } }
// Used by toy-provider.yaml and lower-exact.yaml; walked through in docs/extending.md.

const KEY_NAMES = ['TOY_API_KEY'];

export default function plugin({
  z,
  baseAgentSchema,
  apiKeyEnvSchema,
  apiKeyNames,
  apiKeyFrom,
  ProviderError,
}) {
  const agentSchema = baseAgentSchema.extend({
    provider: z.literal('toy'),
    baseUrl: z.string().url().describe('Where the toy API listens, e.g. http://127.0.0.1:8765'),
    apiKeyEnv: apiKeyEnvSchema
      .optional()
      .describe('Environment variable holding the key; default TOY_API_KEY'),
  });

  /** One pool member's client. The runner owns retries: a failure is classified and thrown, never retried here. */
  function toyClient(agent, apiKey, timeoutMs) {
    return {
      simulated: false,
      endpoint: agent.baseUrl,
      async complete(request) {
        const started = Date.now();
        let response;
        try {
          response = await fetch(`${agent.baseUrl}/v1/complete`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
            body: JSON.stringify({ model: request.model, messages: request.messages }),
            signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
          });
        } catch (err) {
          const kind = err.name === 'TimeoutError' ? 'timeout' : 'network';
          throw new ProviderError(kind, `toy API at ${agent.baseUrl}: ${err.cause?.message ?? err.message}`);
        }
        const body = await response.json().catch(() => null);
        if (!response.ok) {
          const status = response.status;
          const kind =
            status === 401 || status === 403
              ? 'auth'
              : status === 429
                ? 'rate_limit'
                : status >= 500
                  ? 'server'
                  : 'bad_request';
          throw new ProviderError(
            kind,
            `HTTP ${status}: ${body?.error ?? 'no error message'}`,
            undefined,
            undefined,
            body,
          );
        }
        if (typeof body?.text !== 'string')
          throw new ProviderError('malformed_response', 'toy API answered without text');
        return {
          text: body.text,
          usage: {
            input: body.usage?.prompt_tokens ?? 0,
            output: body.usage?.completion_tokens ?? 0,
            reasoning: 0,
            cachedInput: 0,
            cacheWrite: 0,
            cacheWrite1h: 0,
          },
          latencyMs: Date.now() - started,
          raw: body,
        };
      },
    };
  }

  return {
    providers: [
      {
        kind: 'toy',
        agentSchema,
        // What preflight checks and `baton k8s manifests` mounts when a member names no apiKeyEnv.
        defaultApiKeyEnv: KEY_NAMES,
        async start({ agents, env, requestTimeoutMs }) {
          const keys = new Map(agents.map((a) => [a.id, apiKeyFrom(env, a.id, apiKeyNames(a, KEY_NAMES))]));
          return {
            clientFor: (agentId) => {
              const agent = agents.find((a) => a.id === agentId);
              return toyClient(agent, keys.get(agentId), requestTimeoutMs);
            },
            // Scrubbed from everything the run writes (baton also scrubs every declared key it can see).
            secrets: [...keys.values()],
            close: async () => {},
          };
        },
      },
    ],
  };
}
