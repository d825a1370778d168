/**
 * ModelSpec -> trainable model. Models are plain variables plus a forward function (no tf.layers): fewer ops
 * per step, and every weight comes from the project's RNG.
 *
 * Inputs are always flat rows [batch, featureSize]; a CNN reshapes them itself. A frozen pretrained encoder is
 * applied once to every set by `encode` (the experiment caches the result), so training touches only the probe.
 */
import type { ModelSpec } from '../config/blocks';
import type { Rng } from '../rng';
import { denseKernelsReady } from '../kernels/dense/kernels';
import { denseLayer } from '../kernels/dense/ops';
import { tf, type Tensor2D, type Variable } from '../tf';
import type { EncoderWeights } from './encoder-weights';
import { initKernel } from './init';

export interface Model {
  readonly spec: ModelSpec;
  /** Short human description, e.g. "MLP 784-64-10 (relu)". */
  readonly description: string;
  /** Variables the optimizer updates. */
  readonly trainable: Variable[];
  /** Variables that weight decay applies to (kernels, not biases). */
  readonly decayed: Variable[];
  /** Identifies the frozen input transform: equal keys give equal `encode` outputs. */
  readonly encodingKey: string;
  /** Frozen transform applied once to each set of inputs (returns the input itself when there is none). */
  encode(x: Tensor2D): Tensor2D;
  /** Logits from encoded inputs. `dropoutSeed` is required when training with dropout. */
  forward(x: Tensor2D, training: boolean, dropoutSeed?: number): Tensor2D;
  /**
   * The last hidden layer's activations (no dropout) from encoded inputs: the representation a linear probe
   * reads. Present on models with a hidden layer (MLP).
   */
  features?(x: Tensor2D): Tensor2D;
  /**
   * The logits and, from the same pass, the last hidden layer's activations (before dropout): what a feature
   * distillation term reads while the model trains. The logits are forward's, op for op. Present where features is.
   */
  forwardWithHidden?(x: Tensor2D, training: boolean, dropoutSeed?: number): { logits: Tensor2D; hidden: Tensor2D };
  parameterCount(): number;
  /** Multiply-adds per example of `encode` and of `forward`: how long a pass over a set takes, roughly. */
  readonly multiplyAdds: { encode: number; forward: number };
  /**
   * What the model computes at inference, from raw inputs (flat rows) to logits, as a stack of standard layers
   * (a frozen encoder's layers included, dropout left out): how it is exported (models/export-layers.ts). The
   * layers hold the model's own weights, so they describe the current ones.
   */
  readonly inference: readonly InferenceLayer[];
  dispose(): void;
}

/** One layer of a model at inference, as TensorFlow.js layers name them. */
export type InferenceLayer =
  | { type: 'dense'; kernel: tf.Tensor; bias: tf.Tensor; activation: Activation }
  /** Flat rows to images [height, width, channels]. */
  | { type: 'reshape'; targetShape: number[] }
  /** 3x3, stride 1, 'same' padding, channels last, bias, ReLU. */
  | { type: 'conv2d'; kernel: tf.Tensor; bias: tf.Tensor }
  /** 2x2, stride 2, 'same' padding. */
  | { type: 'maxPooling2d' }
  /** Language models: each of `inputLength` alphabet indices looked up in `table` [vocab, size] (then flattened). */
  | { type: 'embedding'; table: tf.Tensor; inputLength: number }
  | { type: 'flatten' };

export interface ModelContext {
  featureShape: number[];
  numClasses: number;
  rng: Rng;
  /** Needed for `pretrained` specs. */
  encoder?: EncoderWeights;
}

type Activation = 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'linear';

export interface Dense {
  kernel: Variable | Tensor2D;
  bias: Variable | tf.Tensor1D;
  activation: Activation;
}

const denseLayers = (layers: Dense[]): InferenceLayer[] => layers.map(({ kernel, bias, activation }) => ({ type: 'dense', kernel, bias, activation }));

/** A variable initialised from `initial`, which is then released (tf.variable keeps its own reference). */
export function variableFrom(initial: tf.Tensor): Variable {
  const v = tf.variable(initial);
  initial.dispose();
  return v;
}

