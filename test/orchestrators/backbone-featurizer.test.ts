import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { loadBackboneFeaturizer } from '../../src/orchestrators/trinity/featurizer/backbone.js';
import { transcriptText } from '../../src/orchestrators/trinity/featurizer/types.js';
import { mathTask } from './fake-context.js';

const { onnx } = onnxProto;
const VOCAB = [
  '[unk]',
  '[',
  ']',
  'query',
  'what',
  'is',
  '2',
  '+',
  '?',
  'put',
  'your',
  'final',
  'answer',
  'within',
  'worker',
  'a',
  'b',
];
const DIM = 4;

/** Toy backbone: hidden state of token t = embedding row of t (Gather), shaped [1, tokens, d]. */
function toyBackbone(dir: string): number[][] {
  const embedding = VOCAB.map((_, i) => Array.from({ length: DIM }, (_, j) => i * 10 + j));
  const F = onnx.TensorProto.DataType.FLOAT;
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'toy_backbone',
      node: [{ opType: 'Gather', input: ['embedding', 'input_ids'], output: ['last_hidden_state'] }],
      initializer: [
        { name: 'embedding', dataType: F, dims: [VOCAB.length, DIM], floatData: embedding.flat() },
      ],
      input: [
        {
          name: 'input_ids',
          type: {
            tensorType: {
              elemType: onnx.TensorProto.DataType.INT64,
              shape: { dim: [{ dimValue: 1 }, { dimParam: 'tokens' }] },
            },
          },
        },
      ],
      output: [
        {
          name: 'last_hidden_state',
          type: {
            tensorType: {
              elemType: F,
              shape: { dim: [{ dimValue: 1 }, { dimParam: 'tokens' }, { dimValue: DIM }] },
            },
          },
        },
      ],
    },
  });
  writeFileSync(join(dir, 'model.onnx'), onnx.ModelProto.encode(model).finish());
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab: Object.fromEntries(VOCAB.map((w, i) => [w, i])), unk_token: '[unk]' },
  };
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'PreTrainedTokenizerFast' }),
  );
  return embedding;
}

describe('backbone featurizer (ONNX, onnxruntime-node)', () => {
  it('takes the final hidden state at the penultimate token of the transcript', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-backbone-'));
    const embedding = toyBackbone(dir);
    const featurizer = await loadBackboneFeaturizer(dir);
    expect(featurizer.dim).toBe(DIM);
    const state = {
      task: { ...mathTask, prompt: 'what is 2 + 2 ?' },
      agents: ['a', 'b'],
      turns: [{ agentId: 'a', role: 'worker' as const, text: 'a b', step: 0 }],
    };
    // "[query] what is 2 + 2 ? [worker a] a b": the penultimate token is "a".
    expect(transcriptText(state).trim().endsWith('a b')).toBe(true);
    const features = await featurizer.features(state);
    expect(Array.from(features)).toEqual(embedding[VOCAB.indexOf('a')]);
  });
});
