import { hostname } from 'node:os';
import { type Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { LoadedConfig } from '../config/load.js';
import type { ExecutedSample, RemoteContext, RemoteExecutor } from '../runner/execute-sample.js';
import type { PlannedSample } from '../runner/plan.js';
import type { Sandbox } from '../sandbox/types.js';
import { answerReader } from '../scoring/answers.js';
import type { Scorer } from '../scoring/types.js';
import { RunFault } from '../util/errors.js';
import {
  BULL_PREFIX,
  jobIdFor,
  type RateLimit,
  type SampleJob,
  type SampleOutcome,
  sampleOutcomeSchema,
  taskHash,
} from './job.js';
import { connectRedis } from './redis.js';
import { sampleCacheKey } from './sample-cache.js';

export interface CoordinatorOptions {
  url: string;
  queueName: string;
  config: LoadedConfig;
  rateLimits: Record<string, RateLimit>;
  /** Tries per job before the run stops (a worker refusing the config, a crash inside BullMQ's processor). */
  attempts?: number;
}

/**
 * `baton run --queue`: each planned sample becomes one BullMQ job with a stable id per (run, sample),
 * the coordinator waits for its return value and the runner records it as if it ran here.
 *
 * Exactly once in the store: a job completes once (BullMQ moves a stalled job back to the queue and a
 * late completion from the worker that lost the lock is rejected), each sample is awaited once per
 * session, and a completion seen again (a resumed coordinator finding a job already done) is recorded
 * only if the store does not have that sample yet. The store's primary key does the rest.
 */
export class QueueCoordinator implements RemoteExecutor {
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly redis: Redis;
  private readonly eventsRedis: Redis;
  private readonly duplicates: string[] = [];

  constructor(private readonly opts: CoordinatorOptions) {
    this.redis = connectRedis(opts.url);
    this.queue = new Queue(opts.queueName, { connection: this.redis, prefix: BULL_PREFIX });
    // QueueEvents blocks on Redis: it needs its own connection.
    this.eventsRedis = connectRedis(opts.url);
    this.events = new QueueEvents(opts.queueName, { connection: this.eventsRedis, prefix: BULL_PREFIX });
  }

  /** Completions seen for samples already recorded (counted, never recorded again). */
  get ignoredDuplicates(): readonly string[] {
    return this.duplicates;
  }

  async execute(sample: PlannedSample, ctx: RemoteContext): Promise<ExecutedSample | undefined> {
    const jobId = jobIdFor(ctx.runId, sample.sampleId);
    const stale = await this.queue.getJob(jobId);
    if (stale) {
      // A job left by an earlier session. Finished and not in the store: the coordinator died before
      // recording it, so its result is reused. Failed, or an error already recorded (a resume retries
      // errors): start again.
      const state = await stale.getState();
      if (state === 'failed' || (state === 'completed' && ctx.store.sample(sample.sampleId)))
        await stale.remove();
    }
    const job = await this.queue.add('sample', this.jobData(sample, ctx), {
      jobId,
      attempts: this.opts.attempts ?? 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: false,
      removeOnFail: false,
    });
    let returned: unknown;
    try {
      returned = await (job as Job).waitUntilFinished(this.events);
    } catch (err) {
      throw new RunFault(
        `sample ${sample.sampleId} failed on the queue after its attempts: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const outcome: SampleOutcome = sampleOutcomeSchema.parse(returned);
    if (outcome.kind === 'budget') return undefined;
    if (ctx.store.finishedSampleIds().has(sample.sampleId)) {
      this.duplicates.push(sample.sampleId);
      return undefined;
    }
    for (const [key, completion] of outcome.cache) ctx.store.cacheResponse(key, completion);
    // The worker does not know which session of the run this is.
    return { result: { ...outcome.result, session: ctx.session }, trace: outcome.trace };
  }

  /** The sample is in the store: its job and its per-sample cache can go. */
  recorded(sample: PlannedSample, ctx: RemoteContext): void {
    const jobId = jobIdFor(ctx.runId, sample.sampleId);
    void this.queue
      .remove(jobId)
      .then(() => this.redis.del(sampleCacheKey(this.opts.queueName, ctx.runId, sample.sampleId)))
      .catch((err: unknown) =>
        process.stderr.write(`queue: could not remove job ${jobId}: ${String(err)}\n`),
      );
  }

  private jobData(sample: PlannedSample, ctx: RemoteContext): SampleJob {
    const { config } = this.opts;
    return {
      version: 1,
      runId: ctx.runId,
      configFile: config.file,
      configHash: config.hash,
      drop: config.drop,
      sampleId: sample.sampleId,
      configId: sample.configId,
      orchestratorId: sample.orchestratorId,
      family: sample.family,
      suite: sample.task.suite,
      taskId: sample.task.id,
      taskHash: taskHash(sample.task),
      repeat: sample.repeat,
      index: sample.index,
      dropped: [...sample.dropped],
      outages: Object.fromEntries(ctx.outages),
      rateLimits: this.opts.rateLimits,
      coordinator: `${hostname()}:${process.pid}`,
    };
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
    this.redis.disconnect();
    this.eventsRedis.disconnect();
  }
}

/** The coordinator grades nothing: scoring happens on the workers, each with its own sandbox pool. */
export function remoteScoring(): { sandbox: Sandbox; scorer: Scorer } {
  const refuse = () => Promise.reject(new Error('scoring runs on queue workers, not on the coordinator'));
  return {
    sandbox: { isolation: 'none', run: refuse, close: async () => {} },
    // Orchestrators still read answers here (a vote), exactly as the workers' scorers would.
    scorer: { ...answerReader, score: refuse },
  };
}
