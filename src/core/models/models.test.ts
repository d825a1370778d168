import { describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../cli/node-assets';
import { startNodeBackend } from '../../cli/node-backend';
import type { ModelSpec } from '../config';
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
      const x = tf.tensor2d(Float32Array.from({ length: 40 }, () => rng.normal()), [8, 5]);
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
});
