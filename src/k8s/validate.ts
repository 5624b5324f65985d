/**
 * Offline check of generated manifests against the Kubernetes API models that ship with
 * @kubernetes/client-node (generated from the Kubernetes OpenAPI spec). What it covers, per object:
 * 1. every field, at every depth, is one the API model declares (an unknown or misspelt field fails);
 * 2. every value has the declared type: string, number, boolean, Date, arrays, string maps, nested
 *    models, IntOrString (string or number);
 * 3. a round trip through the library's ObjectSerializer gives the object back unchanged;
 * 4. the fields the API server requires for these kinds (metadata.name, a Deployment's selector that
 *    matches its template's labels, containers with name and image, Service ports, and the name of
 *    every referenced Secret/ConfigMap).
 * What it does not cover: OpenAPI validation rules beyond types (formats, enums, quantities' syntax),
 * admission policies of a real cluster, and whether the images exist.
 */
type Model = { getAttributeTypeMap(): { name: string; baseName: string; type: string }[] };
type Models = Record<string, unknown>;
type Serializer = {
  serialize(data: unknown, type: string, format: string): unknown;
  deserialize(data: unknown, type: string, format: string): unknown;
};

/** Kind → model name of the objects `baton k8s manifests` writes. */
const MODEL_OF: Record<string, string> = {
  Deployment: 'V1Deployment',
  Service: 'V1Service',
  ConfigMap: 'V1ConfigMap',
  Job: 'V1Job',
};

export interface ManifestProblem {
  object: string;
  path: string;
  message: string;
}

export async function validateManifests(objects: readonly unknown[]): Promise<ManifestProblem[]> {
  const models = (await import('@kubernetes/client-node')) as unknown as Models;
  const { ObjectSerializer } = (await import(
    '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js'
  )) as {
    ObjectSerializer: Serializer;
  };
  const problems: ManifestProblem[] = [];
  for (const object of objects) {
    const o = object as { kind?: unknown; metadata?: { name?: unknown } };
    const label = `${String(o.kind)}/${String(o.metadata?.name)}`;
    const modelName = typeof o.kind === 'string' ? MODEL_OF[o.kind] : undefined;
    if (!modelName) {
      problems.push({ object: label, path: 'kind', message: `not a kind baton writes: ${String(o.kind)}` });
      continue;
    }
    const add = (path: string, message: string) => problems.push({ object: label, path, message });
    checkValue(object, modelName, '', models, add);
    const roundTrip = ObjectSerializer.serialize(
      ObjectSerializer.deserialize(object, modelName, ''),
      modelName,
      '',
    );
    if (JSON.stringify(sortKeys(roundTrip)) !== JSON.stringify(sortKeys(object)))
      add('', 'changes in a round trip through ObjectSerializer');
    requiredFields(object, add);
  }
  return problems;
}

function checkValue(
  value: unknown,
  type: string,
  path: string,
  models: Models,
  add: (p: string, m: string) => void,
) {
  if (value === undefined || value === null) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) return add(path, `expected an array (${type})`);
    for (const [i, v] of value.entries()) checkValue(v, array[1] as string, `${path}[${i}]`, models, add);
    return;
  }
  if (type.startsWith('{ [key: string]: ')) {
    const inner = type.slice('{ [key: string]: '.length, -'; }'.length);
    if (typeof value !== 'object' || Array.isArray(value)) return add(path, `expected a map (${type})`);
    for (const [k, v] of Object.entries(value)) checkValue(v, inner, `${path}.${k}`, models, add);
    return;
  }
  if (type === 'string' || type === 'number' || type === 'boolean') {
    if (typeof value !== type) add(path, `expected ${type}, got ${typeof value}`);
    return;
  }
  if (type === 'IntOrString') {
    if (typeof value !== 'string' && typeof value !== 'number') add(path, 'expected an int or a string');
    return;
  }
  if (type === 'Date' || type === 'any' || type === 'object') return;
  const model = models[type] as Model | undefined;
  if (!model?.getAttributeTypeMap) return add(path, `no API model named ${type}`);
  if (typeof value !== 'object' || Array.isArray(value)) return add(path, `expected an object (${type})`);
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, v] of Object.entries(value)) {
    const declared = attributes.get(key);
    if (!declared) add(`${path}.${key}`, `${type} has no field '${key}'`);
    else checkValue(v, declared, `${path}.${key}`, models, add);
  }
}

/** What the API server rejects although the types allow it (the OpenAPI "required" lists, and selectors). */
function requiredFields(object: unknown, add: (p: string, m: string) => void): void {
  // biome-ignore lint/suspicious/noExplicitAny: walking an arbitrary manifest after the type check above.
  const o = object as any;
  if (!o.apiVersion) add('apiVersion', 'required');
  if (!o.metadata?.name) add('metadata.name', 'required');
  const podSpec = o.kind === 'Deployment' || o.kind === 'Job' ? o.spec?.template?.spec : undefined;
  if (o.kind === 'Deployment') {
    const selector = o.spec?.selector?.matchLabels ?? {};
    const labels = o.spec?.template?.metadata?.labels ?? {};
    if (Object.keys(selector).length === 0) add('spec.selector', 'required');
    for (const [k, v] of Object.entries(selector))
      if (labels[k] !== v) add('spec.template.metadata.labels', `does not match selector ${k}=${String(v)}`);
  }
  if (podSpec) {
    const containers = [...(podSpec.containers ?? []), ...(podSpec.initContainers ?? [])];
    if ((podSpec.containers ?? []).length === 0) add('spec.template.spec.containers', 'required');
    for (const [i, c] of containers.entries()) {
      if (!c.name) add(`containers[${i}].name`, 'required');
      if (!c.image) add(`containers[${i}].image`, 'required');
      for (const [j, e] of (c.env ?? []).entries()) {
        if (!e.name) add(`containers[${i}].env[${j}].name`, 'required');
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && (!ref.name || !ref.key))
          add(`containers[${i}].env[${j}].valueFrom.secretKeyRef`, 'name and key required');
      }
      for (const [j, e] of (c.envFrom ?? []).entries())
        if (e.secretRef && !e.secretRef.name)
          add(`containers[${i}].envFrom[${j}].secretRef.name`, 'required');
    }
    for (const [i, v] of (podSpec.volumes ?? []).entries())
      if (!v.name) add(`volumes[${i}].name`, 'required');
  }
  if (o.kind === 'Service') {
    const ports = o.spec?.ports ?? [];
    if (ports.length === 0) add('spec.ports', 'required');
    for (const [i, p] of ports.entries())
      if (typeof p.port !== 'number') add(`spec.ports[${i}].port`, 'required');
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return value;
}