export function dense(inputSize: number, outputSize: number, activation: Activation, rng: Rng): Dense & { kernel: Variable; bias: Variable } {
  const values = initKernel(inputSize, outputSize, inputSize * outputSize, activation === 'relu' || activation === 'elu', rng);
  return {
    kernel: variableFrom(tf.tensor2d(values, [inputSize, outputSize])),
    bias: variableFrom(tf.zeros([outputSize])),
    activation,
  };
}

type DenseOp = (x: Tensor2D, kernel: Tensor2D, bias: tf.Tensor1D) => Tensor2D;
type FusedActivation = 'relu' | 'linear';

/**
 * The gradient of a fused dense layer y = act(x W + b), written out. tfjs's own matMul gradient calls matMul with
 * transposeA/transposeB, which the wasm backend runs off its fast path: measured in Node on a 64x784 @ 784x512
 * product, x^T @ dy took 39 ms with transposeA and 5 ms as transpose + matMul (dy @ W^T: 19 ms against 3 ms). So on
 * wasm the products use explicit transposes; elsewhere they are tfjs's own (the same kernels as its gradient).
 */
function denseGradients(activation: FusedActivation, explicitTransposes: boolean) {
  return {
    /** dL/d(xW + b) from dL/dy and y. */
    preActivation: (dy: Tensor2D, y: Tensor2D): Tensor2D => (activation === 'relu' ? tf.mul(dy, tf.step(y)) : dy),
    input: (dz: Tensor2D, kernel: Tensor2D): Tensor2D => (explicitTransposes ? tf.matMul(dz, tf.transpose(kernel)) : tf.matMul(dz, kernel, false, true)),
    kernel: (x: Tensor2D, dz: Tensor2D): Tensor2D => (explicitTransposes ? tf.matMul(tf.transpose(x), dz) : tf.matMul(x, dz, true, false)),
    bias: (dz: Tensor2D): tf.Tensor1D => tf.sum(dz, 0),
  };
}

type CustomGradFn = Parameters<typeof tf.customGrad>[0];

/** A fused dense layer whose gradient (see denseGradients) includes the input's: a hidden layer on wasm. */
function denseWithGradient(activation: FusedActivation): DenseOp {
  const grad = denseGradients(activation, true);
  return tf.customGrad(((x: Tensor2D, kernel: Tensor2D, bias: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const y = tf.fused.matMul({ a: x, b: kernel, bias, activation }) as Tensor2D;
    save([x, kernel, y]);
    return {
      value: y,
      gradFunc: (dy: Tensor2D, saved: tf.Tensor[]) => {
        const [input, weights, output] = saved as Tensor2D[];
        const dz = grad.preActivation(dy, output);
        return [grad.input(dz, weights), grad.kernel(input, dz), grad.bias(dz)];
      },
    };
  }) as unknown as CustomGradFn) as unknown as DenseOp;
}

const hiddenDenseOnWasm = { relu: denseWithGradient('relu'), linear: denseWithGradient('linear') };

/**
 * A fused dense layer applied to data (a model's first layer): only the kernel and bias are differentiable inputs,
 * so the gradient leaves out dL/dx, which nothing uses. tfjs computes the gradient of every input of a custom op
 * (and of its own fused matMul, which linear layers use), so on wasm a third of the multiply-adds of a step of a
 * 784-128-10 MLP went to it.
 */
function denseOnData(x: Tensor2D, layer: Dense, activation: FusedActivation): Tensor2D {
  const grad = denseGradients(activation, tf.getBackend() === 'wasm');
  // tfjs releases the forward pass's tensors before the backward pass: whatever the gradient needs is saved.
  const op = tf.customGrad(((kernel: Tensor2D, bias: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const y = tf.fused.matMul({ a: x, b: kernel, bias, activation }) as Tensor2D;
    save([x, y]);
    return {
      value: y,
      gradFunc: (dy: Tensor2D, saved: tf.Tensor[]) => {
        const [input, output] = saved as Tensor2D[];
        const dz = grad.preActivation(dy, output);
        return [grad.kernel(input, dz), grad.bias(dz)];
      },
    };
  }) as unknown as CustomGradFn) as unknown as (kernel: Tensor2D, bias: tf.Tensor1D) => Tensor2D;
  return op(layer.kernel as Tensor2D, layer.bias as tf.Tensor1D);
}

