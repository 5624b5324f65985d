import type { PoolMember } from '../config/load.js';
import { memberApiKeyNames } from '../providers/registry.js';

export interface EndpointCheck {
  /** `provider url` of the request made (never a key). */
  endpoint: string;
  /** Pool members behind it. */
  agents: string[];
  ok: boolean;
  /** What happened: `answers (HTTP 200, 0.12 s)`, `does not answer: ECONNREFUSED`… */
  detail: string;
}

/** How long an endpoint may take to answer its model list. */
const TIMEOUT_MS = 10_000;

/**
 * The cheapest request each protocol documents, which needs the key but buys nothing: the model list
 * (OpenAI and compatible servers `GET /models`, Anthropic `GET /v1/models`, Gemini `GET /v1beta/models`).
 * Undefined for members nothing is sent to over the network from here (the simulated pool, replays).
 */
function probeFor(
  agent: PoolMember,
  key: string | undefined,
): { url: string; headers: Record<string, string> } | undefined {
  const base = typeof agent.baseUrl === 'string' ? agent.baseUrl.replace(/\/+$/, '') : undefined;
  if (!base) return undefined;
  switch (agent.provider) {
    case 'openai':
    case 'openai-compatible':
      return { url: `${base}/models`, headers: key ? { authorization: `Bearer ${key}` } : {} };
    case 'anthropic':
      return {
        url: `${base}/v1/models`,
        headers: { 'anthropic-version': '2023-06-01', ...(key ? { 'x-api-key': key } : {}) },
      };
    case 'gemini':
      return { url: `${base}/v1beta/models`, headers: key ? { 'x-goog-api-key': key } : {} };
    default:
      return undefined;
  }
}

/**
 * `--check-endpoints`: one model-list request per distinct endpoint and key, all at once, reporting
 * which answer. An endpoint answers when it replies with 2xx, or 404/405 (no model list, but reachable
 * and not refusing the key); 401/403 is a refused key; any other status, a timeout or a network error
 * is a failure. Members whose key is missing are not probed (preflight reports the key).
 */
export async function checkEndpoints(
  agents: readonly PoolMember[],
  env: NodeJS.ProcessEnv,
): Promise<EndpointCheck[]> {
  const probes = new Map<
    string,
    { url: string; headers: Record<string, string>; provider: string; agents: string[] }
  >();
  const skipped: EndpointCheck[] = [];
  for (const agent of agents) {
    const names = memberApiKeyNames(agent);
    const keyName = names.find((n) => env[n]);
    if (names.length > 0 && !keyName) continue;
    const probe = probeFor(agent, keyName ? env[keyName] : undefined);
    if (!probe) {
      if (agent.provider === 'sim')
        skipped.push({
          endpoint: `sim (local, started with the run)`,
          agents: [agent.id],
          ok: true,
          detail: 'simulated: nothing to check',
        });
      continue;
    }
    const id = `${agent.provider} ${probe.url} ${keyName ?? ''}`;
    const known = probes.get(id);
    if (known) known.agents.push(agent.id);
    else probes.set(id, { ...probe, provider: agent.provider, agents: [agent.id] });
  }
  const checked = await Promise.all(
    [...probes.values()].map(async (p): Promise<EndpointCheck> => {
      const endpoint = `${p.provider} ${p.url}`;
      const started = performance.now();
      try {
        const res = await fetch(p.url, { headers: p.headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
        await res.arrayBuffer().catch(() => undefined);
        const took = `${((performance.now() - started) / 1000).toFixed(2)} s`;
        if (res.ok)
          return { endpoint, agents: p.agents, ok: true, detail: `answers (HTTP ${res.status}, ${took})` };
        if (res.status === 404 || res.status === 405)
          return {
            endpoint,
            agents: p.agents,
            ok: true,
            detail: `answers (HTTP ${res.status}: no model list here, ${took})`,
          };
        if (res.status === 401 || res.status === 403)
          return {
            endpoint,
            agents: p.agents,
            ok: false,
            detail: `answers but refuses the key (HTTP ${res.status})`,
          };
        return { endpoint, agents: p.agents, ok: false, detail: `answers with HTTP ${res.status}` };
      } catch (err) {
        return { endpoint, agents: p.agents, ok: false, detail: `does not answer: ${reasonOf(err)}` };
      }
    }),
  );
  return [...checked, ...dedupe(skipped)];
}

function dedupe(skipped: EndpointCheck[]): EndpointCheck[] {
  if (skipped.length === 0) return [];
  return [{ ...(skipped[0] as EndpointCheck), agents: skipped.flatMap((s) => s.agents) }];
}

/** The network error under fetch's "fetch failed" (ECONNREFUSED, ENOTFOUND…), or the timeout. */
function reasonOf(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

/** One line per endpoint for the terminal. */
export function formatEndpointChecks(checks: readonly EndpointCheck[]): string {
  if (checks.length === 0) return 'endpoints: none to check\n';
  return `${['endpoints:', ...checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.endpoint} (${c.agents.join(', ')}): ${c.detail}`)].join('\n')}\n`;
}
