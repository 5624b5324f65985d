import type { Command } from 'commander';
import { Option } from 'commander';
import { environmentWithDotEnv } from '../config/env.js';
import { DEFAULT_QUEUE_NAME } from '../queue/job.js';
import { UsageError } from '../util/errors.js';

/** `baton worker --queue redis://…`: executes samples that `baton run --queue` enqueues. */
export function addWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Execute samples from a Redis queue filled by `baton run <config> --queue <url>`')
    .requiredOption('--queue <url>', 'Redis URL, e.g. redis://localhost:6379')
    .option('--queue-name <name>', 'BullMQ queue name', DEFAULT_QUEUE_NAME)
    .option('--config <file>', "serve only this config's runs (default: the config file each job names)")
    .addOption(new Option('--concurrency <n>', 'samples executed at once').default('8'))
    .addOption(
      new Option(
        '--lock-ms <ms>',
        "job lock; a dead worker's samples are retried after about this long",
      ).default('30000'),
    )
    .action(
      async (opts: {
        queue: string;
        queueName: string;
        config?: string;
        concurrency: string;
        lockMs: string;
      }) => {
        const concurrency = positiveInt('--concurrency', opts.concurrency);
        const lockMs = positiveInt('--lock-ms', opts.lockMs);
        const { runWorker } = await import('../queue/worker.js');
        const worker = await runWorker({
          url: opts.queue,
          queueName: opts.queueName,
          concurrency,
          configFile: opts.config,
          lockMs,
          env: environmentWithDotEnv(process.env),
          log: (line) => process.stderr.write(`${line}\n`),
        });
        const stop = () => {
          process.stderr.write('worker: stopping after the samples in hand\n');
          void worker.stop();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await worker.done;
      },
    );
}

export function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag}: expected a positive integer, got '${value}'`);
  return n;
}
