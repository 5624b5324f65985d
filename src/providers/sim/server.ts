import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Task } from '../../suites/types.js';
import { mulberry32, seedFrom } from '../../util/random.js';
import { readTranscript } from '../../util/transcript.js';
import { respond, type SimAgent } from './behaviour.js';

const requestSchema = z.object({
  model: z.string(),
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })).min(1),
  seed: z.number().int().optional(),
});

export interface SimServerOptions {
  agents: SimAgent[];
  tasks: Task[];
  /** Called after each answer is sent (tests use it to prove what was, or was not, called). */
  onRequest?: (info: ServedRequest) => void;
}

export interface ServedRequest {
  model: string;
  seed: number | undefined;
  /** sha256 of the JSON messages array. */
  digest: string;
}

export interface SimServer {
  /** Base URL for an OpenAI SDK client, e.g. http://127.0.0.1:41234/v1 */
  url: string;
  close(): Promise<void>;
}

/**
 * The simulated pool: a real HTTP server on 127.0.0.1 speaking OpenAI Chat Completions, so baton
 * reaches it through the official SDK exactly as it reaches vLLM or OpenRouter. Deterministic: the
 * same model, seed and messages always produce the same answer, usage and delay.
 */
export async function startSimServer(opts: SimServerOptions): Promise<SimServer> {
  const byModel = new Map(opts.agents.map((a) => [a.model, a]));
  const byId = new Map(opts.agents.map((a) => [a.id, a]));
  const byPrompt = new Map(opts.tasks.map((t) => [t.prompt, t]));

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => sendError(res, 500, 'server_error', String(err)));
  });
  server.keepAliveTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/v1/models') {
      sendJson(res, 200, {
        object: 'list',
        data: opts.agents.map((a) => ({ id: a.model, object: 'model' })),
      });
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      sendError(res, 404, 'not_found', `no route ${req.method} ${req.url}`);
      return;
    }
    const parsed = requestSchema.safeParse(JSON.parse(await readBody(req)));
    if (!parsed.success) {
      sendError(res, 400, 'invalid_request_error', parsed.error.issues[0]?.message ?? 'bad request');
      return;
    }
    const body = parsed.data;
    const agent = byModel.get(body.model);
    if (!agent) {
      sendError(res, 404, 'model_not_found', `The model '${body.model}' does not exist`);
      return;
    }
    const transcript = readTranscript(body.messages);
    const task = transcript.task === undefined ? undefined : byPrompt.get(transcript.task);
    if (!task) {
      sendError(
        res,
        400,
        'invalid_request_error',
        'the simulated pool only answers tasks from the loaded suites',
      );
      return;
    }
    const digest = createHash('sha256').update(JSON.stringify(body.messages)).digest('hex');
    const random = mulberry32(seedFrom(body.model, body.seed ?? 0, digest));
    const text = respond({ agent, everyone: byId, task, transcript, random });
    const { profile } = agent;
    const promptTokens = body.messages.reduce((n, m) => n + tokens(m.content) + 4, 0);
    const completionTokens = tokens(text) + profile.reasoningTokens;
    const jitter = 0.9 + 0.2 * random();
    await sleep((profile.firstTokenMs + (completionTokens / profile.tokensPerSecond) * 1000) * jitter);
    sendJson(res, 200, {
      id: `chatcmpl-sim-${digest.slice(0, 12)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      system_fingerprint: 'baton-sim',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: profile.reasoningTokens },
      },
    });
    opts.onRequest?.({ model: body.model, seed: body.seed, digest });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A rough tokenizer: about four characters per token, as for English text with BPE vocabularies. */
function tokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A request's whole body as UTF-8 (also used by the test fakes of the other providers). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { error: { message, type, code: type } });
}
