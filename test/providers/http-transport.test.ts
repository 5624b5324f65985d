import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/providers/anthropic/client.js';
import { createGeminiProvider } from '../../src/providers/gemini/client.js';
import { sdkFetch } from '../../src/providers/http-transport.js';
import { createChatCompletionsProvider } from '../../src/providers/openai-compatible/client.js';
import { createResponsesProvider } from '../../src/providers/openai-compatible/responses.js';
import type { Provider } from '../../src/providers/types.js';
import { startAnthropicFake } from '../fakes/anthropic.js';
import { startGeminiFake } from '../fakes/gemini.js';
import { startOpenAIFake } from '../fakes/openai.js';
import type { FakeServer } from '../fakes/server.js';
import { request } from './helpers.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A chat-completions server that records each request and counts the TCP connections opened to it. */
async function startCapture(
  reply: (res: import('node:http').ServerResponse) => void = (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
    res.end(
      JSON.stringify({
        id: 'c',
        object: 'chat.completion',
        created: 0,
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      }),
    );
  },
): Promise<{ server: Server; baseURL: string; seen: Seen[]; connections: () => number }> {
  const seen: Seen[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      reply(res);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, baseURL: `http://127.0.0.1:${port}/v1`, seen, connections: () => connections };
}

const servers: Server[] = [];
const fakes: FakeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
  for (const f of fakes.splice(0)) await f.close();
});

const tls = join(import.meta.dirname, '..', 'fixtures', 'tls');

