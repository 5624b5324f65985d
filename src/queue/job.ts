import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CachedCompletion } from '../providers/types.js';
import type { SampleResult, TraceEvent } from '../store/records.js';

/** Default BullMQ queue of samples; runs are told apart by the run id inside each job. */
export const DEFAULT_QUEUE_NAME = 'baton-samples';

/** A global requests-per-second cap for one provider kind, shared by every worker through Redis. */
export const rateLimitSchema = z.object({ perSecond: z.number().positive(), burst: z.number().int().min(1) });
export type RateLimit = z.infer<typeof rateLimitSchema>;

/**
 * One sample to execute. A worker rebuilds the coordinator's context from the config file, and refuses
 * the job unless its own config hash (with the coordinator's `drop`) and the task's hash match.
 */
export const sampleJobSchema = z.object({
  version: z.literal(1),
  runId: z.string().min(1),
  /** The coordinator's config file: read by workers that were not given one (same machine or volume). */
  configFile: z.string().min(1),
  configHash: z.string().min(1),
  /** The coordinator's effective `drop` (config plus `--drop-agent`), part of the hash. */
  drop: z.array(z.string()),
  sampleId: z.string().min(1),
  configId: z.string().min(1),
  orchestratorId: z.string().min(1),
  family: z.string().min(1),
  suite: z.string().min(1),
  taskId: z.string().min(1),
  /** sha256 of the task as the coordinator loaded it: a worker whose suite file differs refuses. */
  taskHash: z.string().min(1),
  repeat: z.number().int().nonnegative(),
  index: z.number().int().nonnegative(),
  dropped: z.array(z.string()),
  /** Agent → planned position from which its calls fail (injected outages of the config). */
  outages: z.record(z.string(), z.number().int().nonnegative()),
  rateLimits: z.record(z.string(), rateLimitSchema),
  /** host:pid of the coordinator, for logs. */
  coordinator: z.string(),
});
export type SampleJob = z.infer<typeof sampleJobSchema>;

/**
 * What a worker returns: the executed sample, or `budget` when the (worker-local) budget cut it. The
 * result and trace are the runner's own types, produced by the same code; they are checked for shape
 * at the boundary (ids, status, an array of events), not re-validated field by field.
 */
const sampleResultSchema = z.custom<SampleResult>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { sampleId?: unknown }).sampleId === 'string' &&
    ['ok', 'error'].includes((v as { status?: unknown }).status as string),
  'not a sample result',
);
const traceEventSchema = z.custom<TraceEvent>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { step?: unknown }).step === 'number' &&
    typeof (v as { sampleId?: unknown }).sampleId === 'string' &&
    ['call', 'nested'].includes((v as { kind?: unknown }).kind as string),
  'not a trace event',
);
const completionSchema = z.custom<CachedCompletion>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { text?: unknown }).text === 'string',
  'not a completion',
);

export const sampleOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('executed'),
    worker: z.string(),
    result: sampleResultSchema,
    trace: z.array(traceEventSchema),
    /** Responses cached while executing: the coordinator copies them into the store's cache. */
    cache: z.array(z.tuple([z.string(), completionSchema])),
  }),
  z.object({ kind: z.literal('budget'), worker: z.string() }),
]);
export type SampleOutcome = z.infer<typeof sampleOutcomeSchema>;

/** A BullMQ job id (no ':' allowed) that is the same for a sample of a run in every session. */
export function jobIdFor(runId: string, sampleId: string): string {
  return `s-${createHash('sha256').update(`${runId}\u0000${sampleId}`).digest('hex').slice(0, 32)}`;
}

export function taskHash(task: unknown): string {
  return createHash('sha256').update(JSON.stringify(task)).digest('hex').slice(0, 16);
}

/** BullMQ's key prefix (its keys are `baton:<queue>:…`). */
export const BULL_PREFIX = 'baton';

/** Prefix of baton's own keys beside a queue's: per-sample caches and rate buckets. */
export function keyPrefix(queueName: string): string {
  return `baton:${queueName}`;
}
