/**
 * Dense layers and Adam on the wasm backend, each in one kernel (dense.c, built by `npm run build-kernels`) that
 * works in tfjs's own wasm memory. A dense layer's training step took 3 kernels forward (product, bias, ReLU) and 7
 * backward (step, multiply, two transposes copying a weight matrix or a batch, two products, a sum), and Adam about
 * 14 per group of variables; each kernel costs tfjs's bookkeeping, and the transposes and element-wise passes
 * stream whole matrices through memory. The results are the same bits as tfjs's kernels (see dense.c).
 *
 * Registered for 'wasm' when it starts (registerDenseKernels). Where the module cannot be instantiated (no SIMD, no
 * reachable memory) `denseKernelsReady` is false and the callers keep tfjs's kernels: the same numbers, slower.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf';
import { DENSE_WASM_PLAIN, DENSE_WASM_SHARED } from './binary';

type TensorInfo = tf.TensorInfo;

export const DENSE_FORWARD = 'DistilleryDenseForward';
export const DENSE_BACKWARD = 'DistilleryDenseBackward';
export const ADAM_UPDATE = 'DistilleryAdamUpdate';

interface DenseExports {
  nanSignBit(inf: number): number;
  gemmScratch(m: number, k: number, n: number): number;
  gemm(...args: number[]): void;
  denseGradScratch(batch: number, inputs: number, outputs: number): number;
  denseGrad(...args: number[]): void;
  adam(...args: number[]): void;
}

interface EmscriptenModule {
  asm?: { memory?: unknown };
  wasmMemory?: unknown;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

interface Runtime {
  kernels: DenseExports;
  /** XNNPACK's ReLU rule on this machine (see dense.c). */
  x86: number;
  wasm: EmscriptenModule;
  scratch: { pointer: number; floats: number };
}

/** The WebAssembly API (a global in pages, workers and Node alike; the core's type-check has no DOM library). */
interface WasmApi {
  Memory: abstract new (...args: never[]) => { buffer: unknown };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const runtimes = new WeakMap<object, Runtime | null>();
let enabled = true;

function decodeBase64(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const values = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let count = 0;
  let at = 0;
  for (let i = 0; i < clean.length; i++) {
    bits = (bits << 6) | values[clean.charCodeAt(i)];
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[at++] = (bits >> count) & 0xff;
    }
  }
  return out;
}

/** The kernels bound to this wasm backend's memory, or null where they cannot run. */
function runtimeOf(backend: BackendWasm): Runtime | null {
  const wasm = backend.wasm as unknown as EmscriptenModule;
  if (runtimes.has(wasm)) return runtimes.get(wasm)!;
  let runtime: Runtime | null = null;
  const memory = wasm.asm?.memory ?? wasm.wasmMemory;
  if (memory instanceof wasmApi.Memory) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    try {
      const module = new wasmApi.Module(decodeBase64(shared ? DENSE_WASM_SHARED : DENSE_WASM_PLAIN));
      const kernels = new wasmApi.Instance(module, { env: { memory } }).exports as unknown as DenseExports;
      runtime = { kernels, x86: kernels.nanSignBit(Infinity), wasm, scratch: { pointer: 0, floats: 0 } };
    } catch {
      // No WebAssembly SIMD (or a memory this module cannot import): tfjs's kernels do the work.
      runtime = null;
    }
  }
  runtimes.set(wasm, runtime);
  return runtime;
}

/** A scratch buffer of at least `floats` floats on the wasm heap (kept and grown). */
function scratch(runtime: Runtime, floats: number): number {
  if (runtime.scratch.floats < floats) {
    if (runtime.scratch.pointer) runtime.wasm._free(runtime.scratch.pointer);
    runtime.scratch = { pointer: runtime.wasm._malloc(floats * 4), floats };
  }
  return runtime.scratch.pointer;
}

/** Turns the kernels off and on (tests and benchmarks compare both ways). */
export function setDenseKernels(on: boolean): void {
  enabled = on;
}

