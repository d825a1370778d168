/**
 * Backend registration and selection. Each backend's package is imported only when asked for, so Node
 * (cpu, wasm) never loads the browser-only ones and the browser bundle splits them into their own chunks.
 */
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

export function activeBackend(): string {
  return tf.getBackend();
}
