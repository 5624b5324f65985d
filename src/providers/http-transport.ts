import { Agent, request } from 'undici';

/**
 * The HTTP transport handed to the OpenAI and Anthropic SDKs (their documented `fetch` option): one
 * request on undici's `request` API over a shared keep-alive pool, the response body read whole.
 *
 * Why not the global fetch: its WHATWG machinery (Request objects, web streams for both bodies) is
 * most of what an SDK call costs in CPU. Measured in bench:runner on a 2-vCPU VM, a bare openai-SDK
 * loop spends ~30% less CPU per call on this transport, and `baton run` ~25% less; the SDKs still
 * build every request, parse every response and raise their own error classes.
 *
 * Behaviour that differs from fetch, on purpose: redirects are not followed (an API answering a POST
 * with a redirect is an error worth seeing); no `accept-encoding` is sent, so bodies come back
 * uncompressed; and undici's own 300 s header and body timeouts are off, so the run's
 * `requestTimeoutMs` (the SDK's timeout, which aborts through the signal) is the only limit — a long
 * reasoning call is not cut at 5 minutes by a default nobody configured.
 */
const pool = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

export async function sdkFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  // The SDKs pass a URL string and an init; a Request object would carry its own method and body.
  if (input instanceof Request) throw new TypeError('sdkFetch takes a URL and an init, not a Request');
  const response = await request(input, {
    method: (init.method ?? 'GET') as 'GET',
    headers: headerRecord(init.headers),
    body: init.body as string | Uint8Array | null | undefined,
    signal: init.signal ?? undefined,
    dispatcher: pool,
  });
  const body = await response.body.arrayBuffer();
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  // A null-body status must not be given a body (the Response constructor throws).
  const empty = response.statusCode === 204 || response.statusCode === 205 || response.statusCode === 304;
  return new Response(empty ? null : body, { status: response.statusCode, headers });
}

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  if (headers === undefined) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(headers);
  return headers;
}
