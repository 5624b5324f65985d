import * as ort from 'onnxruntime-node';
import { UsageError } from '../../util/errors.js';
import { decodeHeadMeta, type HeadMeta, readHeadBytes } from './head-file.js';
import { TRINITY_ROLES } from './roles.js';

export interface HeadOutput {
  agentLogits: Float32Array;
  roleLogits: Float32Array;
}

/** A loaded TRINITY head: features in, agent and role logits out (onnxruntime-node, CPU). */
export interface Head {
  readonly meta: HeadMeta;
  run(features: Float32Array): Promise<HeadOutput>;
}

/** Loads a head file; a missing file, a file that is not a baton head or one onnxruntime refuses is bad input. */
export function loadHead(file: string): Promise<Head> {
  return headFromBytes(readHeadBytes(file), file);
}

/** A head from ONNX bytes (training evaluates candidates without writing files). */
export async function headFromBytes(bytes: Uint8Array, file: string): Promise<Head> {
  const meta = decodeHeadMeta(bytes, file);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new UsageError(`${file} does not load in onnxruntime: ${reason}`);
  }
  const run = async (features: Float32Array): Promise<HeadOutput> => {
    if (features.length !== meta.dim)
      throw new Error(`head expects ${meta.dim} features, got ${features.length}`);
    const out = await session.run({ features: new ort.Tensor('float32', features, [1, meta.dim]) });
    const agentLogits = out.agent_logits?.data;
    const roleLogits = out.role_logits?.data;
    if (!(agentLogits instanceof Float32Array) || !(roleLogits instanceof Float32Array)) {
      throw new Error(`${file}: head outputs agent_logits/role_logits missing`);
    }
    if (agentLogits.length !== meta.agents.length || roleLogits.length !== TRINITY_ROLES.length) {
      throw new Error(`${file}: head output sizes do not match its metadata`);
    }
    return { agentLogits, roleLogits };
  };
  // One run on zeros at load: a graph whose input or outputs do not match its metadata is refused now,
  // before any call is bought, not at the first turn of the first sample.
  try {
    await run(new Float32Array(meta.dim));
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new UsageError(`${file} does not run as a ${meta.dim}-feature TRINITY head: ${reason}`);
  }
  return { meta, run };
}
