/**
 * Backend registration and selection. Each backend's package is imported only when asked for, so Node
 * (cpu, wasm) never loads the browser-only ones and the browser bundle splits them into their own chunks.
 */
import { tf } from './tf';

export const BACKENDS = ['webgpu', 'wasm', 'webgl', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendOptions {
  /** Where the tfjs wasm binaries are served from (an absolute URL in a browser, a folder path in Node). */
  wasmPath?: string;
}

async function register(name: BackendName, options: BackendOptions): Promise<void> {
  switch (name) {
    case 'cpu':
      // The cpu backend comes with @tensorflow/tfjs (see tf.ts).
      return;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (options.wasmPath) wasm.setWasmPaths(options.wasmPath);
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

export function activeBackend(): string {
  return tf.getBackend();
}
