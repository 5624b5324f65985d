import { readFileSync, writeFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { z } from 'zod';
import { UsageError } from '../../util/errors.js';
import { describeFault } from '../../util/storage-fault.js';
import { TRINITY_ROLES } from './roles.js';

// onnx-proto is CommonJS: Node's ESM loader exposes it as a default export only.
const { onnx } = onnxProto;

const META_KEY = 'baton.head';

/** What a head file says about itself (stored as ONNX metadata_props under `baton.head`). */
export const headMetaSchema = z.object({
  version: z.literal(1),
  /** Pool agent ids in the order of the agent logits. */
  agents: z.array(z.string()).min(1),
  featurizer: z.string(),
  dim: z.number().int().positive(),
  /** How the weights came about: 'hand-built', 'sep-cma-es', 'random-search'… */
  origin: z.string(),
  training: z.record(z.string(), z.unknown()).optional(),
  /**
   * The pool the weights were trained on: whether it was baton's simulated pool, and the model behind
   * each agent slot (`provider model`). Heads written before this field say so in `training.simulated` only.
   */
  trainedOn: z
    .object({ simulated: z.boolean(), models: z.record(z.string(), z.string()) })
    .strict()
    .optional(),
});

export type HeadMeta = z.infer<typeof headMetaSchema>;

/**
 * TRINITY's head as an ONNX graph: features [1, d] × W [d, L+3] (no bias) → Split → agent logits
 * [1, L] and role logits [1, 3].
 */
export function encodeHead(weights: Float32Array, meta: HeadMeta): Uint8Array {
  const outputs = meta.agents.length + TRINITY_ROLES.length;
  if (weights.length !== meta.dim * outputs) {
    throw new Error(
      `head weights: expected ${meta.dim}×${outputs} = ${meta.dim * outputs} values, got ${weights.length}`,
    );
  }
  const F = onnx.TensorProto.DataType.FLOAT;
  const I64 = onnx.TensorProto.DataType.INT64;
  const tensorInfo = (name: string, dims: number[]) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType: F, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
    });
  const graph = onnx.GraphProto.create({
    name: 'trinity_head',
    node: [
      onnx.NodeProto.create({ opType: 'MatMul', input: ['features', 'W'], output: ['logits'] }),
      onnx.NodeProto.create({
        opType: 'Split',
        input: ['logits', 'split'],
        output: ['agent_logits', 'role_logits'],
        attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
      }),
    ],
    initializer: [
      onnx.TensorProto.create({
        name: 'W',
        dataType: F,
        dims: [meta.dim, outputs],
        floatData: Array.from(weights),
      }),
      onnx.TensorProto.create({
        name: 'split',
        dataType: I64,
        dims: [2],
        int64Data: [meta.agents.length, TRINITY_ROLES.length],
      }),
    ],
    input: [tensorInfo('features', [1, meta.dim])],
    output: [
      tensorInfo('agent_logits', [1, meta.agents.length]),
      tensorInfo('role_logits', [1, TRINITY_ROLES.length]),
    ],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'baton',
    graph,
    metadataProps: [{ key: META_KEY, value: JSON.stringify(meta) }],
  });
  return onnx.ModelProto.encode(model).finish();
}

export function writeHead(file: string, weights: Float32Array, meta: HeadMeta): void {
  writeFileSync(file, encodeHead(weights, meta));
}

/**
 * True when the head's weights were trained on baton's simulated pool (its choices then reflect the
 * simulated agents' configured skills, not any real model's); undefined when the metadata does not say.
 */
export function trainedOnSimulatedPool(meta: HeadMeta): boolean | undefined {
  if (meta.trainedOn) return meta.trainedOn.simulated;
  const simulated = meta.training?.simulated;
  return typeof simulated === 'boolean' ? simulated : undefined;
}

/** A head file's bytes; a missing or unreadable file is bad input (exit 2), named. */
export function readHeadBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(`head file ${file} does not exist`);
    throw new UsageError(`head file ${file} cannot be read: ${describeFault(err)}`);
  }
}

/** Reads a head file's metadata; throws a clear error for a file that is not a baton head. */
export function readHeadMeta(file: string): HeadMeta {
  return decodeHeadMeta(readHeadBytes(file), file);
}

export function decodeHeadMeta(bytes: Uint8Array, source: string): HeadMeta {
  let model: ReturnType<typeof onnx.ModelProto.decode>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch {
    throw new UsageError(`${source} is not an ONNX model`);
  }
  const entry = model.metadataProps.find((p) => p.key === META_KEY);
  if (!entry?.value) throw new UsageError(`${source} is not a baton TRINITY head (no ${META_KEY} metadata)`);
  let json: unknown;
  try {
    json = JSON.parse(entry.value);
  } catch {
    throw new UsageError(`${source}: bad head metadata: ${META_KEY} is not JSON`);
  }
  const parsed = headMetaSchema.safeParse(json);
  if (!parsed.success)
    throw new UsageError(`${source}: bad head metadata: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
