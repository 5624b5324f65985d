import { hostname } from 'node:os';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { configHash, type LoadedConfig, loadRunConfig } from '../config/load.js';
import { AdaptiveLimiter } from '../runner/aimd.js';
import { BudgetGuard } from '../runner/budget.js';
import { executeSample } from '../runner/execute-sample.js';
import type { ConfiguredOrchestrator } from '../runner/orchestrators.js';
import { type RunSetup, setUpRun } from '../runner/setup.js';
import type { Sandbox } from '../sandbox/types.js';
import { openScoring } from '../scoring/open.js';
import type { Scorer } from '../scoring/types.js';
import type { Task } from '../suites/types.js';
import {
  BULL_PREFIX,
  keyPrefix,
  type SampleJob,
  type SampleOutcome,
  sampleJobSchema,
  taskHash,
} from './job.js';
import { GloballyRateLimited, RedisTokenBucket } from './rate-limit.js';
import { connectRedis } from './redis.js';
import { SampleCache, sampleCacheKey } from './sample-cache.js';

export interface WorkerOptions {
  url: string;
  queueName: string;
  /** Samples this process executes at once. */
  concurrency: number;
  /** Serve only jobs of this config (else: load the config file each job names, same machine or volume). */
  configFile?: string | undefined;
  /**
   * How long a job's lock lasts without renewal: a killed worker's jobs go back to the queue after
   * about this long (BullMQ stalled-job detection, checked every lockMs / 2).
   */
  lockMs: number;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/** Everything a worker builds once per config: the coordinator's setup, reproduced, and its scoring. */
interface ConfigContext {
  setup: RunSetup;
  /** `suite\u0000taskId` → task. */
  tasks: Map<string, Task>;
  orchestrators: Map<string, ConfiguredOrchestrator>;
  sandbox: Sandbox;
  scorer: Scorer;
}

/** `baton worker`: executes samples from the queue until told to stop; resolves once stopped. */
export async function runWorker(
  opts: WorkerOptions,
): Promise<{ stop(): Promise<void>; done: Promise<void> }> {
  const name = `${hostname()}:${process.pid}`;
  const prefix = keyPrefix(opts.queueName);
  const redis = connectRedis(opts.url);
  const pinned = opts.configFile ? await loadRunConfig(opts.configFile) : undefined;
  const contexts = new Map<string, Promise<ConfigContext>>();

  const contextFor = (job: SampleJob): Promise<ConfigContext> => {
    const key = `${job.configHash}\u0000${JSON.stringify(job.rateLimits)}`;
    let ctx = contexts.get(key);
    if (!ctx) {
      ctx = buildContext(job, pinned, opts, redis, prefix);
      contexts.set(key, ctx);
      // A context that failed to build (a missing key, a refused config) is not cached: the next job retries.
      ctx.catch(() => contexts.delete(key));
    }
    return ctx;
  };

  const process_ = async (job: Job): Promise<SampleOutcome> => {
    const parsed = sampleJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`not a baton sample job: ${parsed.error.message}`);
    const data = parsed.data;
    const ctx = await contextFor(data);
    const task = ctx.tasks.get(`${data.suite}\u0000${data.taskId}`);
    if (!task || taskHash(task) !== data.taskHash)
      throw new Error(
        `worker ${name} refuses ${data.sampleId}: task ${data.suite}/${data.taskId} differs from the coordinator's (suite file changed?)`,
      );
    const built = ctx.orchestrators.get(data.configId);
    if (!built) throw new Error(`worker ${name}: no orchestrator '${data.configId}' in its config`);
    const cache = await SampleCache.load(redis, sampleCacheKey(opts.queueName, data.runId, data.sampleId));
    const executed = await executeSample(
      {
        sampleId: data.sampleId,
        configId: data.configId,
        orchestratorId: data.orchestratorId,
        family: data.family,
        orchestrator: built.orchestrator,
        task,
        repeat: data.repeat,
        index: data.index,
        dropped: new Set(data.dropped),
      },
      {
        config: ctx.setup.config,
        clients: ctx.setup.clients,
        limiters: ctx.setup.limiters,
        scrub: ctx.setup.scrub,
        // The coordinator stamps its own session number when it records the sample.
        session: 0,
        // budget.usd is enforced by the coordinator per sample (see docs/distributed.md).
        budget: new BudgetGuard(undefined),
        cache,
        scorer: ctx.scorer,
        sandbox: ctx.sandbox,
        orchestrators: new Map([...ctx.orchestrators].map(([id, o]) => [id, o.orchestrator])),
        outages: new Map(Object.entries(data.outages)),
      },
    );
    if (!executed) return { kind: 'budget', worker: name };
    return {
      kind: 'executed',
      worker: name,
      result: executed.result,
      trace: executed.trace,
      cache: cache.all(),
    };
  };