/** Whether the dense and Adam kernels run on the active backend. */
export function denseKernelsReady(): boolean {
  if (!enabled || tf.getBackend() !== 'wasm') return false;
  return runtimeOf(tf.backend() as unknown as BackendWasm) !== null && tf.getKernel(DENSE_FORWARD, 'wasm') !== undefined;
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

function bind(args: KernelArgs) {
  const backend = args.backend as unknown as BackendWasm;
  const runtime = runtimeOf(backend);
  if (!runtime) throw new Error('the dense wasm kernels are not available on this backend');
  const offset = (t: TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  const output = (shape: number[]) => backend.makeOutput(shape, 'float32');
  return { runtime, offset, output };
}

function checkFloat(name: string, ...tensors: TensorInfo[]): void {
  if (tensors.some((t) => t.dtype !== 'float32')) throw new Error(`${name}: float32 tensors only`);
}

/** y = act(x kernel + bias): attrs relu (else linear) and biasFirst (tfjs's fused product) or after (its unfused path). */
function denseForward(args: KernelArgs): TensorInfo {
  const { x, kernel, bias } = args.inputs as { x: TensorInfo; kernel: TensorInfo; bias: TensorInfo };
  const { relu, biasFirst } = args.attrs as { relu: boolean; biasFirst: boolean };
  checkFloat(DENSE_FORWARD, x, kernel, bias);
  const [rows, inner] = x.shape;
  const [kernelRows, columns] = kernel.shape;
  if (inner !== kernelRows || bias.shape[0] !== columns) throw new Error(`${DENSE_FORWARD}: shapes ${x.shape}, ${kernel.shape}, ${bias.shape} do not fit`);
  const { runtime, offset, output } = bind(args);
  const y = output([rows, columns]);
  const work = scratch(runtime, runtime.kernels.gemmScratch(rows, inner, columns));
  runtime.kernels.gemm(offset(x), 0, offset(kernel), 0, offset(y), rows, inner, columns, offset(bias), biasFirst ? 1 : 2, relu ? 1 : 0, runtime.x86, work);
  return y;
}

/** [dKernel, dBias] and, with attrs.inputGradient, dx: the gradient of denseForward's y from dy. */
function denseBackward(args: KernelArgs): TensorInfo[] {
  const { dy, x, kernel, y } = args.inputs as { dy: TensorInfo; x: TensorInfo; kernel: TensorInfo; y: TensorInfo };
  const { relu, inputGradient } = args.attrs as { relu: boolean; inputGradient: boolean };
  checkFloat(DENSE_BACKWARD, dy, x, kernel, y);
  const [batch, inputs] = x.shape;
  const outputs = kernel.shape[1];
  const { runtime, offset, output } = bind(args);
  const dKernel = output([inputs, outputs]);
  const dBias = output([outputs]);
  const dx = inputGradient ? output([batch, inputs]) : null;
  const work = scratch(runtime, runtime.kernels.denseGradScratch(batch, inputs, outputs));
  runtime.kernels.denseGrad(
    offset(dy),
    offset(x),
    offset(kernel),
    offset(y),
    batch,
    inputs,
    outputs,
    relu ? 1 : 0,
    offset(dKernel),
    offset(dBias),
    dx ? offset(dx) : 0,
    work,
  );
  return dx ? [dKernel, dBias, dx] : [dKernel, dBias];
}

/** Adam on `count` variables (inputs w0, g0, m0, v0, w1, ...): outputs [w0', m0', v0', w1', ...]. */
function adamUpdate(args: KernelArgs): TensorInfo[] {
  const attrs = args.attrs as Record<string, number>;
  const { runtime, offset, output } = bind(args);
  const outs: TensorInfo[] = [];
  for (let i = 0; i < attrs.count; i++) {
    const [w, g, m, v] = ['w', 'g', 'm', 'v'].map((name) => args.inputs[`${name}${i}`] as TensorInfo);
    checkFloat(ADAM_UPDATE, w, g, m, v);
    const [wOut, mOut, vOut] = [output(w.shape), output(w.shape), output(w.shape)];
    const size = w.shape.reduce((a, b) => a * b, 1);
    runtime.kernels.adam(
      offset(w),
      offset(g),
      offset(m),
      offset(v),
      offset(wOut),
      offset(mOut),
      offset(vOut),
      size,
      attrs.beta1,
      attrs.oneMinusBeta1,
      attrs.beta2,
      attrs.oneMinusBeta2,
      attrs.oneMinusAccBeta1,
      attrs.oneMinusAccBeta2,
      attrs.epsilon,
      attrs.negativeRate,
    );
    outs.push(wOut, mOut, vOut);
  }
  return outs;
}

/** Registers the three kernels for 'wasm' (once). */
export function registerDenseKernels(): void {
  if (tf.getKernel(DENSE_FORWARD, 'wasm')) return;
  const register = (kernelName: string, kernelFunc: (args: KernelArgs) => TensorInfo | TensorInfo[]) =>
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  register(DENSE_FORWARD, denseForward);
  register(DENSE_BACKWARD, denseBackward);
  register(ADAM_UPDATE, adamUpdate);
}
