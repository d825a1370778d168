/**
 * Backend registration and selection. Each backend's package is imported only when asked for, so Node
 * (cpu, wasm) never loads the browser-only ones and the browser bundle splits them into their own chunks.
 */
import { registerDenseKernels } from './kernels/dense/kernels';
import { registerWasmGradientKernels } from './kernels/wasm-conv2d-backprop-filter';
import { registerWasmRowKernels } from './kernels/wasm-rows';
import { tf } from './tf';

import type { BackendName } from './backend-names';

export { BACKENDS, type BackendName } from './backend-names';

export interface BackendOptions {
  /**
   * Where the tfjs wasm binaries are served from: a folder URL, or a map from file name
   * ("tfjs-backend-wasm-simd.wasm", ...) to absolute URL. Unset in Node, which finds them beside the package.
   */
  wasmPaths?: string | Record<string, string>;
}

async function register(name: BackendName, options: BackendOptions): Promise<void> {
  switch (name) {
    case 'cpu':
      // The cpu backend comes with @tensorflow/tfjs (see tf.ts).
      return;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (options.wasmPaths) wasm.setWasmPaths(options.wasmPaths);
      registerWasmGradientKernels();
      registerDenseKernels();
      registerWasmRowKernels();
      return;
    }
    case 'webgl':
      // The webgl backend comes with @tensorflow/tfjs (see tf.ts).
      return;
    case 'webgpu':
      await import('@tensorflow/tfjs-backend-webgpu');
      return;
  }
}

/** Makes `name` the active backend, or throws with the reason it could not start. */
export async function useBackend(name: BackendName, options: BackendOptions = {}): Promise<void> {
  await register(name, options);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`the ${name} backend failed to initialise`);
  await tf.ready();
}

/**
 * Threads the wasm backend computes with: more than 1 only where the page is cross-origin isolated (its worker
 * has SharedArrayBuffer) and tfjs loaded its multithreaded binary; null when wasm is not running.
 */
export async function wasmThreads(): Promise<number | null> {
  if (tf.getBackend() !== 'wasm') return null;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  return wasm.getThreadsCount();
}

/**
 * When WebGPU is the active backend: a promise that resolves with the reason once its device is lost (a driver
 * reset, the GPU taken away, the device destroyed), so a run can move to another backend instead of hanging.
 * Null on other backends.
 */
export function webgpuDeviceLost(): Promise<string> | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } }).device;
  if (!device?.lost) return null;
  return device.lost.then((info) => info?.message || (info?.reason && info.reason !== 'unknown' ? info.reason : '') || 'no reason given');
}

/**
 * Drops the WebGPU backend whose device was lost and registers it again, so the next run that asks for WebGPU
 * requests a fresh device instead of reusing the dead one. Call after another backend has been made active.
 */
export function replaceWebgpuBackend(): void {
  let factory: ReturnType<typeof tf.findBackendFactory> | null;
  try {
    factory = tf.findBackendFactory('webgpu');
  } catch {
    factory = null;
  }
  if (!factory) return;
  try {
    tf.removeBackend('webgpu');
  } catch {
    // The dead backend may fail to release its buffers; it is dropped all the same.
  }
  tf.registerBackend('webgpu', factory, 3);
}

/** Live tensors and their bytes on the active backend (for leak checks). */
export function tensorMemory(): { numTensors: number; numBytes: number } {
  const { numTensors, numBytes } = tf.memory();
  return { numTensors, numBytes };
}
