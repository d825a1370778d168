/**
 * Conv2DBackpropFilter (a convolution's gradient with respect to its filter) for the wasm backend, which tfjs 4.22
 * does not ship: without it no CNN trains on wasm. It is an im2col product: the input patches each filter tap
 * sees are written out, transposed, as a [taps x positions] matrix on the wasm heap, and wasm's own BatchMatMul
 * (XNNPACK) multiplies it by dy viewed as [positions x outChannels]. The batch is split so that the patch matrix
 * stays under PATCH_FLOATS; the chunks' products are summed.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../tf';

type TensorInfo = tf.TensorInfo;

/** Most floats the patch matrix of one chunk may hold (16 MB). */
export const PATCH_FLOATS = 1 << 22;

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * Writes, for the examples [first, first + count), patches[tap][position]: the input value filter tap
 * (row, column, input channel) multiplies at output position (example, outRow, outCol), 0 where it falls in padding.
 */
function writePatches(patches: Float32Array, x: Float32Array, info: tf.backend_util.Conv2DInfo, first: number, count: number): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const positions = count * outHeight * outWidth;
  const exampleSize = inHeight * inWidth * inChannels;
  for (let fr = 0; fr < filterHeight; fr++) {
    for (let fc = 0; fc < filterWidth; fc++) {
      for (let c = 0; c < inChannels; c++) {
        const row = ((fr * filterWidth + fc) * inChannels + c) * positions;
        let m = row;
        for (let b = first; b < first + count; b++) {
          const example = b * exampleSize + c;
          for (let yr = 0; yr < outHeight; yr++) {
            const xr = yr * strideHeight + fr - top;
            if (xr < 0 || xr >= inHeight) {
              patches.fill(0, m, m + outWidth);
              m += outWidth;
              continue;
            }
            const xRow = example + xr * inWidth * inChannels;
            for (let yc = 0; yc < outWidth; yc++, m++) {
              const xc = yc * strideWidth + fc - left;
              patches[m] = xc >= 0 && xc < inWidth ? x[xRow + xc * inChannels] : 0;
            }
          }
        }
      }
    }
  }
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

/** The kernel; `patchFloats` bounds the patch matrix of one chunk of the batch (smaller in tests, to split it). */
export function conv2DBackpropFilterWasm(args: KernelArgs, patchFloats = PATCH_FLOATS): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new Error(`Conv2DBackpropFilter on wasm supports only channelsLast (NHWC) data, not ${info.dataFormat}`);
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new Error('Conv2DBackpropFilter on wasm supports only float32 tensors');
  const batchMatMul = tf.getKernel('BatchMatMul', 'wasm').kernelFunc;
  const { batchSize, outHeight, outWidth, outChannels, filterHeight, filterWidth, inChannels } = info;
  const taps = filterHeight * filterWidth * inChannels;
  const perExample = outHeight * outWidth;
  const chunk = Math.max(1, Math.min(batchSize, Math.floor(patchFloats / (taps * perExample))));
  const total = backend.makeOutput([taps, outChannels], 'float32');
  // Zero, then each chunk's product is added (an empty batch leaves a zero gradient).
  (backend.typedArrayFromHeap(total) as Float32Array).fill(0);
  for (let first = 0; perExample > 0 && first < batchSize; first += chunk) {
    const count = Math.min(chunk, batchSize - first);
    const positions = count * perExample;
    const patches = backend.makeOutput([1, taps, positions], 'float32');
    // dy's rows for these examples: dy itself when the batch is one chunk, else a copy (kernels read whole tensors).
    const whole = count === batchSize;
    const dyRows: TensorInfo = whole
      ? { dataId: dy.dataId, shape: [1, positions, outChannels], dtype: 'float32' }
      : backend.makeOutput([1, positions, outChannels], 'float32');
    // Views are taken after every allocation: a growing wasm heap detaches the earlier ones.
    writePatches(backend.typedArrayFromHeap(patches) as Float32Array, backend.typedArrayFromHeap(x) as Float32Array, info, first, count);
    if (!whole) {
      const dyAll = backend.typedArrayFromHeap(dy) as Float32Array;
      (backend.typedArrayFromHeap(dyRows) as Float32Array).set(dyAll.subarray(first * perExample * outChannels, (first + count) * perExample * outChannels));
    }
    const product = batchMatMul({ inputs: { a: patches, b: dyRows }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    backend.disposeData(patches.dataId);
    if (!whole) backend.disposeData(dyRows.dataId);
    const sum = backend.typedArrayFromHeap(total) as Float32Array;
    const part = backend.typedArrayFromHeap(product) as Float32Array;
    for (let i = 0; i < sum.length; i++) sum[i] += part[i];
    backend.disposeData(product.dataId);
  }
  return { dataId: total.dataId, shape: [...filterShape], dtype: 'float32' };
}

/** Adds the kernels the wasm backend lacks for training a CNN (once; a kernel tfjs ships itself is kept). */
export function registerWasmGradientKernels(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ((args: KernelArgs) => conv2DBackpropFilterWasm(args)) as unknown as tf.KernelFunc,
  });
}
