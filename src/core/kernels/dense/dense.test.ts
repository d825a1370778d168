import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../../node/node-backend';
import { buildModel } from '../../models/model';
import { createRng } from '../../rng';
import { tf, type Tensor2D } from '../../tf';
import { train } from '../../train';
import { DENSE_WASM_PLAIN } from './binary';
import { denseKernelsReady, setDenseKernels } from './kernels';
import { denseLayer } from './ops';

function random(shape: number[], seed: number, scale = 1): tf.Tensor {
  const rng = createRng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * rng.normal()),
    shape,
  );
}

const bits = async (t: tf.Tensor) => Array.from(new Uint32Array((await t.data()).slice().buffer as ArrayBuffer));

/** tfjs's own fused layer (the path model.ts takes without the kernels, forward). */
function reference(x: Tensor2D, kernel: Tensor2D, bias: tf.Tensor1D, activation: 'relu' | 'linear') {
  return tf.fused.matMul({ a: x, b: kernel, bias, activation }) as Tensor2D;
}

describe('dense kernels on wasm', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });
  afterEach(() => setDenseKernels(true));

  it('are ready on the wasm backend', () => {
    expect(denseKernelsReady()).toBe(true);
    setDenseKernels(false);
    expect(denseKernelsReady()).toBe(false);
  });

  // Edges of the 4x8 tiles: one row, one column, a single inner step, sizes that are not multiples of 4 or 8.
  const shapes: [number, number[]][] = [
    [64, [784, 512, 512, 10]],
    [1, [1, 1, 1]],
    [7, [13, 9, 10]],
    [33, [5, 3, 9]],
    [64, [64, 10]],
  ];
  for (const [rows, sizes] of shapes) {
    it(`an MLP ${sizes.join('-')} on ${rows} rows gives the bits of tfjs's kernels, evaluated and in every gradient`, async () => {
      const [input, ...rest] = sizes;
      const spec =
        rest.length === 1 ? ({ type: 'linear' } as const) : ({ type: 'mlp', width: rest[0], depth: rest.length - 1, activation: 'relu', dropout: 0 } as const);
      const x = random([rows, input], 1) as Tensor2D;
      const dy = random([rows, rest[rest.length - 1]], 2) as Tensor2D;
      const measure = async (useKernels: boolean) => {
        setDenseKernels(useKernels);
        const model = buildModel(spec, { featureShape: [input], numClasses: rest[rest.length - 1], rng: createRng(3) });
        // Biases start at zero; non-zero ones tell a bias added first (fused) from one added after the product.
        model.trainable.forEach((v, i) => v.shape.length === 1 && v.assign(random(v.shape, 10 + i, 0.1)));
        const evaluated = tf.tidy(() => model.forward(x, false));
        // Under a tape tfjs runs a ReLU layer unfused (product, bias, ReLU): a different rounding from the fused one.
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.forward(x, true), dy)), model.trainable);
        const out = { evaluated: await bits(evaluated), loss: await bits(value), grads: await Promise.all(model.trainable.map((v) => bits(grads[v.name]))) };
        tf.dispose([evaluated, value, ...Object.values(grads)]);
        model.dispose();
        return out;
      };
      const ours = await measure(true);
      const theirs = await measure(false);
      expect(ours).toEqual(theirs);
      tf.dispose([x, dy]);
    });
  }

  it('ReLU treats NaN as tfjs does on this machine', async () => {
    const x = tf.tensor2d([[NaN, 1, -1]]);
    const kernel = tf.eye(3) as Tensor2D;
    const bias = tf.zeros([3]) as tf.Tensor1D;
    setDenseKernels(false);
    const theirs = reference(x, kernel, bias, 'relu');
    setDenseKernels(true);
    const ours = denseLayer(x, kernel, bias, 'relu', true);
    expect(Array.from(await ours.data())).toEqual(Array.from(await theirs.data()));
    tf.dispose([x, kernel, bias, ours, theirs]);
  });

  it("training a dropout MLP gives the same curve and weights as tfjs's kernels, in fewer kernels", async () => {
    const runTraining = async (useKernels: boolean) => {
      setDenseKernels(useKernels);
      const rng = createRng(5);
      const rows = 256;
      const x = tf.tensor2d(
        Float32Array.from({ length: rows * 30 }, () => rng.next()),
        [rows, 30],
      );
      const y = tf.tensor1d(
        Int32Array.from({ length: rows }, () => rng.int(4)),
        'int32',
      );
      const targets = tf.oneHot(y, 4).toFloat() as Tensor2D;
      const model = buildModel(
        { type: 'mlp', width: 24, depth: 2, activation: 'relu', dropout: 0.2 },
        { featureShape: [30], numClasses: 4, rng: createRng(6) },
      );
      const profile = await tf.profile(async () => {
        const result = await train({
          stage: 'kernels',
          model,
          spec: {
            optimizer: 'adam',
            learningRate: 0.01,
            schedule: 'cosine',
            weightDecay: 0.001,
            momentum: 0.9,
            batchSize: 32,
            epochs: 3,
            evalEvery: 8,
            patience: 0,
          },
          loss: { type: 'xent' },
          data: { inputs: x, targets },
          test: { inputs: x, labels: y },
          rng: createRng(7),
        });
        result.bestWeights?.forEach((w) => w.dispose());
      });
      const kernels = profile.kernels.length;
      const weights = await Promise.all(model.trainable.map((v) => bits(v)));
      model.dispose();
      tf.dispose([x, y, targets]);
      return { weights, kernels };
    };
    const ours = await runTraining(true);
    const theirs = await runTraining(false);
    expect(ours.weights).toEqual(theirs.weights);
    expect(ours.kernels).toBeLessThan(theirs.kernels * 0.6);
  });

  it('the module writes only into its output and its scratch (no stack, no static data)', () => {
    const memory = new WebAssembly.Memory({ initial: 2 });
    const bytes = Uint8Array.from(atob(DENSE_WASM_PLAIN), (c) => c.charCodeAt(0));
    const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as Record<string, (...args: number[]) => number>;
    const heap = new Float32Array(memory.buffer);
    heap.fill(12345);
    const [M, K, N] = [5, 6, 7];
    const a = 1000;
    const b = a + M * K;
    const bias = b + K * N;
    const c = bias + N;
    const work = c + M * N;
    const end = work + k.gemmScratch(M, K, N);
    for (let i = a; i < c; i++) heap[i] = (i % 7) - 3;
    k.gemm(a * 4, 0, b * 4, 0, c * 4, M, K, N, bias * 4, 1, 1, 1, work * 4);
    const untouched = [...heap.subarray(0, a), ...heap.subarray(end)];
    expect(untouched.every((v) => v === 12345)).toBe(true);
    expect(heap.subarray(c, work).every((v) => v !== 12345)).toBe(true);
  });
});
