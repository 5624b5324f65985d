import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';
import { type Featurizer, type TurnState, transcriptText } from './types.js';

/** Keep the most recent tokens: the head reads the end of the transcript. */
const MAX_TOKENS = 4096;

/**
 * A language-model backbone exported to ONNX (e.g. Qwen3-0.6B, d = 1024, as TRINITY uses) in a
 * local directory holding `model.onnx`, `tokenizer.json` and `tokenizer_config.json`. The feature
 * vector is the final hidden state at the *penultimate* token — TRINITY reports a large drop when
 * the last token is used instead.
 */
export async function loadBackboneFeaturizer(dir: string): Promise<Featurizer> {
  const tokenizer = new Tokenizer(
    JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as object,
    JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as object,
  );
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
  const chosen = session.outputNames.includes('last_hidden_state')
    ? 'last_hidden_state'
    : session.outputNames[0];
  if (chosen === undefined) throw new Error(`${dir}/model.onnx has no outputs`);
  const outputName: string = chosen;

  async function hidden(ids: number[]): Promise<{ data: Float32Array; dim: number }> {
    const n = ids.length;
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) {
      if (name === 'input_ids')
        feeds[name] = new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]);
      else if (name === 'attention_mask')
        feeds[name] = new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]);
      else if (name === 'position_ids')
        feeds[name] = new ort.Tensor(
          'int64',
          BigInt64Array.from({ length: n }, (_, i) => BigInt(i)),
          [1, n],
        );
      else throw new Error(`${dir}/model.onnx needs an input baton does not provide: ${name}`);
    }
    const out = (await session.run(feeds))[outputName];
    if (!out || !(out.data instanceof Float32Array) || out.dims.length !== 3) {
      throw new Error(`${dir}/model.onnx: ${outputName} is not a float tensor [1, tokens, d]`);
    }
    return { data: out.data, dim: Number(out.dims[2]) };
  }

  const probe = await hidden([0, 0]); // token 0 exists in every vocabulary: learn d from the output

  return {
    name: `backbone:${dir.split(/[\\/]/).filter(Boolean).at(-1)}`,
    dim: probe.dim,
    async features(state: TurnState): Promise<Float32Array> {
      const encoded = tokenizer.encode(transcriptText(state));
      const missing = encoded.ids.findIndex((id: number | undefined) => id === undefined);
      if (missing >= 0)
        throw new Error(`${dir}: the tokenizer has no id for token '${encoded.tokens[missing]}'`);
      const ids = encoded.ids.slice(-MAX_TOKENS);
      if (ids.length < 2) throw new Error('transcript too short for the penultimate-token feature');
      const { data, dim } = await hidden(ids);
      const at = ids.length - 2;
      return data.slice(at * dim, (at + 1) * dim);
    },
  };
}
