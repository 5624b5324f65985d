import http from 'node:http';
import https from 'node:https';

/**
 * The HTTP transport handed to the OpenAI, Anthropic and Gemini SDKs (their documented `fetch`
 * option): one `node:http(s)` request over a keep-alive agent per protocol, the response body read
 * whole and handed back as a standard `Response`.
 *
 * Why not the global fetch: its WHATWG machinery (Request objects, web streams for both bodies) is a
 * large part of what an SDK call costs in CPU. Measured on a 2-vCPU VM with bench:runner's fake server
 * (4 000 calls, concurrency 64, 200 ms latency), a bare openai-SDK loop spent 2.7–3.7 s of CPU on this
 * transport against 5.3–6.1 s on the global fetch, and finished ~0.2 s sooner; undici's `request`
 * (tried first) cost about as much CPU but added ~0.8 MB of code to load at every start. The SDKs
 * still build every request, parse every response and raise their own error classes.
 *
 * Behaviour that differs from fetch, on purpose: redirects are not followed (an API answering a POST
 * with a redirect is an error worth seeing); no `accept-encoding` is sent, so bodies come back
 * uncompressed; and there is no transport timeout of its own (fetch's undici cuts a response that
 * has not started after 300 s), so the run's `requestTimeoutMs` — the SDK's timeout, which aborts
 * through the signal — is the only limit on a long call.
 */
const transports = {
  // `timeout` closes a socket idle for 4 s, as fetch's undici does, and lets Node apply a server's
  // shorter `Keep-Alive: timeout=n` hint (Node uses the hint only below the agent's own timeout), so
  // a request is not sent on a socket the server is closing. It does not limit a request in flight.
  'http:': { request: http.request, agent: new http.Agent({ keepAlive: true, timeout: 4_000 }) },
  'https:': { request: https.request, agent: new https.Agent({ keepAlive: true, timeout: 4_000 }) },
};

/** Statuses whose response has no body (the Response constructor refuses one). */
const NULL_BODY = new Set([204, 205, 304]);

export async function sdkFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  // The SDKs pass a URL string and an init; a Request object would carry its own method and body.
  if (input instanceof Request) throw new TypeError('sdkFetch takes a URL and an init, not a Request');
  const url = new URL(input);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`sdkFetch: unsupported protocol ${url.protocol}`);
  const { request: send, agent } = transports[url.protocol];
  const body = requestBody(init.body);
  return new Promise<Response>((resolve, reject) => {
    const request = send(
      url,
      {
        method: init.method ?? 'GET',
        headers: headerRecord(init.headers),
        agent,
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        // A connection cut mid-body errors here (Node checks the length or chunking): never a short answer.
        response.on('error', reject);
        response.on('end', () => {
          const headers = new Headers();
          const raw = response.rawHeaders;
          for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
          const status = response.statusCode ?? 0;
          resolve(
            new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText: response.statusMessage ?? '',
              headers,
            }),
          );
        });
      },
    );
    // An abort (the SDK's timeout) rejects with the AbortError the SDKs recognise.
    request.on('error', reject);
    request.end(body);
  });
}

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  if (headers === undefined) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(headers);
  return headers;
}

/** The request bodies the SDKs send for these APIs: JSON text (or bytes). Anything else is refused. */
function requestBody(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  throw new TypeError(`sdkFetch sends text or bytes, not ${Object.prototype.toString.call(body)}`);
}
