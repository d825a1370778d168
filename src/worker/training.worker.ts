/// <reference lib="webworker" />
/**
 * The training worker: runs the core off the main thread. One run at a time; a new start cancels the
 * current run and waits for it to release its tensors before beginning.
 */
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { ConfigError } from '../core/config';
import { CustomDataError } from '../core/data/custom';
import { runExperiment } from '../core/experiments';
import { CancelledError, DivergenceError } from '../core/train';
import { chooseBackend } from './backend-choice';
import { fetchAssetSource } from './fetch-assets';
import { Pacer } from './pacer';
import type { ErrorKind, FromWorker, ToWorker } from './protocol';
import { prepareWasmThreads } from './wasm-threads';

declare const self: DedicatedWorkerGlobalScope;

const absolute = (url: string) => new URL(url, self.location.href).href;
// Absolute URLs: tfjs resolves them from inside its own module, which may live elsewhere in the bundle.
const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': absolute(wasmPlainUrl),
  'tfjs-backend-wasm-simd.wasm': absolute(wasmSimdUrl),
  'tfjs-backend-wasm-threaded-simd.wasm': absolute(wasmThreadedUrl),
};

interface ActiveRun {
  runId: number;
  controller: AbortController;
  pacer: Pacer;
  finished: Promise<void>;
}

let active: ActiveRun | null = null;
/** Once per worker, before the wasm backend first starts (tfjs starts it once). */
let wasmThreadsReady: Promise<void> | null = null;

const post = (message: FromWorker) => self.postMessage(message);

function classify(error: unknown): { kind: ErrorKind; message: string; problems?: string[] } {
  if (error instanceof ConfigError) return { kind: 'config', message: 'The experiment settings are invalid.', problems: error.problems };
  if (error instanceof DivergenceError) return { kind: 'divergence', message: error.message };
  if (error instanceof CustomDataError) return { kind: 'data', message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  if (/could not load/.test(message)) return { kind: 'data', message };
  if (/backend/.test(message)) return { kind: 'backend', message };
  return { kind: 'internal', message };
}

async function run(message: Extract<ToWorker, { type: 'start' }>, controller: AbortController, pacer: Pacer): Promise<void> {
  const { runId } = message;
  try {
    wasmThreadsReady ??= prepareWasmThreads(message.wasmThreads ?? 'auto');
    await wasmThreadsReady;
    const backend = await chooseBackend(message.backend, { wasmPaths: WASM_PATHS });
    post({ type: 'backend', runId, backend });
    const result = await runExperiment(message.config, {
      source: fetchAssetSource(message.baseUrl),
      signal: controller.signal,
      beforeStep: pacer.beforeStep,
      customRows: message.customRows,
      onEvent: (event) => {
        if (controller.signal.aborted) return;
        post({ type: 'progress', runId, event });
        if (event.type === 'step') pacer.measured();
      },
    });
    if (controller.signal.aborted) post({ type: 'cancelled', runId });
    else post({ type: 'done', runId, result });
  } catch (error) {
    if (error instanceof CancelledError || controller.signal.aborted) post({ type: 'cancelled', runId });
    else post({ type: 'error', runId, ...classify(error) });
  }
}

async function start(message: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const previous = active;
  if (previous) {
    previous.controller.abort();
    await previous.finished;
  }
  const controller = new AbortController();
  const pacer = new Pacer(message.stepsPerSecond, controller.signal, (paused) => post({ type: 'paused', runId: message.runId, paused }));
  const current: ActiveRun = { runId: message.runId, controller, pacer, finished: Promise.resolve() };
  current.finished = run(message, controller, pacer).finally(() => {
    if (active === current) active = null;
  });
  active = current;
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'start') {
    void start(message);
    return;
  }
  if (!active || active.runId !== message.runId) return;
  switch (message.type) {
    case 'cancel':
      active.controller.abort();
      break;
    case 'pause':
      active.pacer.pause();
      break;
    case 'resume':
      active.pacer.resume();
      break;
    case 'step':
      active.pacer.step();
      break;
    case 'speed':
      active.pacer.setSpeed(message.stepsPerSecond);
      break;
  }
};