/**
 * One dense layer; fused (one kernel) for the activations tfjs can differentiate fused. `inputIsData`: the input is
 * data, not the output of a trained layer, so its gradient is not needed.
 */
export function applyDense(layer: Dense, x: Tensor2D, inputIsData = false): Tensor2D {
  if (layer.activation === 'relu' || layer.activation === 'linear') {
    // On wasm, one kernel forward and one backward (the same numbers as the tfjs kernels below).
    if (denseKernelsReady()) return denseLayer(x, layer.kernel as Tensor2D, layer.bias as tf.Tensor1D, layer.activation, inputIsData);
    // A frozen layer (constant kernel and bias) needs no custom gradient.
    if (inputIsData && layer.kernel instanceof tf.Variable) return denseOnData(x, layer, layer.activation);
    if (tf.getBackend() === 'wasm') return hiddenDenseOnWasm[layer.activation](x, layer.kernel as Tensor2D, layer.bias as tf.Tensor1D);
    return tf.fused.matMul({ a: x, b: layer.kernel as Tensor2D, bias: layer.bias, activation: layer.activation }) as Tensor2D;
  }
  const z = tf.add(tf.matMul(x, layer.kernel as Tensor2D), layer.bias) as Tensor2D;
  switch (layer.activation) {
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'elu':
      return tf.elu(z);
  }
}

/**
 * x W + b for a layer outside a model (a feature distillation term's learned projection), with the gradient of its
 * input as well as of its weights, on wasm's fast path as a hidden layer's is.
 */
export function linearLayer(x: Tensor2D, kernel: Tensor2D, bias: tf.Tensor1D): Tensor2D {
  return applyDense({ kernel, bias, activation: 'linear' }, x);
}

/** Multiply-adds of a stack of dense layers of these sizes, per example. */
function denseMultiplyAdds(sizes: number[]): number {
  return sizes.slice(1).reduce((sum, size, i) => sum + sizes[i] * size, 0);
}

function countParameters(variables: (Variable | tf.Tensor)[]): number {
  return variables.reduce((sum, v) => sum + v.size, 0);
}

/** Dense layers in turn; `inputIsData`: x is data (not another layer's output), see applyDense. */
function stack(layers: Dense[], x: Tensor2D, training: boolean, dropout: number, dropoutSeed: number | undefined, inputIsData: boolean): Tensor2D {
  let h = x;
  layers.forEach((layer, i) => {
    h = applyDense(layer, h, inputIsData && i === 0);
    const hidden = i < layers.length - 1;
    if (hidden && training && dropout > 0) {
      if (dropoutSeed === undefined) throw new Error('dropout needs a seed');
      h = tf.dropout(h, dropout, undefined, dropoutSeed + i) as Tensor2D;
    }
  });
  return h;
}

function denseStackModel(spec: ModelSpec, sizes: number[], activation: Activation, dropout: number, rng: Rng, description: string): Model {
  const layers = sizes.slice(1).map((size, i) => dense(sizes[i], size, i === sizes.length - 2 ? 'linear' : activation, rng.fork(`layer${i}`)));
  const trainable = layers.flatMap((l) => [l.kernel, l.bias]);
  return {
    spec,
    description,
    trainable,
    decayed: layers.map((l) => l.kernel),
    encodingKey: 'raw',
    encode: (x) => x,
    forward: (x, training, seed) => stack(layers, x, training, dropout, seed, true),
    ...(layers.length > 1
      ? {
          features: (x: Tensor2D) => stack(layers.slice(0, -1), x, false, 0, undefined, true),
          forwardWithHidden: (x: Tensor2D, training: boolean, seed?: number) => {
            // stack() over the hidden layers, then the last hidden layer's dropout and the output layer, as forward has them.
            const last = layers.length - 1;
            const hidden = stack(layers.slice(0, last), x, training, dropout, seed, true);
            let h = hidden;
            if (training && dropout > 0) {
              if (seed === undefined) throw new Error('dropout needs a seed');
              h = tf.dropout(h, dropout, undefined, seed + last - 1) as Tensor2D;
            }
            return { logits: applyDense(layers[last], h), hidden };
          },
        }
      : {}),
    parameterCount: () => countParameters(trainable),
    multiplyAdds: { encode: 0, forward: denseMultiplyAdds(sizes) },
    inference: denseLayers(layers),
    dispose: () => trainable.forEach((v) => v.dispose()),
  };
}

