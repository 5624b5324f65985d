import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';

import { loadRunConfig } from '../config/load.js';
import { DEFAULT_QUEUE_NAME } from '../queue/job.js';
import { sandboxImage } from '../sandbox/docker/image.js';
import { positiveInt } from './worker-command.js';

/** `baton k8s manifests <config>`: Kubernetes objects for a worker fleet, checked offline before writing. */
export function addK8sCommands(program: Command): void {
  const k8s = program.command('k8s').description('Kubernetes manifests for distributed runs');
  k8s
    .command('manifests')
    .description('Write a worker Deployment, Redis Deployment + Service and a config ConfigMap (YAML)')
    .argument('<config>', 'run config (YAML)')
    .option('--out <dir>', 'directory to write k8s.yaml into (default: print)')
    .option('--image <image>', 'image with baton installed at /app', 'baton:0.1.0')
    .option('--replicas <n>', 'worker pods', '3')
    .option('--concurrency <n>', 'samples per worker pod', '8')
    .option('--secret <name>', 'Secret holding the API keys (one key per env var name)', 'baton-api-keys')
    .option('--redis-image <image>', 'Redis image', 'redis:7')
    .option('--queue-name <name>', 'BullMQ queue name', DEFAULT_QUEUE_NAME)
    .option('--namespace <ns>', 'namespace of every object')
    .action(
      async (
        file: string,
        opts: {
          out?: string;
          image: string;
          replicas: string;
          concurrency: string;
          secret: string;
          redisImage: string;
          queueName: string;
          namespace?: string;
        },
      ) => {
        const config = await loadRunConfig(file);
        const [{ workerManifests }, { validateManifests }] = await Promise.all([
          import('../k8s/manifests.js'),
          import('../k8s/validate.js'),
        ]);
        const objects = workerManifests(config, {
          image: opts.image,
          sandboxImage: sandboxImage(),
          replicas: positiveInt('--replicas', opts.replicas),
          concurrency: positiveInt('--concurrency', opts.concurrency),
          secretName: opts.secret,
          redisImage: opts.redisImage,
          queueName: opts.queueName,
          ...(opts.namespace ? { namespace: opts.namespace } : {}),
        });
        const problems = await validateManifests(objects);
        if (problems.length > 0)
          throw new Error(
            `generated manifests fail the offline API check:\n${problems.map((p) => `  ${p.object} ${p.path}: ${p.message}`).join('\n')}`,
          );
        const text = objects.map((o) => stringify(o)).join('---\n');
        if (!opts.out) {
          process.stdout.write(text);
          return;
        }
        mkdirSync(opts.out, { recursive: true });
        const target = join(opts.out, 'k8s.yaml');
        writeFileSync(target, text);
        process.stderr.write(
          `wrote ${target}: ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')} (checked against the Kubernetes API models offline)\n`,
        );
      },
    );
}