/** An HTTPS server with a self-signed certificate for 127.0.0.1 (test/fixtures/tls); counts TLS sessions. */
async function startTls(): Promise<{ server: Server; url: string; connections: () => number }> {
  let connections = 0;
  const server = createTlsServer(
    { cert: readFileSync(join(tls, 'localhost.crt')), key: readFileSync(join(tls, 'localhost.key')) },
    (req, res) => {
      req.resume();
      req.on('end', () => res.end('{"ok":true}'));
    },
  );
  server.on('secureConnection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `https://127.0.0.1:${port}/v1/chat/completions`, connections: () => connections };
}

const ask = (client: OpenAI, content: string) =>
  client.chat.completions.create({ model: 'm', seed: 1, messages: [{ role: 'user', content }] });

describe("baton's SDK transport", () => {
  it('sends the SDK the same request the global fetch sends, and hands back the same answer', async () => {
    const capture = await startCapture();
    servers.push(capture.server);
    const onFetch = new OpenAI({ baseURL: capture.baseURL, apiKey: 'sk-test', maxRetries: 0 });
    const onBaton = new OpenAI({
      baseURL: capture.baseURL,
      apiKey: 'sk-test',
      maxRetries: 0,
      fetch: sdkFetch,
    });
    const [viaFetch, viaBaton] = [await ask(onFetch, 'same'), await ask(onBaton, 'same')];
    expect(viaBaton).toEqual(viaFetch);
    expect(viaBaton._request_id).toBe('req-1');
    const [a, b] = capture.seen;
    expect(b?.method).toBe(a?.method);
    expect(b?.url).toBe(a?.url);
    expect(b?.body).toBe(a?.body);
    // Every header the SDK set arrives unchanged (fetch adds its own transport headers on top).
    const sdkHeaders = Object.keys(a?.headers ?? {}).filter(
      (h) => h === 'authorization' || h === 'content-type' || h.startsWith('x-stainless'),
    );
    expect(sdkHeaders.length).toBeGreaterThan(3);
    for (const h of sdkHeaders) expect([h, b?.headers[h]]).toEqual([h, a?.headers[h]]);
  });

  it('keeps connections alive: 20 sequential calls open at most two sockets', async () => {
    const capture = await startCapture();
    servers.push(capture.server);
    const client = new OpenAI({ baseURL: capture.baseURL, apiKey: 'k', maxRetries: 0, fetch: sdkFetch });
    for (let i = 0; i < 20; i++) await ask(client, `call ${i}`);
    expect(capture.seen).toHaveLength(20);
    expect(capture.connections()).toBeLessThanOrEqual(2);
  });

  it('passes statuses and repeated headers through, and does not follow redirects', async () => {
    const capture = await startCapture((res) => {
      res.writeHead(307, { location: '/elsewhere', 'set-cookie': ['a=1', 'b=2'] });
      res.end();
    });
    servers.push(capture.server);
    const response = await sdkFetch(`${capture.baseURL}/chat/completions`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('/elsewhere');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(capture.seen).toHaveLength(1);
  });

  it('aborts when the signal does, with the AbortError the SDKs recognise', async () => {
    const capture = await startCapture(() => {
      // Never answers.
    });
    servers.push(capture.server);
    const controller = new AbortController();
    const pending = sdkFetch(`${capture.baseURL}/chat/completions`, {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails a response whose connection is cut mid-body instead of returning the part received', async () => {
    const capture = await startCapture((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"id":"c","choices":[');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    servers.push(capture.server);
    await expect(
      sdkFetch(`${capture.baseURL}/chat/completions`, { method: 'POST', body: '{}' }).then((r) => r.text()),
    ).rejects.toThrow();
  });

  it('refuses a body it cannot send (a stream) instead of sending an empty request', async () => {
    const stream = new ReadableStream({ start: (c) => c.close() });
    await expect(sdkFetch('http://127.0.0.1:9/x', { method: 'POST', body: stream })).rejects.toThrow(
      /sends text or bytes/,
    );
  });

  it('refuses a Request object instead of silently dropping its method and body', async () => {
    await expect(
      sdkFetch(new Request('http://127.0.0.1:9/x', { method: 'POST', body: 'b' })),
    ).rejects.toThrow(/takes a URL and an init/);
  });

  it('is what every SDK client baton builds sends through (no accept-encoding, which fetch always adds)', async () => {
    const builds: [string, (baseURL: string) => Provider, () => Promise<FakeServer & { baseUrl: string }>][] =
      [
        [
          'openai chat',
          (baseURL) => createChatCompletionsProvider({ baseURL, apiKey: 'k', simulated: false }),
          startOpenAIFake,
        ],
        [
          'openai responses',
          (baseURL) => createResponsesProvider({ baseURL, apiKey: 'k', simulated: false }),
          startOpenAIFake,
        ],
        ['anthropic', (baseURL) => createAnthropicProvider({ baseURL, apiKey: 'k' }), startAnthropicFake],
        ['gemini', (baseURL) => createGeminiProvider({ baseURL, apiKey: 'k' }), startGeminiFake],
      ];
    for (const [name, build, start] of builds) {
      const fake = await start();
      fakes.push(fake);
      await build(fake.baseUrl).complete(request());
      // The control: the same fake reached by the global fetch does see the header.
      await fetch(`${fake.baseUrl}/chat/completions`, { method: 'POST', body: '{}' });
      expect([name, fake.served.map((s) => s.acceptEncoding !== undefined)]).toEqual([name, [false, true]]);
    }
  });

  it('verifies TLS: a certificate nobody vouched for is refused', async () => {
    const tlsServer = await startTls();
    servers.push(tlsServer.server);
    await expect(sdkFetch(tlsServer.url, { method: 'POST', body: '{}' })).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(tlsServer.connections()).toBe(0);
  });

  it('speaks HTTPS over one kept-alive session once the certificate is trusted', async () => {
    const tlsServer = await startTls();
    servers.push(tlsServer.server);
    // Trusting a CA is a process-start setting (NODE_EXTRA_CA_CERTS): the compiled transport runs in a child.
    const transport = join(import.meta.dirname, '..', '..', 'dist', 'providers', 'http-transport.js');
    const script = `const { sdkFetch } = await import(${JSON.stringify(transport)});
      for (let i = 0; i < 3; i++) {
        const r = await sdkFetch(${JSON.stringify(tlsServer.url)}, { method: 'POST', body: '{}' });
        console.log(r.status, await r.text());
      }`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(tls, 'localhost.crt') },
    });
    expect(stdout.trim().split('\n')).toEqual(['200 {"ok":true}', '200 {"ok":true}', '200 {"ok":true}']);
    expect(tlsServer.connections()).toBe(1);
  });
});
