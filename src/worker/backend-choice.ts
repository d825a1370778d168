/**
 * Picks the backend in the worker. Automatic order: WebGPU on a real GPU adapter; wasm when the adapter is a
 * software fallback (SwiftShader) or absent, because it is faster there (measured here: one MLP step about 5 ms
 * on wasm against about 96 ms on SwiftShader WebGPU); then WebGL; then the plain JavaScript cpu backend.
 * A user's explicit choice is tried first; if it fails, the automatic order takes over and says why.
 */
import { BACKENDS, useBackend, wasmThreads, type BackendName, type BackendOptions } from '../core/backend';
import type { BackendChoice, BackendReport } from './protocol';

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string };
}

async function webgpuAdapter(): Promise<{ adapter: GpuAdapterLike | null; problem: string | null }> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return { adapter: null, problem: 'this browser has no WebGPU' };
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ? { adapter, problem: null } : { adapter: null, problem: 'no WebGPU adapter is available' };
  } catch (error) {
    return { adapter: null, problem: `WebGPU adapter request failed (${(error as Error).message})` };
  }
}

function describeAdapter(adapter: GpuAdapterLike): string {
  const info = adapter.info ?? {};
  return [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'a hardware adapter';
}

/** A backend whose start never settles (a wasm thread that cannot start, a lost GPU) must not hang the run. */
const START_TIMEOUT_MS = 30_000;

async function startWithin(name: BackendName, options: BackendOptions): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`it did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
  });
  try {
    await Promise.race([useBackend(name, options), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function chooseBackend(choice: BackendChoice, options: BackendOptions): Promise<BackendReport> {
  const report = await pickBackend(choice, options);
  // wasm threads: more than one only on a cross-origin isolated page.
  const threads = await wasmThreads();
  return threads === null ? report : { ...report, threads };
}

async function pickBackend(choice: BackendChoice, options: BackendOptions): Promise<BackendReport> {
  const skipped: string[] = [];
  const attempt = async (name: BackendName): Promise<boolean> => {
    try {
      await startWithin(name, options);
      return true;
    } catch (error) {
      skipped.push(`${name} failed to start (${(error as Error).message})`);
      return false;
    }
  };

  if (choice !== 'auto') {
    if (await attempt(choice)) return { name: choice, reason: 'chosen by you', skipped };
  }

  const { adapter, problem } = await webgpuAdapter();
  const isFallback = adapter ? Boolean(adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter) : false;
  let gpuNote: string;
  if (adapter && !isFallback) {
    if (choice !== 'webgpu' && (await attempt('webgpu'))) return { name: 'webgpu', reason: `WebGPU on ${describeAdapter(adapter)}`, skipped };
    gpuNote = 'WebGPU did not start';
  } else {
    gpuNote = adapter ? 'the WebGPU adapter is a software fallback, slower than wasm here' : (problem ?? 'no WebGPU');
    skipped.push(`webgpu: ${gpuNote}`);
  }
  for (const name of BACKENDS.filter((b) => b !== 'webgpu' && b !== choice)) {
    if (await attempt(name)) {
      const prefix = choice === 'auto' ? '' : `${choice} could not start; `;
      return { name, reason: `${prefix}${name === 'wasm' ? `WebAssembly: ${gpuNote}` : `fallback: ${skipped.join('; ')}`}`, skipped };
    }
  }
  throw new Error(`no backend could start: ${skipped.join('; ')}`);
}

/**
 * The WebGPU device was lost mid-run: the next backend in the automatic order (wasm, then WebGL, then plain
 * JavaScript) takes over, and the report says what happened.
 */
export async function fallbackAfterDeviceLoss(previous: BackendReport, lostReason: string, options: BackendOptions): Promise<BackendReport> {
  const note = `the WebGPU device was lost mid-run (${lostReason})`;
  const skipped = [...previous.skipped, `webgpu: ${note}`];
  for (const name of BACKENDS.filter((b) => b !== 'webgpu')) {
    try {
      await useBackend(name, options);
      return { name, reason: `${note}; the run started again on ${name}`, skipped };
    } catch (error) {
      skipped.push(`${name} failed to start (${(error as Error).message})`);
    }
  }
  throw new Error(`no backend could start after ${note}: ${skipped.join('; ')}`);
}
