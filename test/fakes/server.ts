import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { readBody } from '../../src/providers/sim/server.js';
import type { Usage } from '../../src/providers/types.js';
import { mulberry32 } from '../../src/util/random.js';

/**
 * Fault injection shared by every protocol fake. Probabilities per request; the draw is seeded, so a
 * run meets the same faults in the same order of arrival.
 */
export interface FaultRates {
  rateLimit?: number;
  serverError?: number;
  /** The server accepts the request and never answers: the client's timeout must fire. */
  hang?: number;
  /** Half of these are truncated JSON (nothing billed), half well-formed JSON of the wrong shape that still reports usage (billed). */
  malformed?: number;
  /** Headers at once, then the body a few bytes at a time over `slowBodyMs`. */
  slowBody?: number;
}

export type Fault =
  | 'none'
  | 'rate_limit'
  | 'server_error'
  | 'hang'
  | 'truncated'
  | 'wrong_shape'
  | 'slow_body';

export interface ServedAttempt {
  path: string;
  fault: Fault;
  /** What the fake billed for this attempt, in baton's normalised terms; null when nothing was billed. */
  billed: Usage | null;
  /** Request headers as received (the secrets test checks keys arrived where they should). */
  authorization: string | undefined;
  /** The global fetch always sends one; baton's SDK transport sends none (tests tell them apart by it). */
  acceptEncoding: string | undefined;
}

/** What a protocol fake provides: routes, documented bodies and documented error bodies. */
export interface Protocol {
  /** Answers a request body; returns the documented success body and what it bills. */
  answer(path: string, request: unknown): { body: unknown; billed: Usage } | undefined;
  /** The documented error body (and headers) for an HTTP status. */
  errorBody(
    status: number,
    kind: 'rate_limit' | 'server_error' | 'not_found',
  ): { body: unknown; headers?: Record<string, string> };
  /** The same success body damaged in a way the provider's schema must reject, keeping its usage. */
  wrongShape(body: unknown): unknown;
}

export interface FakeOptions {
  faults?: FaultRates;
  seed?: number;
  /** Retry-After seconds sent with a 429 (0 keeps tests fast; the header is still there). */
  retryAfterSeconds?: number;
  slowBodyMs?: number;
  /**
   * A careless server quoting the caller's API key back (read from the request's authorization,
   * x-api-key or x-goog-api-key header): request i gets `echoKey[i % length]`, before any fault.
   */
  echoKey?: readonly EchoMode[];
  /** A canned reply for some requests (documented error bodies, filtered answers…), before any fault. */
  override?: (
    path: string,
    request: unknown,
  ) => { status: number; body: unknown; headers?: Record<string, string> } | undefined;
}

/**
 * How a careless server echoes the key: `answer` in the answer text (a model repeating its request),
 * `error_body` in a 500's error message (whole and masked), `auth` in a 401's message masked the way
 * OpenAI masks it (`sk-proj-****…wxyz`), `header` in the response headers of a 503 (whole and masked),
 * `malformed` at the start of a truncated 200 body (JSON.parse errors quote it cut short),
 * `malformed_error` in a 500 whose JSON body is cut short; `none` answers normally.
 */
export type EchoMode = 'none' | 'answer' | 'error_body' | 'auth' | 'header' | 'malformed' | 'malformed_error';

/** The key as a provider shows it masked: its first 8 characters, stars, its last 4. */
export function maskedKey(key: string): string {
  return `${key.slice(0, 8)}${'*'.repeat(24)}${key.slice(-4)}`;
}

/** The API key a request carried, in whichever header (or query parameter) its protocol uses. */
function keyOf(req: IncomingMessage): string {
  const bearer = /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1];
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return (
    bearer ??
    header('x-api-key') ??
    header('x-goog-api-key') ??
    new URL(req.url ?? '/', 'http://x').searchParams.get('key') ??
    ''
  );
}

export interface FakeServer {
  /** e.g. http://127.0.0.1:41234 (protocol-specific path prefixes are added by the caller). */
  origin: string;
  served: ServedAttempt[];
  close(): Promise<void>;
}

function received(req: IncomingMessage): Pick<ServedAttempt, 'authorization' | 'acceptEncoding'> {
  return { authorization: req.headers.authorization, acceptEncoding: req.headers['accept-encoding'] };
}

