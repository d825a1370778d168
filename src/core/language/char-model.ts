/**
 * A character-level MLP language model as a Model (models/model.ts), so the training loop, the losses and the
 * measurements of every other experiment train and measure it unchanged. An input row is the 32 characters before
 * a position, as alphabet indices; the output is one logit per character of the alphabet.
 *
 * The embedding is a gather whose gradient is the output's gradient added row by row into the table's rows
 * (kernels/wasm-rows.ts): tfjs's wasm backend has no kernel for a gather's own gradient.
 */
import { initKernel } from '../models/init';
import { gatherRowsGradient } from '../kernels/wasm-rows';
import { applyDense, dense, variableFrom, type Dense, type Model } from '../models/model';
import type { Rng } from '../rng';
import { tf, type Tensor1D, type Tensor2D, type Variable } from '../tf';
import type { CharModelSpec } from './blocks';

export interface CharModelShape {
  /** Characters in the alphabet (inputs and outputs). */
  vocab: number;
  context: number;
}

/** A model's weights as plain arrays, in the order the model lists them: embedding, then each layer's kernel and bias. */
export interface CharModelWeights {
  embedding: Float32Array;
  layers: { kernel: Float32Array; bias: Float32Array }[];
}

function layerSizes(spec: CharModelSpec, shape: CharModelShape): number[] {
  return [shape.context * spec.embedding, ...Array<number>(spec.depth).fill(spec.width), shape.vocab];
}

export function charModelDescription(spec: CharModelSpec, shape: CharModelShape): string {
  return `character MLP: ${shape.context} x ${spec.embedding} embedding-${layerSizes(spec, shape).slice(1).join('-')} (relu)`;
}

/**
 * A trainable model with weights from `rng`, or (with `weights`) a frozen one: a shipped teacher, whose weights
 * are constants that no optimizer sees.
 */
export function buildCharModel(spec: CharModelSpec, shape: CharModelShape, rng: Rng, weights?: CharModelWeights): Model {
  const { vocab, context } = shape;
  const sizes = layerSizes(spec, shape);
  let embedding: Variable | Tensor2D;
  let layers: Dense[];
  if (weights) {
    if (weights.embedding.length !== vocab * spec.embedding || weights.layers.length !== sizes.length - 1) {
      throw new Error(`these weights are not those of a ${charModelDescription(spec, shape)}`);
    }
    embedding = tf.tensor2d(weights.embedding, [vocab, spec.embedding]);
    layers = weights.layers.map(({ kernel, bias }, i) => {
      if (kernel.length !== sizes[i] * sizes[i + 1] || bias.length !== sizes[i + 1]) throw new Error(`layer ${i + 1} of these weights has the wrong size`);
      return { kernel: tf.tensor2d(kernel, [sizes[i], sizes[i + 1]]), bias: tf.tensor1d(bias), activation: i === sizes.length - 2 ? 'linear' : 'relu' };
    });
  } else {
    const values = initKernel(vocab, spec.embedding, vocab * spec.embedding, false, rng.fork('embedding'));
    embedding = variableFrom(tf.tensor2d(values, [vocab, spec.embedding]));
    layers = sizes.slice(1).map((size, i) => dense(sizes[i], size, i === sizes.length - 2 ? 'linear' : 'relu', rng.fork(`layer${i}`)));
  }
  const tensors = [embedding, ...layers.flatMap((l) => [l.kernel, l.bias])];
  const trainable = weights ? [] : (tensors as Variable[]);
  const embed = (x: Tensor2D): Tensor2D => {
    const rows = x.shape[0];
    const ids = tf.cast(tf.reshape(x, [rows * context]), 'int32');
    const lookUp = tf.customGrad(((table: Tensor2D, save: tf.GradSaveFunc) => {
      save([ids]);
      return {
        value: tf.gather(table, ids),
        gradFunc: (dy: Tensor2D, saved: tf.Tensor[]) => [gatherRowsGradient(saved[0] as Tensor1D, dy, vocab)],
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (table: Tensor2D) => Tensor2D;
    return tf.reshape(lookUp(embedding as Tensor2D), [rows, context * spec.embedding]);
  };
  return {
    // The dense stack above the embeddings.
    spec: { type: 'mlp', width: spec.width, depth: spec.depth, activation: 'relu', dropout: 0 },
    description: charModelDescription(spec, shape),
    trainable,
    decayed: weights ? [] : ([embedding, ...layers.map((l) => l.kernel)] as Variable[]),
    encodingKey: 'raw',
    encode: (x) => x,
    forward: (x) => layers.reduce((h, layer) => applyDense(layer, h), embed(x)),
    parameterCount: () => tensors.reduce((sum, t) => sum + t.size, 0),
    // The embedding's rows, concatenated over the context, then the dense stack: tf.layers' embedding and flatten.
    inference: [
      { type: 'embedding', table: embedding, inputLength: context },
      { type: 'flatten' },
      ...layers.map(({ kernel, bias, activation }) => ({ type: 'dense' as const, kernel, bias, activation })),
    ],
    multiplyAdds: { encode: 0, forward: context * vocab * spec.embedding + sizes.slice(1).reduce((sum, size, i) => sum + sizes[i] * size, 0) },
    dispose: () => tensors.forEach((t) => t.dispose()),
  };
}

/** A trained model's weights read back, in CharModelWeights order. */
export async function readCharWeights(model: Model): Promise<CharModelWeights> {
  const values = await Promise.all(model.trainable.map(async (v) => (await v.data()) as Float32Array));
  const [embedding, ...rest] = values;
  return { embedding, layers: Array.from({ length: rest.length / 2 }, (_, i) => ({ kernel: rest[2 * i], bias: rest[2 * i + 1] })) };
}
