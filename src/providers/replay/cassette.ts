import { appendFileSync, closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../../util/errors.js';
import { redact } from '../redact.js';

const usageSchema = z.object({
  input: z.number(),
  output: z.number(),
  reasoning: z.number(),
  cachedInput: z.number(),
  cacheWrite: z.number().default(0),
  cacheWrite1h: z.number().default(0),
  reportedCostUsd: z.number().optional(),
});

const attemptSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    text: z.string(),
    usage: usageSchema,
    latencyMs: z.number(),
    raw: z.unknown(),
    concurrencyLimit: z.number().optional(),
  }),
  z.object({
    ok: z.literal(false),
    kind: z.string(),
    message: z.string(),
    retryAfterMs: z.number().optional(),
    usage: usageSchema.optional(),
    latencyMs: z.number(),
    raw: z.unknown().optional(),
    concurrencyLimit: z.number().optional(),
  }),
]);

/**
 * One model call as it happened: the request (messages, parameters, seed: never headers or keys),
 * every attempt's outcome and the call's timing relative to its sample's start, so a replay
 * reproduces the trace's durations too.
 */
const callLineSchema = z.object({
  type: z.literal('call'),
  key: z.string(),
  sampleId: z.string(),
  agentId: z.string(),
  provider: z.string(),
  endpoint: z.string(),
  simulated: z.boolean(),
  model: z.string(),
  request: z.object({
    messages: z.array(z.object({ role: z.string(), content: z.string() })),
    params: z.record(z.string(), z.unknown()),
    seed: z.number(),
  }),
  attempts: z.array(attemptSchema).min(1),
  offsetMs: z.number(),
  durationMs: z.number(),
});

/** A sample's wall time, so the replayed report shows the recorded latency rather than the replay's. */
const sampleLineSchema = z.object({ type: z.literal('sample'), sampleId: z.string(), latencyMs: z.number() });

const lineSchema = z.discriminatedUnion('type', [callLineSchema, sampleLineSchema]);

export type CassetteCall = z.output<typeof callLineSchema>;
export type CassetteAttempt = z.output<typeof attemptSchema>;
export type CassetteLine = z.output<typeof lineSchema>;

export const CASSETTE_VERSION = 1;

/** Appends JSON lines to a cassette file, scrubbing every secret it was given from each line. */
export class CassetteWriter {
  constructor(
    readonly file: string,
    private readonly secrets: readonly string[],
  ) {
    closeSync(openSync(file, 'a'));
  }

  write(line: CassetteLine): void {
    appendFileSync(this.file, `${redact(JSON.stringify({ v: CASSETTE_VERSION, ...line }), this.secrets)}\n`);
  }
}

/** Scrubs keys from text: every 8-character window of each, and masked renderings (see ../redact.ts). */
export { redact } from '../redact.js';

export interface Cassette {
  file: string;
  calls: Map<string, CassetteCall>;
  samples: Map<string, number>;
}

export function readCassette(file: string): Cassette {
  if (!existsSync(file)) throw new UsageError(`no cassette at ${file}`);
  const calls = new Map<string, CassetteCall>();
  const samples = new Map<string, number>();
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const [i, text] of lines.entries()) {
    if (!text.trim()) continue;
    let parsed: z.ZodSafeParseResult<CassetteLine>;
    try {
      parsed = lineSchema.safeParse(JSON.parse(text));
    } catch {
      throw new UsageError(
        `${file}:${i + 1}: not JSON (a truncated last line means the recording was interrupted)`,
      );
    }
    if (!parsed.success) throw new UsageError(`${file}:${i + 1}: ${parsed.error.issues[0]?.message}`);
    const line = parsed.data;
    // A resumed recording may hold a call twice (answered, then re-asked after a crash): the last one wins.
    if (line.type === 'call') calls.set(line.key, line);
    else samples.set(line.sampleId, line.latencyMs);
  }
  return { file, calls, samples };
}