function cnnModel(spec: Extract<ModelSpec, { type: 'cnn' }>, ctx: ModelContext): Model {
  const [height, width, channels] = ctx.featureShape;
  if (height === undefined || width === undefined || channels === undefined) throw new Error('a CNN needs image inputs [height, width, channels]');
  const f1 = spec.filters;
  const f2 = spec.filters * 2;
  const convKernel = (inC: number, outC: number, label: string) =>
    variableFrom(tf.tensor4d(initKernel(9 * inC, 9 * outC, 9 * inC * outC, true, ctx.rng.fork(label)), [3, 3, inC, outC]));
  const conv1 = { kernel: convKernel(channels, f1, 'conv1'), bias: variableFrom(tf.zeros([f1])) };
  const conv2 = { kernel: convKernel(f1, f2, 'conv2'), bias: variableFrom(tf.zeros([f2])) };
  const pooledH = Math.ceil(Math.ceil(height / 2) / 2);
  const pooledW = Math.ceil(Math.ceil(width / 2) / 2);
  const flat = pooledH * pooledW * f2;
  const sizes = spec.denseWidth > 0 ? [flat, spec.denseWidth, ctx.numClasses] : [flat, ctx.numClasses];
  const head = sizes.slice(1).map((size, i) => dense(sizes[i], size, i === sizes.length - 2 ? 'linear' : 'relu', ctx.rng.fork(`dense${i}`)));
  const trainable = [conv1.kernel, conv1.bias, conv2.kernel, conv2.bias, ...head.flatMap((l) => [l.kernel, l.bias])];
  const description = `CNN conv${f1}-conv${f2}${spec.denseWidth > 0 ? `-${spec.denseWidth}` : ''}-${ctx.numClasses}`;
  return {
    spec,
    description,
    trainable,
    decayed: [conv1.kernel, conv2.kernel, ...head.map((l) => l.kernel)],
    encodingKey: 'raw',
    encode: (x) => x,
    forward: (x) => {
      const images = tf.reshape(x, [-1, height, width, channels]) as tf.Tensor4D;
      const c1 = tf.fused.conv2d({ x: images, filter: conv1.kernel as tf.Tensor4D, strides: 1, pad: 'same', bias: conv1.bias, activation: 'relu' });
      const p1 = tf.maxPool(c1, 2, 2, 'same');
      const c2 = tf.fused.conv2d({ x: p1, filter: conv2.kernel as tf.Tensor4D, strides: 1, pad: 'same', bias: conv2.bias, activation: 'relu' });
      const p2 = tf.maxPool(c2, 2, 2, 'same');
      return stack(head, tf.reshape(p2, [-1, flat]) as Tensor2D, false, 0, undefined, false);
    },
    parameterCount: () => countParameters(trainable),
    // Two 3x3 convolutions ('same' padding: one output per pixel), the second on the pooled image, then the head.
    multiplyAdds: {
      encode: 0,
      forward: height * width * 9 * channels * f1 + Math.ceil(height / 2) * Math.ceil(width / 2) * 9 * f1 * f2 + denseMultiplyAdds(sizes),
    },
    inference: [
      { type: 'reshape', targetShape: [height, width, channels] },
      { type: 'conv2d', ...conv1 },
      { type: 'maxPooling2d' },
      { type: 'conv2d', ...conv2 },
      { type: 'maxPooling2d' },
      { type: 'flatten' },
      ...denseLayers(head),
    ],
    dispose: () => trainable.forEach((v) => v.dispose()),
  };
}