  const workerRedis = connectRedis(opts.url);
  const worker = new Worker(opts.queueName, process_, {
    connection: workerRedis,
    prefix: BULL_PREFIX,
    concurrency: opts.concurrency,
    lockDuration: opts.lockMs,
    stalledInterval: Math.max(500, Math.floor(opts.lockMs / 2)),
    // A sample whose worker keeps dying (a sample that crashes its host?) fails after this many stalls.
    maxStalledCount: 5,
  });
  worker.on('failed', (job, err) => opts.log(`worker ${name}: job ${job?.id ?? '?'} failed: ${err.message}`));
  worker.on('error', (err) => opts.log(`worker ${name}: ${err.message}`));
  await worker.waitUntilReady();
  opts.log(`worker ${name}: serving queue ${opts.queueName} (concurrency ${opts.concurrency})`);

  let stopping: Promise<void> | undefined;
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const stop = () => {
    stopping ??= (async () => {
      // Finish the samples in hand, then release the providers and sandboxes.
      await worker.close();
      for (const ctx of contexts.values()) {
        const built = await ctx.catch(() => undefined);
        await built?.setup.close();
        await built?.sandbox.close();
      }
      opts.log(`worker ${name}: stopped`);
      redis.disconnect();
      workerRedis.disconnect();
      finished();
    })();
    return stopping;
  };
  return { stop, done };
}

async function buildContext(
  job: SampleJob,
  pinned: LoadedConfig | undefined,
  opts: WorkerOptions,
  redis: Redis,
  prefix: string,
): Promise<ConfigContext> {
  const loaded = pinned ?? (await loadRunConfig(job.configFile));
  // The coordinator's config is the file plus its `--drop-agent`s; `output` is not part of the hash.
  const withDrop = { ...loaded, drop: job.drop };
  const hash = configHash(withDrop);
  if (hash !== job.configHash)
    throw new Error(
      `refusing run ${job.runId}: config hash ${hash} of ${loaded.file} differs from the coordinator's ${job.configHash}`,
    );
  const config = { ...withDrop, hash };
  const aimd = config.providerConcurrency;
  // With a rate limit for the agent's provider kind, every request also takes a token from that
  // provider's bucket in Redis, shared by all workers.
  const setup = await setUpRun(config, {
    env: opts.env,
    limiter: (agent) => {
      const rate = job.rateLimits[agent.provider];
      return rate
        ? new GloballyRateLimited(aimd, new RedisTokenBucket(redis, `${prefix}:rate:${agent.provider}`, rate))
        : new AdaptiveLimiter(aimd);
    },
  });
  try {
    const { sandbox, scorer } = await openScoring(config.scoring);
    return {
      setup,
      tasks: new Map(setup.tasks.map((t) => [`${t.suite}\u0000${t.id}`, t])),
      orchestrators: new Map(setup.orchestrators.map((o) => [o.id, o])),
      sandbox,
      scorer,
    };
  } catch (err) {
    await setup.close();
    throw err;
  }
}
