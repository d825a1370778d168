import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../node/node-backend';
import { buildCharModel } from '../language/char-model';
import { createRng } from '../rng';
import { tf, type Tensor1D, type Tensor2D } from '../tf';
import { gatherRowsGradient, registerWasmRowKernels, SCATTER_ADD_ROWS } from './wasm-rows';

const bits = async (t: tf.Tensor) => Array.from(new Uint32Array((await t.data()).slice().buffer as ArrayBuffer));

function randomValues(length: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.normal());
}

describe('row gathers and their gradient on wasm', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('gathers whole rows, in the order asked, repeats and shapes kept', async () => {
    const table = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]);
    const picked = tf.gather(table, tf.tensor1d([2, 0, 2], 'int32'));
    expect(picked.shape).toEqual([3, 3]);
    expect(Array.from(await picked.data())).toEqual([7, 8, 9, 1, 2, 3, 7, 8, 9]);
    // Indices of rank 2 and a rank-3 table: the output is indices' shape then a row's.
    const cube = tf.tensor3d(
      Array.from({ length: 24 }, (_, i) => i),
      [4, 3, 2],
    );
    const out = tf.gather(cube, tf.tensor2d([[3, 1]], [1, 2], 'int32'));
    expect(out.shape).toEqual([1, 2, 3, 2]);
    expect(Array.from(await out.data())).toEqual([18, 19, 20, 21, 22, 23, 6, 7, 8, 9, 10, 11]);
    // int32 values, and rows long enough for the block copy.
    const wide = tf.tensor2d(
      Int32Array.from({ length: 64 }, (_, i) => i),
      [2, 32],
      'int32',
    );
    expect(Array.from(await tf.gather(wide, tf.tensor1d([1], 'int32')).data())).toEqual(Array.from({ length: 32 }, (_, i) => 32 + i));
  });

  it('gathers into an output that grows the heap (which detaches views taken before it)', async () => {
    const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength;
    const before = heapBytes();
    const rng = createRng(11);
    const tableValues = randomValues(81 * 16, 2);
    // An output of more bytes than the whole heap had: allocating it must grow the heap.
    const count = Math.ceil(before / (16 * 4)) + 1024;
    const idValues = Int32Array.from({ length: count }, () => rng.int(81));
    const picked = await tf.gather(tf.tensor2d(tableValues, [81, 16]), tf.tensor1d(idValues, 'int32')).data();
    expect(heapBytes()).toBeGreaterThan(before);
    let wrong = 0;
    for (let i = 0; i < count; i++) for (let j = 0; j < 16; j++) if (picked[i * 16 + j] !== tableValues[idValues[i] * 16 + j]) wrong++;
    expect(wrong).toBe(0);
  });

  it('leaves other gathers to tfjs and gives what the cpu backend gives', async () => {
    const values = Array.from({ length: 24 }, (_, i) => i * 1.5);
    const cube = tf.tensor3d(values, [2, 3, 4]);
    const alongTwo = await tf.gather(cube, tf.tensor1d([3, 0], 'int32'), 2).data();
    await tf.setBackend('cpu');
    const cpuCube = tf.tensor3d(values, [2, 3, 4]);
    const expected = await tf.gather(cpuCube, tf.tensor1d([3, 0], 'int32'), 2).data();
    await tf.setBackend('wasm');
    expect(Array.from(alongTwo)).toEqual(Array.from(expected));
  });

  it('refuses an index outside the table with tfjs message', () => {
    const table = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(() => tf.gather(table, tf.tensor1d([0, 2], 'int32'))).toThrow('GatherV2: the index value 2 is not in [0, 1]');
    expect(() => tf.gather(table, tf.tensor1d([-1], 'int32'))).toThrow('GatherV2: the index value -1 is not in [0, 1]');
  });

  it('adds gradient rows into their ids: a hand-computed case', async () => {
    const dy = tf.tensor2d([1, 2, 10, 20, 100, 200], [3, 2]);
    const grad = gatherRowsGradient(tf.tensor1d([2, 0, 2], 'int32'), dy, 4);
    expect(grad.shape).toEqual([4, 2]);
    expect(Array.from(await grad.data())).toEqual([10, 20, 0, 0, 101, 202, 0, 0]);
  });

  it('gives the same bits as the one-hot product it replaces, with many repeats of each id', async () => {
    const rows = 81;
    const n = 3200;
    const rng = createRng(7);
    const ids = tf.tensor1d(
      Int32Array.from({ length: n }, () => rng.int(rows)),
      'int32',
    ) as Tensor1D;
    const dy = tf.tensor2d(randomValues(n * 8, 3), [n, 8]) as Tensor2D;
    const product = tf.matMul(tf.transpose(tf.oneHot(ids, rows).asType('float32')), dy);
    const scattered = gatherRowsGradient(ids, dy, rows);
    expect(await bits(scattered)).toEqual(await bits(product));
  });

  it('trains a character model to the same weights as the product did', async () => {
    const spec = { embedding: 4, width: 16, depth: 1 };
    const shape = { vocab: 12, context: 6 };
    const rng = createRng(5);
    const x = tf.tensor2d(
      Float32Array.from({ length: 40 * shape.context }, () => rng.int(shape.vocab)),
      [40, shape.context],
    );
    const y = tf
      .oneHot(
        tf.tensor1d(
          Int32Array.from({ length: 40 }, () => rng.int(shape.vocab)),
          'int32',
        ),
        shape.vocab,
      )
      .asType('float32');
    const trainOnce = async (): Promise<number[][]> => {
      const model = buildCharModel(spec, shape, createRng(1));
      const optimizer = tf.train.sgd(0.5);
      for (let step = 0; step < 3; step++) {
        optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.forward(x as Tensor2D, true)) as tf.Scalar, false, model.trainable);
      }
      const weights = await Promise.all(model.trainable.map(bits));
      model.dispose();
      return weights;
    };
    const withKernel = await trainOnce();
    // The same steps with the scatter-add switched off: the product path, as on every other backend.
    tf.unregisterKernel(SCATTER_ADD_ROWS, 'wasm');
    try {
      const withProduct = await trainOnce();
      expect(withKernel).toEqual(withProduct);
    } finally {
      registerWasmRowKernels();
    }
  });
});
