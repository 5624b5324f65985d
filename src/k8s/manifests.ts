import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { V1ConfigMap, V1Container, V1Deployment, V1EnvVar, V1Service } from '@kubernetes/client-node';
import type { LoadedConfig } from '../config/load.js';
import { memberApiKeyNames } from '../providers/registry.js';
import { DEFAULT_QUEUE_NAME } from '../queue/job.js';

export interface ManifestOptions {
  /** Image holding baton (the package at /app) and its suites. */
  image: string;
  /** Tag of the sandbox image the workers' Docker engine must hold (sandboxes/IMAGE). */
  sandboxImage: string;
  replicas: number;
  /** Samples per worker pod. */
  concurrency: number;
  /** Secret holding the pool's API keys, one entry per environment variable name. */
  secretName: string;
  redisImage: string;
  queueName?: string;
  /** Where the config is mounted: its relative suite paths resolve from here (default /app/configs). */
  configDir?: string;
  namespace?: string;
}

export type Manifest = V1ConfigMap | V1Deployment | V1Service;

const APP = 'baton';

/**
 * The environment variables of the pool's API keys, as each provider definition declares them (a
 * member's `apiKeyEnv`, else its provider's defaults; plugins' providers included). `optional`: one of
 * several names a member tries (Gemini's two), so the Secret may lack it; a sole name is required.
 */
export function apiKeyEnvNames(config: LoadedConfig): { name: string; optional: boolean }[] {
  const required = new Map<string, boolean>();
  for (const agent of config.pool) {
    if (config.drop.includes(agent.id)) continue;
    const names = memberApiKeyNames(agent);
    for (const name of names) required.set(name, required.get(name) === true || names.length === 1);
  }
  return [...required]
    .map(([name, isRequired]) => ({ name, optional: !isRequired }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A worker Deployment, a Redis Deployment + Service, and a ConfigMap with the run config. Secrets are
 * referenced by name only (`secretKeyRef`), never written here. The worker pod runs a Docker engine
 * sidecar (dind, privileged: it is the sandbox's isolation boundary) that must hold the sandbox image.
 */
export function workerManifests(config: LoadedConfig, opts: ManifestOptions): Manifest[] {
  const ns = opts.namespace ? { namespace: opts.namespace } : {};
  const configDir = opts.configDir ?? '/app/configs';
  const configName = basename(config.file);
  const queueName = opts.queueName ?? DEFAULT_QUEUE_NAME;
  const redisLabels = { app: APP, component: 'redis' };
  const workerLabels = { app: APP, component: 'worker', 'baton.dev/config': config.name };
  const keys: V1EnvVar[] = apiKeyEnvNames(config).map(({ name, optional }) => ({
    name,
    valueFrom: { secretKeyRef: { name: opts.secretName, key: name, ...(optional ? { optional } : {}) } },
  }));
  const worker: V1Container = {
    name: 'worker',
    image: opts.image,
    workingDir: '/app',
    args: [
      'worker',
      '--queue',
      `redis://${APP}-redis:6379`,
      '--queue-name',
      queueName,
      '--config',
      `${configDir}/${configName}`,
      '--concurrency',
      String(opts.concurrency),
    ],
    env: [...keys, { name: 'DOCKER_HOST', value: 'tcp://127.0.0.1:2375' }],
    resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
    volumeMounts: [{ name: 'config', mountPath: configDir, readOnly: true }],
  };
  const engine: V1Container = {
    name: 'sandbox-engine',
    image: 'docker:27-dind',
    securityContext: { privileged: true },
    // No TLS inside the pod: the engine listens on localhost only to the worker container.
    env: [{ name: 'DOCKER_TLS_CERTDIR', value: '' }],
    args: ['--host=tcp://127.0.0.1:2375'],
    resources: {
      requests: { cpu: '1', memory: '1Gi' },
      limits: { cpu: String(Math.max(2, config.scoring.poolSize ?? 2)), memory: '4Gi' },
    },
    volumeMounts: [{ name: 'docker-data', mountPath: '/var/lib/docker' }],
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${APP}-config-${config.name}`.toLowerCase(), labels: { app: APP }, ...ns },
      data: { [configName]: readFileSync(config.file, 'utf8') },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `${APP}-redis`, labels: redisLabels, ...ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: redisLabels },
        template: {
          metadata: { labels: redisLabels },
          spec: {
            containers: [
              {
                name: 'redis',
                image: opts.redisImage,
                // The queue is working state: the run store (on the coordinator) is the record.
                args: ['--save', '', '--appendonly', 'no'],
                ports: [{ containerPort: 6379, name: 'redis' }],
                resources: {
                  requests: { cpu: '250m', memory: '256Mi' },
                  limits: { cpu: '1', memory: '1Gi' },
                },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `${APP}-redis`, labels: redisLabels, ...ns },
      spec: { selector: redisLabels, ports: [{ name: 'redis', port: 6379, targetPort: 'redis' }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: `${APP}-worker-${config.name}`.toLowerCase(),
        labels: workerLabels,
        annotations: { 'baton.dev/sandbox-image': opts.sandboxImage, 'baton.dev/config-hash': config.hash },
        ...ns,
      },
      spec: {
        replicas: opts.replicas,
        selector: { matchLabels: workerLabels },
        template: {
          metadata: { labels: workerLabels },
          spec: {
            // SIGTERM lets a worker finish the samples in hand; a killed one's samples are retried anyway.
            terminationGracePeriodSeconds: 600,
            containers: [worker, engine],
            volumes: [
              { name: 'config', configMap: { name: `${APP}-config-${config.name}`.toLowerCase() } },
              { name: 'docker-data', emptyDir: {} },
            ],
          },
        },
      },
    },
  ];
}