function pretrainedModel(spec: Extract<ModelSpec, { type: 'pretrained' }>, ctx: ModelContext): Model {
  const weights = ctx.encoder;
  if (!weights) throw new Error('a pretrained model needs its encoder weights');
  const finetune = spec.mode === 'finetune';
  // Encoder layers: variables when fine-tuned, constant tensors when frozen.
  const encoderLayers: Dense[] = weights.layers.map(({ spec: layer, kernel, bias }) => {
    const k = tf.tensor2d(kernel, [layer.inputSize, layer.outputSize]);
    const b = tf.tensor1d(bias);
    if (!finetune) return { kernel: k, bias: b, activation: layer.activation };
    return { kernel: variableFrom(k), bias: variableFrom(b), activation: layer.activation };
  });
  const features = weights.manifest.outputSize;
  const headSizes = spec.head === 'mlp' ? [features, spec.headWidth, ctx.numClasses] : [features, ctx.numClasses];
  const head = headSizes.slice(1).map((size, i) => dense(headSizes[i], size, i === headSizes.length - 2 ? 'linear' : 'relu', ctx.rng.fork(`head${i}`)));
  const headVars = head.flatMap((l) => [l.kernel, l.bias]);
  const encoderTensors = encoderLayers.flatMap((l) => [l.kernel, l.bias]);
  const trainable = finetune ? [...(encoderTensors as Variable[]), ...headVars] : headVars;
  const runEncoder = (x: Tensor2D) => encoderLayers.reduce((h, layer, i) => applyDense(layer, h, i === 0), x);
  const encoderMultiplyAdds = weights.layers.reduce((sum, { spec: layer }) => sum + layer.inputSize * layer.outputSize, 0);
  const headText = spec.head === 'mlp' ? `MLP probe ${features}-${spec.headWidth}-${ctx.numClasses}` : `linear probe ${features}-${ctx.numClasses}`;
  return {
    spec,
    description: `${weights.manifest.id} encoder (${finetune ? 'fine-tuned' : 'frozen'}) + ${headText}`,
    trainable,
    decayed: [...(finetune ? (encoderLayers.map((l) => l.kernel) as Variable[]) : []), ...head.map((l) => l.kernel)],
    encodingKey: finetune ? 'raw' : `encoder:${weights.manifest.id}`,
    encode: (x) => (finetune ? x : tf.tidy(() => runEncoder(x))),
    // A frozen encoder's features are data to the head; a fine-tuned encoder's are not.
    forward: (x) => stack(head, finetune ? runEncoder(x) : x, false, 0, undefined, !finetune),
    parameterCount: () => countParameters([...encoderTensors, ...headVars]),
    multiplyAdds: { encode: finetune ? 0 : encoderMultiplyAdds, forward: denseMultiplyAdds(headSizes) + (finetune ? encoderMultiplyAdds : 0) },
    // Frozen or fine-tuned, the exported model starts from raw inputs: the encoder's layers come first.
    inference: denseLayers([...encoderLayers, ...head]),
    dispose: () => {
      encoderTensors.forEach((t) => t.dispose());
      headVars.forEach((v) => v.dispose());
    },
  };
}

export function buildModel(spec: ModelSpec, ctx: ModelContext): Model {
  const inputSize = ctx.featureShape.reduce((a, b) => a * b, 1);
  switch (spec.type) {
    case 'linear':
      return denseStackModel(spec, [inputSize, ctx.numClasses], 'linear', 0, ctx.rng, `linear ${inputSize}-${ctx.numClasses}`);
    case 'mlp': {
      const sizes = [inputSize, ...Array<number>(spec.depth).fill(spec.width), ctx.numClasses];
      const dropoutText = spec.dropout > 0 ? `, dropout ${spec.dropout}` : '';
      return denseStackModel(spec, sizes, spec.activation, spec.dropout, ctx.rng, `MLP ${sizes.join('-')} (${spec.activation}${dropoutText})`);
    }
    case 'cnn':
      return cnnModel(spec, ctx);
    case 'pretrained':
      return pretrainedModel(spec, ctx);
  }
}
