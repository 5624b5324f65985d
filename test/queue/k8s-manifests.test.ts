import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadRunConfig } from '../../src/config/load.js';
import { apiKeyEnvNames, workerManifests } from '../../src/k8s/manifests.js';
import { validateManifests } from '../../src/k8s/validate.js';
import { runCli } from '../cli/cli-process.js';
import { configCopy, demoConfigCopy } from '../runner/helpers.js';

const options = {
  image: 'baton:test',
  sandboxImage: 'baton-python:1',
  replicas: 3,
  concurrency: 4,
  secretName: 'keys',
  redisImage: 'redis:7',
};

describe('baton k8s manifests', () => {
  it('writes objects that pass the offline check against the Kubernetes API models', async () => {
    const { file } = demoConfigCopy();
    const objects = workerManifests(await loadRunConfig(file), options);
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'Deployment', 'Service', 'Deployment']);
    expect(await validateManifests(objects)).toEqual([]);
  });

  it('catches an unknown field, a wrongly typed value and a selector that matches no pod', async () => {
    const { file } = demoConfigCopy();
    const [, redis] = workerManifests(await loadRunConfig(file), options) as Record<string, never>[];
    const broken = JSON.parse(JSON.stringify(redis));
    broken.spec.replica = 2;
    broken.spec.template.spec.containers[0].ports[0].containerPort = '6379';
    broken.spec.selector.matchLabels.extra = 'x';
    const problems = (await validateManifests([broken])).map((p) => p.path);
    expect(problems).toContain('.spec.replica');
    expect(problems).toContain('.spec.template.spec.containers[0].ports[0].containerPort');
    expect(problems).toContain('spec.template.metadata.labels');
  });

  it('references API keys by Secret name and key, never by value', async () => {
    const { file } = configCopy('paper-pool.yaml');
    const config = await loadRunConfig(file);
    const keys = apiKeyEnvNames(config);
    const names = keys.map((k) => k.name);
    // Gemini's two names are alternatives (the Secret may hold either); a sole name is required.
    expect(keys.filter((k) => k.optional).map((k) => k.name)).toEqual(['GEMINI_API_KEY', 'GOOGLE_API_KEY']);
    expect(names.length).toBeGreaterThan(0);
    const secret = 'sk-test-never-inlined';
    const env = Object.fromEntries(names.map((n) => [n, secret]));
    const out = await runCli(['k8s', 'manifests', file, '--secret', 'keys'], env);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).not.toContain(secret);
    const docs = parseAllDocuments(out.stdout).map((d) => d.toJS());
    const worker = docs.find((d) => d.kind === 'Deployment' && d.metadata.labels.component === 'worker');
    const refs = worker.spec.template.spec.containers[0].env.filter(
      (e: { valueFrom?: unknown }) => e.valueFrom,
    );
    expect(refs.map((e: { name: string }) => e.name).sort()).toEqual(names);
    for (const e of refs) {
      const optional = keys.find((k) => k.name === e.name)?.optional ? { optional: true } : {};
      expect(e.valueFrom.secretKeyRef).toEqual({ name: 'keys', key: e.name, ...optional });
    }
    expect(await validateManifests(docs)).toEqual([]);
  });
});
