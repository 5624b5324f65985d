import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { decodeHeadMeta, type HeadMeta } from './head-file.js';
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

export function loadHead(file: string): Promise<Head> {
  return headFromBytes(readFileSync(file), file);
}

/** A head from ONNX bytes (training evaluates candidates without writing files). */
export async function headFromBytes(bytes: Uint8Array, file: string): Promise<Head> {
  const meta = decodeHeadMeta(bytes, file);
  const session = await ort.InferenceSession.create(bytes);
  return {
    meta,
    async run(features) {
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
    },
  };
}
