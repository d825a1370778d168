import { DENSE_BACKWARD, DENSE_FORWARD } from '../kernels/dense/kernels';
import { describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../node/node-assets';
import { startNodeBackend } from '../../node/node-backend';
import type { ModelSpec } from '../config/blocks';
import { createRng } from '../rng';
import { tf, type Tensor2D } from '../tf';
import { loadEncoderWeights } from './encoder-weights';
import { buildModel } from './model';

const image = { featureShape: [28, 28, 1], numClasses: 10 };

describe('models', () => {
  it('builds every kind with the expected output shape and parameter count', async () => {
    await startNodeBackend('cpu');
    const encoder = await loadEncoderWeights('mnist-supervised', nodeAssetSource());
    const cases: [ModelSpec, number][] = [
      [{ type: 'linear' }, 784 * 10 + 10],
      [{ type: 'mlp', width: 32, depth: 2, activation: 'tanh', dropout: 0 }, 784 * 32 + 32 + 32 * 32 + 32 + 32 * 10 + 10],
      [{ type: 'cnn', filters: 4, denseWidth: 0 }, 3 * 3 * 4 + 4 + 3 * 3 * 4 * 8 + 8 + 7 * 7 * 8 * 10 + 10],
      [{ type: 'pretrained', encoder: 'supervised', mode: 'frozen', head: 'linear', headWidth: 8 }, 784 * 256 + 256 + 256 * 64 + 64 + 64 * 10 + 10],
      [{ type: 'pretrained', encoder: 'supervised', mode: 'finetune', head: 'mlp', headWidth: 8 }, 784 * 256 + 256 + 256 * 64 + 64 + 64 * 8 + 8 + 8 * 10 + 10],
    ];
    const x = tf.randomUniform([3, 784]) as Tensor2D;
    for (const [spec, parameters] of cases) {
      const model = buildModel(spec, { ...image, rng: createRng(1), encoder });
      const encoded = model.encode(x);
      expect(model.forward(encoded, false).shape, spec.type).toEqual([3, 10]);
      expect(model.parameterCount(), spec.type).toBe(parameters);
      // A frozen encoder trains only its probe.
      const trainable = model.trainable.reduce((n, v) => n + v.size, 0);
      expect(trainable < parameters).toBe(spec.type === 'pretrained' && spec.mode === 'frozen');
      model.dispose();
    }
  });

  it('initialises from the seed: same seed same weights, other seed other weights', async () => {
    await startNodeBackend('cpu');
    const spec: ModelSpec = { type: 'mlp', width: 8, depth: 1, activation: 'relu', dropout: 0 };
    const weights = async (seed: number) => {
      const model = buildModel(spec, { featureShape: [2], numClasses: 2, rng: createRng(seed) });
      const values = await Promise.all(model.trainable.map((v) => v.data()));
      model.dispose();
      return values.map((v) => Array.from(v));
    };
    expect(await weights(1)).toEqual(await weights(1));
    expect(await weights(1)).not.toEqual(await weights(2));
  });

  it('computes the same gradients on wasm (transposed-gradient dense) as on cpu (tfjs fused)', async () => {
    const spec: ModelSpec = { type: 'mlp', width: 16, depth: 2, activation: 'relu', dropout: 0 };
    const gradients = async (backend: 'cpu' | 'wasm') => {
      await startNodeBackend(backend);
      const model = buildModel(spec, { featureShape: [5], numClasses: 3, rng: createRng(4) });
      const rng = createRng(9);
      const x = tf.tensor2d(
        Float32Array.from({ length: 40 }, () => rng.normal()),
        [8, 5],
      );
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(model.forward(x, true))) as tf.Scalar, model.trainable);
      const values = await Promise.all(model.trainable.map((v) => grads[v.name].data()));
      Object.values(grads).forEach((g) => g.dispose());
      x.dispose();
      model.dispose();
      return values.map((v) => Array.from(v));
    };
    const cpu = await gradients('cpu');
    const wasm = await gradients('wasm');
    cpu.forEach((layer, i) => layer.forEach((g, j) => expect(wasm[i][j]).toBeCloseTo(g, 3)));
  });

  // MNIST's 28x28 pools to 7x7 and then, padded, to 4x4; the digits' 8x8 to 2x2; 5x7 pools unevenly both times.
  for (const featureShape of [
    [28, 28, 1],
    [8, 8, 1],
    [5, 7, 2],
  ]) {
    it(`computes the same CNN gradients on wasm as on cpu (${featureShape.join('x')} images, dense layer)`, async () => {
      const spec: ModelSpec = { type: 'cnn', filters: 3, denseWidth: 8 };
      const inputSize = featureShape.reduce((a, b) => a * b);
      const gradients = async (backend: 'cpu' | 'wasm') => {
        await startNodeBackend(backend);
        const model = buildModel(spec, { featureShape, numClasses: 4, rng: createRng(4) });
        const rng = createRng(9);
        const x = tf.tensor2d(
          Float32Array.from({ length: 5 * inputSize }, () => rng.next()),
          [5, inputSize],
        );
        const { grads } = tf.variableGrads(() => tf.sum(tf.square(model.forward(x, true))) as tf.Scalar, model.trainable);
        const values = await Promise.all(model.trainable.map((v) => grads[v.name].data()));
        Object.values(grads).forEach((g) => g.dispose());
        x.dispose();
        model.dispose();
        return values.map((v) => Array.from(v));
      };
      const cpu = await gradients('cpu');
      const wasm = await gradients('wasm');
      expect(wasm.map((g) => g.length)).toEqual(cpu.map((g) => g.length));
      // Every variable gets a gradient, the convolutions' filters included.
      cpu.forEach((layer) => expect(layer.some((g) => g !== 0)).toBe(true));
      cpu.forEach((layer, i) => layer.forEach((g, j) => expect(wasm[i][j]).toBeCloseTo(g, 3)));
    });
  }

  // A linear model's only layer and an MLP's first layer (relu) both read data.
  const firstLayerCases: [string, ModelSpec][] = [
    ['linear', { type: 'linear' }],
    ['mlp', { type: 'mlp', width: 16, depth: 2, activation: 'relu', dropout: 0 }],
  ];
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const [name, spec] of firstLayerCases) {
      it(`leaves out the gradient of the input data and still gives autodiff's gradients (${name}, ${backend})`, async () => {
        await startNodeBackend(backend);
        const model = buildModel(spec, { featureShape: [5], numClasses: 3, rng: createRng(4) });
        const rng = createRng(9);
        const x = tf.tensor2d(
          Float32Array.from({ length: 40 }, () => rng.normal()),
          [8, 5],
        );
        const loss = (logits: Tensor2D) => tf.sum(tf.square(logits)) as tf.Scalar;
        // The same network from plain tfjs ops, differentiated by tfjs.
        const weights = model.trainable as unknown as Tensor2D[];
        const plain = () => {
          let h = x;
          for (let i = 0; i < weights.length; i += 2) {
            h = tf.add(tf.matMul(h, weights[i]), weights[i + 1]) as Tensor2D;
            if (i + 2 < weights.length) h = tf.relu(h);
          }
          return h;
        };

        const profile = await tf.profile(() => Object.values(tf.variableGrads(() => loss(model.forward(x, true)), model.trainable).grads));
        const kernels = profile.kernels as unknown as { name: string; outputShapes: number[][] }[];
        // No matrix product (or, on wasm, dense layer's gradient) makes a tensor of the data's shape [8, 5]: dL/dx is never computed.
        const products = kernels.filter((k) => ['BatchMatMul', '_FusedMatMul', DENSE_FORWARD, DENSE_BACKWARD].includes(k.name));
        expect(products.length).toBeGreaterThan(0);
        expect(products.filter((k) => k.outputShapes.some((shape) => shape.join() === '8,5' || shape.join() === '1,8,5'))).toEqual([]);

        const ours = tf.variableGrads(() => loss(model.forward(x, true)), model.trainable).grads;
        const theirs = tf.variableGrads(() => loss(plain()), model.trainable).grads;
        for (const v of model.trainable) {
          const [a, b] = await Promise.all([ours[v.name].data(), theirs[v.name].data()]);
          Array.from(a).forEach((g, i) => expect(g).toBeCloseTo(b[i], 4));
        }
        [...Object.values(ours), ...Object.values(theirs), x].forEach((t) => t.dispose());
        model.dispose();
      });
    }
  }

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`reads the hidden layer from the same pass as the logits, which are forward's bit for bit, dropout included (${backend})`, async () => {
      await startNodeBackend(backend);
      const model = buildModel({ type: 'mlp', width: 12, depth: 2, activation: 'relu', dropout: 0.3 }, { featureShape: [6], numClasses: 4, rng: createRng(3) });
      const rng = createRng(5);
      const x = tf.tensor2d(
        Float32Array.from({ length: 60 }, () => rng.normal()),
        [10, 6],
      );
      for (const [training, seed] of [
        [true, 17],
        [false, undefined],
      ] as const) {
        const { logits, hidden } = model.forwardWithHidden!(x, training, seed);
        expect(Array.from(await logits.data())).toEqual(Array.from(await model.forward(x, training, seed).data()));
        expect(hidden.shape).toEqual([10, 12]);
        // Without dropout, the features a probe reads.
        if (!training) expect(Array.from(await hidden.data())).toEqual(Array.from(await model.features!(x).data()));
      }
      // One hidden layer trained with dropout: its activations before the dropout (the dropout feeds only the output).
      const shallow = buildModel(
        { type: 'mlp', width: 12, depth: 1, activation: 'relu', dropout: 0.3 },
        { featureShape: [6], numClasses: 4, rng: createRng(3) },
      );
      const { hidden, logits } = shallow.forwardWithHidden!(x, true, 17);
      expect(Array.from(await hidden.data())).toEqual(Array.from(await shallow.features!(x).data()));
      expect(Array.from(await logits.data())).toEqual(Array.from(await shallow.forward(x, true, 17).data()));
      shallow.dispose();
      // With dropout the logits differ from the pass without it: the dropout was applied, where forward applies it.
      const dropped = await model.forwardWithHidden!(x, true, 17).logits.data();
      expect(Array.from(dropped)).not.toEqual(Array.from(await model.forward(x, false).data()));
      model.dispose();
    });
  }
});
