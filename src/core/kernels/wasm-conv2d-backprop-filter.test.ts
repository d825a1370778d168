/**
 * The wasm backend's Conv2DBackpropFilter (tfjs 4.22 has none): checked by hand on a tiny case, against the filter
 * gradient's definition through wasm's own forward convolution, and against the cpu backend's kernel over shapes
 * the project's CNN uses and odd ones (strides, asymmetric and explicit padding, several channels, split batches).
 */
import { describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../node/node-backend';
import { createRng } from '../rng';
import { tf } from '../tf';
import { conv2DBackpropFilterWasm, registerWasmGradientKernels } from './wasm-conv2d-backprop-filter';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number;

interface Case {
  name: string;
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: Pad;
}

const CASES: Case[] = [
  { name: "the CNN's first layer (28x28, 1 -> 8, 'same')", x: [3, 28, 28, 1], filter: [3, 3, 1, 8], strides: 1, pad: 'same' },
  { name: "the CNN's second layer (14x14, 8 -> 16, 'same')", x: [3, 14, 14, 8], filter: [3, 3, 8, 16], strides: 1, pad: 'same' },
  { name: "odd sizes, several channels (5x7, 3 -> 4, 'same')", x: [2, 5, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: "stride 2, 5x5 filter, asymmetric 'same' padding", x: [2, 9, 8, 2], filter: [5, 5, 2, 3], strides: 2, pad: 'same' },
  { name: "strides [2, 1], 3x2 filter, 'valid'", x: [2, 7, 7, 3], filter: [3, 2, 3, 2], strides: [2, 1], pad: 'valid' },
  { name: '1x1 filter', x: [2, 6, 5, 2], filter: [1, 1, 2, 5], strides: 1, pad: 'valid' },
  { name: 'explicit padding of 2', x: [2, 5, 6, 2], filter: [3, 3, 2, 2], strides: 1, pad: 2 },
  { name: 'a single example', x: [1, 8, 8, 1], filter: [3, 3, 1, 4], strides: 1, pad: 'same' },
];

function outputShape(c: Case): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad);
  return [c.x[0], info.outHeight, info.outWidth, c.filter[3]];
}

function normals(count: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => rng.normal());
}

/** The active backend's Conv2DBackpropFilter, or ours called directly with a patch limit (to split the batch). */
async function filterGradient(c: Case, x: Float32Array, dy: Float32Array, patchFloats?: number): Promise<Float32Array> {
  const xt = tf.tensor4d(x, c.x);
  const dyt = tf.tensor4d(dy, outputShape(c));
  const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: c.filter };
  const result =
    patchFloats === undefined
      ? (tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy: dyt }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor)
      : tf
          .engine()
          .makeTensorFromTensorInfo(
            conv2DBackpropFilterWasm({ inputs: { x: xt, dy: dyt }, backend: tf.backend(), attrs: attrs as unknown as tf.NamedAttrMap }, patchFloats),
          );
  expect(result.shape).toEqual(c.filter);
  const values = (await result.data()) as Float32Array;
  tf.dispose([xt, dyt, result]);
  return values;
}

/** Equal to float32 rounding of sums of a few thousand products of order 1. */
function expectClose(actual: Float32Array, expected: Float32Array, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  const worst = Math.max(...Array.from(actual, (a, i) => Math.abs(a - expected[i])));
  expect(worst, label).toBeLessThan(2e-5 * scale);
}

