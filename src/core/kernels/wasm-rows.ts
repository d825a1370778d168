/**
 * Whole-row gathers on the wasm backend, and their gradient.
 *
 * tfjs 4.22's wasm GatherV2 walks every element through generic strides: about 70 ns per float on the 2-core
 * development machine, 1.7 ms for the 3,200 embedding rows of one language-model batch and most of a language
 * model's training step. A gather along the first axis (a batch of examples, an embedding lookup) copies whole
 * contiguous rows; this kernel does that with typed-array copies and leaves every other gather to tfjs. Its output is
 * a copy, so the same bits.
 *
 * The embedding's gradient was a product of the transposed one-hot rows and dy (tfjs's wasm backend has no kernel
 * for a gather's own gradient): 0.7 ms of transposing and 0.4 ms of product per batch. `DistilleryScatterAddRows`
 * adds each row of dy into its id's row of a zero table, in row order: the product's sums without the zero terms.
 * A product accumulates each output from +0 in the same row order, and adding a product with a zero (±0) changes
 * no finite sum, so the results are the same bits for finite gradients (a NaN or infinite dy would reach every row
 * of the product but only its own row here; training has diverged by then).
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf, type Tensor1D, type Tensor2D } from '../tf';

type TensorInfo = tf.TensorInfo;

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

export const SCATTER_ADD_ROWS = 'DistilleryScatterAddRows';

/** Kernel functions this module installed, so that registering twice keeps one. */
const installed = new WeakSet<object>();

function rowLengthOf(shape: readonly number[]): number {
  return shape.slice(1).reduce((a, b) => a * b, 1);
}

function copyRows(source: Float32Array | Int32Array, target: Float32Array | Int32Array, ids: Int32Array, rowLength: number): void {
  if (rowLength >= 16) {
    for (let i = 0; i < ids.length; i++) target.set(source.subarray(ids[i] * rowLength, (ids[i] + 1) * rowLength), i * rowLength);
    return;
  }
  for (let i = 0, at = 0; i < ids.length; i++) {
    const from = ids[i] * rowLength;
    for (let j = 0; j < rowLength; j++) target[at++] = source[from + j];
  }
}

/** GatherV2 of whole rows (axis 0, no batch dimensions, int32 indices, float32 or int32 values); else tfjs's kernel. */
function gatherRows(args: KernelArgs, fallback: tf.KernelFunc): TensorInfo | TensorInfo[] {
  const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
  const { axis, batchDims } = args.attrs as { axis: number; batchDims?: number };
  const rowGather =
    x.shape.length >= 1 &&
    tf.util.parseAxisParam(axis, x.shape)[0] === 0 &&
    (batchDims ?? 0) === 0 &&
    indices.dtype === 'int32' &&
    (x.dtype === 'float32' || x.dtype === 'int32');
  if (!rowGather) return fallback(args as unknown as Parameters<tf.KernelFunc>[0]);
  const backend = args.backend as unknown as BackendWasm;
  const rows = x.shape[0];
  const requested = backend.typedArrayFromHeap(indices) as Int32Array;
  for (let i = 0; i < requested.length; i++) {
    const index = requested[i];
    // tfjs's own check and message.
    if (!(index >= 0 && index <= rows - 1)) throw new Error(`GatherV2: the index value ${index} is not in [0, ${rows - 1}]`);
  }
  const count = requested.length;
  const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  const rowLength = rowLengthOf(x.shape);
  // Views taken after the output is allocated: allocating may grow the heap and detach earlier views (`requested`
  // then reads as empty, so its length is taken before).
  if (count === 0 || rowLength === 0) return out;
  const ids = backend.typedArrayFromHeap(indices) as Int32Array;
  copyRows(backend.typedArrayFromHeap(x) as Float32Array | Int32Array, backend.typedArrayFromHeap(out) as Float32Array | Int32Array, ids, rowLength);
  return out;
}

/** out (rows x d) = 0, then out[ids[r]] += dy[r] for r = 0, 1, ... in order. */
function scatterAddRows(args: KernelArgs): TensorInfo {
  const { dy, ids } = args.inputs as { dy: TensorInfo; ids: TensorInfo };
  const { rows } = args.attrs as { rows: number };
  if (dy.dtype !== 'float32' || ids.dtype !== 'int32' || dy.shape.length !== 2 || ids.shape.length !== 1 || ids.shape[0] !== dy.shape[0]) {
    throw new Error(`${SCATTER_ADD_ROWS}: a float32 dy of [n, d] and int32 ids of [n]; got ${dy.dtype} [${dy.shape}] and ${ids.dtype} [${ids.shape}]`);
  }
  const backend = args.backend as unknown as BackendWasm;
  const width = dy.shape[1];
  const out = backend.makeOutput([rows, width], 'float32');
  const table = backend.typedArrayFromHeap(out) as Float32Array;
  const gradient = backend.typedArrayFromHeap(dy) as Float32Array;
  const at = backend.typedArrayFromHeap(ids) as Int32Array;
  table.fill(0);
  for (let r = 0; r < at.length; r++) {
    const id = at[r];
    if (!(id >= 0 && id < rows)) throw new Error(`${SCATTER_ADD_ROWS}: id ${id} is not in [0, ${rows - 1}]`);
    // Each sum is rounded to float32 when stored: the same as a float32 addition (double has room for it exactly).
    for (let j = 0, to = id * width, from = r * width; j < width; j++) table[to + j] += gradient[from + j];
  }
  return out;
}

/** Installs the row gather in place of tfjs's GatherV2 on wasm, and the scatter-add (once). */
export function registerWasmRowKernels(): void {
  const gather = tf.getKernel('GatherV2', 'wasm');
  if (gather && !installed.has(gather.kernelFunc)) {
    const fallback = gather.kernelFunc;
    const kernelFunc = ((args: KernelArgs) => gatherRows(args, fallback)) as unknown as tf.KernelFunc;
    installed.add(kernelFunc);
    tf.unregisterKernel('GatherV2', 'wasm');
    tf.registerKernel({ ...gather, kernelFunc });
  }
  if (!tf.getKernel(SCATTER_ADD_ROWS, 'wasm')) {
    tf.registerKernel({ kernelName: SCATTER_ADD_ROWS, backendName: 'wasm', kernelFunc: scatterAddRows as unknown as tf.KernelFunc });
  }
}

/**
 * The gradient of gather(table, ids) with respect to a table of `rows` rows: the scatter-add on wasm, and the
 * product of the transposed one-hot rows with dy elsewhere (the same sums; see above).
 */
export function gatherRowsGradient(ids: Tensor1D, dy: Tensor2D, rows: number): Tensor2D {
  if (tf.getBackend() === 'wasm' && tf.getKernel(SCATTER_ADD_ROWS, 'wasm')) {
    return tf.engine().runKernel(SCATTER_ADD_ROWS, { dy, ids }, { rows }) as Tensor2D;
  }
  return tf.tidy(() => tf.matMul(tf.transpose(tf.oneHot(ids, rows).asType('float32')), dy));
}
