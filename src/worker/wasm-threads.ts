/**
 * Multithreaded wasm where the page allows it. tfjs loads its multithreaded binary when the worker has
 * SharedArrayBuffer, i.e. when the page is cross-origin isolated (served with COOP/COEP headers; GitHub Pages
 * cannot send them, so there the backend is always single-threaded SIMD).
 *
 * Two things are decided here, before the wasm backend starts:
 *  - Whether to use threads at all. tfjs would compute with half the logical cores (at most 4). With fewer than
 *    4 cores that is 1 thread, and the multithreaded binary running 1 thread was slower than the plain SIMD
 *    binary on the 2-core development machine (forcing 2 threads there was 2-3 times slower: the page and the
 *    worker share the two cores); so below 4 cores tfjs's WASM_HAS_MULTITHREAD_SUPPORT flag is switched off.
 *    A page can ask for the multithreaded binary or not (`?wasm-threads=on|off`, passed in the start message),
 *    e.g. to test it; the thread count stays tfjs's choice.
 *  - Making the threads start at all. tfjs starts its thread workers from the text of its Emscripten factory
 *    (`factory.toString()`), and a bundler's minifier renames variables that text relies on: the threads die at
 *    start ("e is not defined") and take the training worker down. So the factory's text is replaced by the
 *    published, unminified one. Where that is not possible threads are switched off, never left to crash.
 */
import { tf } from '../core/tf';

type Factory = ((config: unknown) => Promise<unknown>) & { toString(): string };

/** Cores below which the page computes on one thread (see above). */
const MIN_CORES_FOR_THREADS = 4;

/** The factory expression of tfjs's published glue file: "var WasmBackendModuleThreadedSimd = (() => {...})();". */
export function factoryExpression(glue: string): string | null {
  const match = /var WasmBackendModuleThreadedSimd = (\(\(\) => \{[\s\S]*\}\)\(\));\s*if \(typeof exports === 'object'/.exec(glue);
  return match ? match[1] : null;
}

async function singleThreaded(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm'); // registers the flag
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

export type WasmThreadsChoice = 'on' | 'off' | 'auto';

/** Prepares the wasm backend's threads; call once per worker, before the wasm backend first starts. */
export async function prepareWasmThreads(choice: WasmThreadsChoice): Promise<void> {
  if (!(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated) return; // tfjs finds no threads anyway
  const cores = (globalThis.navigator?.hardwareConcurrency as number | undefined) ?? 1;
  if (choice === 'off' || (choice === 'auto' && cores < MIN_CORES_FOR_THREADS)) {
    await singleThreaded();
    return;
  }
  try {
    const [glue, module] = await Promise.all([
      import('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw'),
      import('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'),
    ]);
    const expression = factoryExpression(glue.default);
    const factory = ((module as { default?: Factory }).default ?? module) as Factory;
    if (!expression || typeof factory !== 'function') throw new Error('unexpected tfjs wasm glue');
    factory.toString = () => expression;
  } catch {
    await singleThreaded();
  }
}