describe('Conv2DBackpropFilter on wasm', () => {
  it('is registered with the wasm backend, once', async () => {
    await startNodeBackend('wasm');
    const registered = tf.getKernel('Conv2DBackpropFilter', 'wasm');
    expect(registered).toBeDefined();
    registerWasmGradientKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBe(registered);
  });

  it('gives the hand-computed gradient of a 3x3 image under a 3x3 "same" filter', async () => {
    await startNodeBackend('wasm');
    const c: Case = { name: 'tiny', x: [1, 3, 3, 1], filter: [3, 3, 1, 1], strides: 1, pad: 'same' };
    // With dy = 1 everywhere, tap (r, c) sums the pixels it sees over all output positions: a 2x2, 2x3, 3x2 or
    // 3x3 block of [[1, 2, 3], [4, 5, 6], [7, 8, 9]].
    const grad = await filterGradient(c, Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), new Float32Array(9).fill(1));
    expect(Array.from(grad)).toEqual([12, 21, 16, 27, 45, 33, 24, 39, 28]);
  });

  it('gives a zero gradient for an empty batch (not whatever the heap held)', async () => {
    await startNodeBackend('wasm');
    // Leave non-zero values in freed heap memory first.
    tf.dispose(tf.fill([64], 7));
    const grad = await filterGradient(
      { name: 'empty', x: [0, 4, 4, 2], filter: [2, 2, 2, 8], strides: 1, pad: 'valid' },
      new Float32Array(0),
      new Float32Array(0),
    );
    expect(Array.from(grad)).toEqual(new Array(64).fill(0));
  });

  it("is the filter gradient of wasm's own convolution: d/dw sum(conv(x, w) * dy) = sum(conv(x, e_tap) * dy)", async () => {
    await startNodeBackend('wasm');
    for (const c of [CASES[2], CASES[3], CASES[4]]) {
      const x = normals(
        c.x.reduce((a, b) => a * b),
        1,
      );
      const dy = normals(
        outputShape(c).reduce((a, b) => a * b),
        2,
      );
      const grad = await filterGradient(c, x, dy);
      // The loss is linear in w, so each entry of the gradient is the loss at the one-hot filter for that entry.
      const size = c.filter.reduce((a, b) => a * b);
      const xt = tf.tensor4d(x, c.x);
      const dyt = tf.tensor4d(dy, outputShape(c));
      const byDefinition = new Float32Array(size);
      for (let i = 0; i < size; i++) {
        const loss = tf.tidy(() => tf.sum(tf.mul(tf.conv2d(xt, tf.oneHot(i, size).reshape(c.filter).toFloat() as tf.Tensor4D, c.strides, c.pad), dyt)));
        byDefinition[i] = (await loss.data())[0];
        loss.dispose();
      }
      tf.dispose([xt, dyt]);
      expectClose(grad, byDefinition, c.name);
    }
  });

  it("matches the cpu backend's kernel, whole and with the batch split into chunks, and frees what it allocates", async () => {
    for (const [i, c] of CASES.entries()) {
      const x = normals(
        c.x.reduce((a, b) => a * b),
        10 + i,
      );
      const dy = normals(
        outputShape(c).reduce((a, b) => a * b),
        20 + i,
      );
      await startNodeBackend('cpu');
      const cpu = await filterGradient(c, x, dy);
      await startNodeBackend('wasm');
      const backend = tf.backend();
      const tensors = tf.memory().numTensors;
      const buffers = backend.numDataIds();
      expectClose(await filterGradient(c, x, dy), cpu, c.name);
      // One example per chunk, and chunks of about two examples' patches.
      const taps = c.filter[0] * c.filter[1] * c.filter[2];
      const perExample = taps * outputShape(c)[1] * outputShape(c)[2];
      expectClose(await filterGradient(c, x, dy, 1), cpu, `${c.name}, one example per chunk`);
      expectClose(await filterGradient(c, x, dy, 2 * perExample + 1), cpu, `${c.name}, two examples per chunk`);
      expect(tf.memory().numTensors, c.name).toBe(tensors);
      expect(backend.numDataIds(), `${c.name}: wasm buffers left behind`).toBe(buffers);
    }
  });

  it('gives the gradients of a fused relu convolution with bias (as the CNN uses) that cpu gives', async () => {
    const c: Case = { name: 'fused', x: [4, 10, 10, 3], filter: [3, 3, 3, 6], strides: 1, pad: 'same' };
    const x = normals(400 * 3, 5);
    const w = normals(3 * 3 * 3 * 6, 6).map((v) => v * 0.3);
    const r = normals(4 * 10 * 10 * 6, 7);
    const gradients = async () => {
      const xt = tf.tensor4d(x, c.x);
      const wt = tf.tensor4d(w, c.filter);
      const bias = tf.tensor1d([0.1, -0.2, 0.3, 0, -0.1, 0.2]);
      const rt = tf.tensor4d(r, [4, 10, 10, 6]);
      const loss = (filter: tf.Tensor4D, b: tf.Tensor1D) =>
        tf.sum(tf.mul(tf.fused.conv2d({ x: xt, filter, strides: 1, pad: 'same', bias: b, activation: 'relu' }), rt)) as tf.Scalar;
      const [dw, db] = tf.grads(loss as (...args: tf.Tensor[]) => tf.Scalar)([wt, bias]);
      const values = [(await dw.data()) as Float32Array, (await db.data()) as Float32Array];
      tf.dispose([xt, wt, bias, rt, dw, db]);
      return values;
    };
    await startNodeBackend('cpu');
    const [cpuW, cpuB] = await gradients();
    await startNodeBackend('wasm');
    const [wasmW, wasmB] = await gradients();
    expectClose(wasmW, cpuW, 'filter');
    expectClose(wasmB, cpuB, 'bias');
  });

  it("refuses channels-first data with a clear error, as wasm's forward convolution does", async () => {
    await startNodeBackend('wasm');
    const x = tf.zeros([1, 2, 5, 5]);
    const dy = tf.zeros([1, 2, 5, 5]);
    expect(() =>
      tf
        .engine()
        .runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 2] } as unknown as tf.NamedAttrMap),
    ).toThrow(/channelsLast/);
    tf.dispose([x, dy]);
  });
});