export async function startFake(protocol: Protocol, opts: FakeOptions = {}): Promise<FakeServer> {
  const random = mulberry32(opts.seed ?? 1);
  const faults = opts.faults ?? {};
  const served: ServedAttempt[] = [];
  const sockets = new Set<Socket>();
  let echoed = 0;

  const pick = (): Fault => {
    let x = random();
    for (const [fault, rate] of [
      ['rate_limit', faults.rateLimit],
      ['server_error', faults.serverError],
      ['hang', faults.hang],
      ['malformed', faults.malformed],
      ['slow_body', faults.slowBody],
    ] as const) {
      x -= rate ?? 0;
      if (x < 0) return fault === 'malformed' ? (random() < 0.5 ? 'truncated' : 'wrong_shape') : fault;
    }
    return 'none';
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { message: String(err) } });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    // The model list every protocol documents (OpenAI and Anthropic `/v1/models`, Gemini
    // `/v1beta/models`): what `baton run --check-endpoints` asks for. It bills nothing.
    if (req.method === 'GET' && path.endsWith('/models')) {
      served.push({ path, fault: 'none', billed: null, ...received(req) });
      send(res, 200, { object: 'list', data: [] });
      return;
    }
    const echo = opts.echoKey?.[echoed++ % opts.echoKey.length] ?? 'none';
    if (echo !== 'none') {
      const record: ServedAttempt = { path, fault: 'none', billed: null, ...received(req) };
      served.push(record);
      echoKey(res, echo, keyOf(req), protocol, path, JSON.parse(text), record);
      return;
    }
    const canned = opts.override?.(path, JSON.parse(text));
    if (canned) {
      served.push({ path, fault: 'none', billed: null, ...received(req) });
      send(res, canned.status, canned.body, canned.headers);
      return;
    }
    const fault = pick();
    const record: ServedAttempt = { path, fault, billed: null, ...received(req) };
    served.push(record);
    if (fault === 'hang') return; // never answer; the socket is destroyed on close()
    if (fault === 'rate_limit' || fault === 'server_error') {
      const status = fault === 'rate_limit' ? 429 : random() < 0.5 ? 500 : 503;
      const { body, headers } = protocol.errorBody(status, fault);
      send(res, status, body, {
        ...headers,
        ...(status === 429 ? { 'retry-after': String(opts.retryAfterSeconds ?? 0) } : {}),
      });
      return;
    }
    const answered = protocol.answer(path, JSON.parse(text));
    if (!answered) {
      const { body } = protocol.errorBody(404, 'not_found');
      send(res, 404, body);
      return;
    }
    if (fault === 'truncated') {
      const full = JSON.stringify(answered.body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(full.slice(0, Math.floor(full.length / 2)));
      return;
    }
    record.billed = answered.billed;
    if (fault === 'wrong_shape') {
      send(res, 200, protocol.wrongShape(answered.body));
      return;
    }
    if (fault === 'slow_body') {
      const data = Buffer.from(JSON.stringify(answered.body));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': data.length });
      const chunks = 20;
      for (let i = 0; i < chunks && !res.destroyed; i++) {
        res.write(data.subarray((i * data.length) / chunks, ((i + 1) * data.length) / chunks));
        await sleep((opts.slowBodyMs ?? 1000) / chunks);
      }
      res.end();
      return;
    }
    send(res, 200, answered.body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** One careless reply (see EchoMode); a normal answer in `answer` mode is billed as usual. */
function echoKey(
  res: ServerResponse,
  mode: Exclude<EchoMode, 'none'>,
  key: string,
  protocol: Protocol,
  path: string,
  request: unknown,
  record: ServedAttempt,
): void {
  const masked = maskedKey(key);
  // Every documented error body of the three protocols has a `message` string: the key goes in front.
  const withMessage = (body: unknown, message: string) =>
    JSON.parse(
      JSON.stringify(body).replace('"message":"', `"message":${JSON.stringify(message).slice(0, -1)} `),
    );
  switch (mode) {
    case 'answer': {
      const answered = protocol.answer(path, request);
      if (!answered) break;
      record.billed = answered.billed;
      // The answer text starts "Answer <hash>": the model now repeats the key it was sent, whole and masked.
      const body = JSON.parse(
        JSON.stringify(answered.body).replace('"Answer ', `"Your key is ${key} (${masked}). Answer `),
      );
      send(res, 200, body);
      return;
    }
    case 'error_body':
      send(
        res,
        500,
        withMessage(protocol.errorBody(500, 'server_error').body, `key ${key} (${masked}) failed:`),
      );
      return;
    case 'auth':
      send(
        res,
        401,
        withMessage(protocol.errorBody(500, 'server_error').body, `Incorrect API key provided: ${masked}.`),
      );
      return;
    case 'header': {
      const { body, headers } = protocol.errorBody(503, 'server_error');
      send(res, 503, body, {
        ...headers,
        'x-echo-key': key,
        'x-masked-key': masked,
        'www-authenticate': `Bearer ${key}`,
      });
      return;
    }
    case 'malformed': {
      const text = `{"id": ${key}, "note": "truncated`;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    case 'malformed_error': {
      const text = `{"error": {"message": ${key} ${masked}`;
      res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
  }
  send(res, 404, protocol.errorBody(404, 'not_found').body);
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(data),
    ...headers,
  });
  res.end(data);
}

/** Deterministic token counts for a fake answer: ~4 bytes a token, as real tokenizers roughly do. */
export function tokensOf(text: string): number {
  return Math.max(1, Math.ceil(Buffer.byteLength(text, 'utf8') / 4));
}

/** A short deterministic answer naming what was asked (tests read it back). */
export function answerFor(lastUserText: string): string {
  let h = 0;
  for (const ch of lastUserText) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `Answer ${h.toString(16)}: B`;
}
