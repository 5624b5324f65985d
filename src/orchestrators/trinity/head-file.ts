import { readFileSync, writeFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { z } from 'zod';
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

/** Reads a head file's metadata; throws a clear error for a file that is not a baton head. */
export function readHeadMeta(file: string): HeadMeta {
  return decodeHeadMeta(readFileSync(file), file);
}

export function decodeHeadMeta(bytes: Uint8Array, source: string): HeadMeta {
  let model: ReturnType<typeof onnx.ModelProto.decode>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch {
    throw new Error(`${source} is not an ONNX model`);
  }
  const entry = model.metadataProps.find((p) => p.key === META_KEY);
  if (!entry?.value) throw new Error(`${source} is not a baton TRINITY head (no ${META_KEY} metadata)`);
  const parsed = headMetaSchema.safeParse(JSON.parse(entry.value));
  if (!parsed.success) throw new Error(`${source}: bad head metadata: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
