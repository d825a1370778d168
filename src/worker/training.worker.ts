/// <reference lib="webworker" />
/**
 * The training worker: runs the core off the main thread. One run at a time; a new start cancels the
 * current run and waits for it to release its tensors before beginning (of several starts queued meanwhile,
 * only the newest begins). A WebGPU device lost mid-run moves the run to the next backend.
 */
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { replaceWebgpuBackend, tensorMemory, webgpuDeviceLost } from '../core/backend';
import { ConfigError, parseConfig } from '../core/config/read';
import { CustomDataError } from '../core/data/custom';
import type { ExperimentStart } from '../core/experiments/contract';
import { runExperiment } from '../core/experiments/registry';
import { exportLayersModel } from '../core/models/export-layers';
import { stageMetadata } from '../core/models/layers-format';
import { denseKernelsReady } from '../core/kernels/dense/kernels';
import { CancelledError, throwIfCancelled } from '../core/cancellation';
import { DivergenceError } from '../core/train';
import { chooseBackend, fallbackAfterDeviceLoss } from './backend-choice';
import { cachedAssetSource } from './fetch-assets';
import { Pacer } from './pacer';
import type { ErrorKind, FromWorker, ToWorker } from './protocol';
import { BrowserStageStore } from './stage-store';
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
/** Trained stages, reused by later runs in this worker and (through IndexedDB) after a reload. */
const stageCache = new BrowserStageStore();
/** Ticket of the newest start message: a start that waited for an earlier run begins only if still newest. */
let newestStart = 0;
let pendingStart: { runId: number; ticket: number } | null = null;
/** The WebGPU device in use was lost and its backend not yet replaced. */
let webgpuLost = false;

/**
 * Read-only figures for tests and diagnostics (devtools or Playwright can read them in the worker; the page and
 * links cannot reach the worker's globals): runs training right now, the most ever at once, live tensors.
 */
const stats = { training: 0, peakTraining: 0, started: 0, deviceLosses: 0 };
(self as unknown as { distilleryWorker: unknown }).distilleryWorker = { stats, memory: tensorMemory, denseKernels: denseKernelsReady };
/** Once per worker, before the wasm backend first starts (tfjs starts it once). */
let wasmThreadsReady: Promise<void> | null = null;

const post = (message: FromWorker, transfer: Transferable[] = []) => self.postMessage(message, transfer);

class DeviceLostError extends Error {
  constructor(public readonly reason: string) {
    super(`the WebGPU device was lost (${reason})`);
    this.name = 'DeviceLostError';
  }
}

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
  stats.training++;
  stats.started++;
  stats.peakTraining = Math.max(stats.peakTraining, stats.training);
  try {
    // A device lost after its run ended is replaced before anything asks for WebGPU again.
    if (webgpuLost) replaceWebgpuBackend();
    webgpuLost = false;
    wasmThreadsReady ??= prepareWasmThreads(message.wasmThreads ?? 'auto');
    await wasmThreadsReady;
    let backend = await chooseBackend(message.backend, { wasmPaths: WASM_PATHS });
    // Starting a backend takes a while the first time: a stop sent meanwhile ends the run here.
    throwIfCancelled(controller.signal);
    post({ type: 'backend', runId, backend });
    for (;;) {
      // Each attempt has its own signal (aborted with the run), so an attempt abandoned on a lost device stops at
      // its next step.
      const attempt = new AbortController();
      const signal = attempt.signal;
      const abortAttempt = () => attempt.abort();
      controller.signal.addEventListener('abort', abortAttempt, { once: true });
      const lost = webgpuDeviceLost();
      void lost?.then(() => (webgpuLost = true));
      let announced: ExperimentStart | null = null;
      const backendName = backend.name;
      const experiment = runExperiment(message.config, {
        assets: cachedAssetSource(message.baseUrl),
        signal,
        beforeStep: pacer.beforeStep,
        customRows: message.customRows,
        // A speed cap asks to watch the models train: then every stage trains, as before.
        stageCache: message.stepsPerSecond ? undefined : stageCache,
        onEvent: (event) => {
          if (signal.aborted) return;
          if (message.lean) {
            if (event.type === 'step') pacer.measured();
            return;
          }
          if (event.type === 'experiment-start') announced = event;
          post({ type: 'progress', runId, event });
          if (event.type === 'step') pacer.measured();
        },
        // Each trained model goes to the page in layers format, for the visitor to take away.
        onTrainedModel: async (stage, model) => {
          if (signal.aborted || !announced || message.lean) return;
          const { classNames, datasetKind: kind, dataset: name, test } = announced as ExperimentStart;
          const config = parseConfig(message.config);
          try {
            const context = { config, backend: backendName, dataset: { id: config.data.dataset, name, kind, classNames, featureShape: test.featureShape } };
            const files = await exportLayersModel(model, stageMetadata({ ...stage }, context));
            post({ type: 'model', runId, stage: stage.name, files }, [files.weightData]);
          } catch (error) {
            post({ type: 'model', runId, stage: stage.name, files: null, problem: error instanceof Error ? error.message : String(error) });
          }
        },
      });
      try {
        // A lost device may leave a read-back pending forever: the loss itself ends the attempt.
        const lostError = lost?.then((reason) => Promise.reject(new DeviceLostError(reason)));
        lostError?.catch(() => undefined);
        const result = await (lostError ? Promise.race([experiment, lostError]) : experiment).finally(() =>
          controller.signal.removeEventListener('abort', abortAttempt),
        );
        if (controller.signal.aborted) post({ type: 'cancelled', runId });
        else post({ type: 'done', runId, result });
        return;
      } catch (error) {
        const lostReason = error instanceof DeviceLostError ? error.reason : lost ? await settledLoss(lost) : null;
        if (lostReason === null || controller.signal.aborted) throw error;
        attempt.abort();
        experiment.catch(() => undefined);
        stats.deviceLosses++;
        backend = await fallbackAfterDeviceLoss(backend, lostReason, { wasmPaths: WASM_PATHS });
        replaceWebgpuBackend();
        webgpuLost = false;
        post({ type: 'backend', runId, backend });
      }
    }
  } catch (error) {
    if (error instanceof CancelledError || controller.signal.aborted) post({ type: 'cancelled', runId });
    else post({ type: 'error', runId, ...classify(error) });
  } finally {
    stats.training--;
  }
}

/** The loss reason if the device is already lost (an error caused by the loss may arrive first), else null. */
async function settledLoss(lost: Promise<string>): Promise<string | null> {
  return Promise.race([lost, new Promise<null>((resolve) => setTimeout(() => resolve(null), 50))]);
}

async function start(message: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const ticket = ++newestStart;
  pendingStart = { runId: message.runId, ticket };
  // Stop whatever trains, and wait until it has released its tensors.
  while (active) {
    active.controller.abort();
    await active.finished;
  }
  if (ticket !== newestStart) {
    // A newer start (or a cancel of this one) arrived while waiting: this run never begins.
    post({ type: 'cancelled', runId: message.runId });
    return;
  }
  pendingStart = null;
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
  if (message.type === 'cancel' && pendingStart?.runId === message.runId && pendingStart.ticket === newestStart) {
    newestStart++; // the waiting start sees it is no longer the newest and reports itself cancelled
    pendingStart = null;
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
