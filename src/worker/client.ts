/**
 * The page's handle on the training worker: starts runs, drops messages from runs it has moved past,
 * and replaces a worker that crashed (the next start spawns a fresh one).
 */
import type { ExperimentConfigInput } from '../core/config/schema';
import type { CustomRows } from '../core/data/custom';
import type { BackendChoice, FromWorker, ToWorker } from './protocol';

export interface ClientHandlers {
  onMessage(message: FromWorker): void;
  /** The worker died (an uncaught error or a failed load); the current run is lost. */
  onCrash(reason: string): void;
}

export type WorkerFactory = () => Worker;

const defaultFactory: WorkerFactory = () => new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'distillery-training' });

/** `?wasm-threads=on|off` in the page's address: force wasm's multithreaded binary on or off where the page is isolated. */
function requestedWasmThreads(): 'on' | 'off' | undefined {
  const value = new URLSearchParams(globalThis.location?.search ?? '').get('wasm-threads');
  return value === 'on' || value === 'off' ? value : undefined;
}

export class TrainingClient {
  private worker: Worker | null = null;
  private runId = 0;
  private running = false;

  constructor(
    private readonly handlers: ClientHandlers,
    private readonly createWorker: WorkerFactory = defaultFactory,
  ) {}

  /** Starts a run (cancelling any current one) and returns its id. `customRows`: the visitor's data the config names. */
  start(config: ExperimentConfigInput, backend: BackendChoice, stepsPerSecond: number | null, customRows?: CustomRows): number {
    const previous = this.runId;
    this.runId = previous + 1;
    const worker = this.ensureWorker();
    if (this.running) worker.postMessage({ type: 'cancel', runId: previous } satisfies ToWorker);
    this.running = true;
    const wasmThreads = requestedWasmThreads();
    worker.postMessage({
      type: 'start',
      runId: this.runId,
      config,
      backend,
      baseUrl: document.baseURI,
      stepsPerSecond,
      ...(customRows ? { customRows } : {}),
      ...(wasmThreads ? { wasmThreads } : {}),
    } satisfies ToWorker);
    return this.runId;
  }

  cancel(): void {
    if (this.running) this.send({ type: 'cancel', runId: this.runId });
  }

  pause(): void {
    this.send({ type: 'pause', runId: this.runId });
  }

  resume(): void {
    this.send({ type: 'resume', runId: this.runId });
  }

  step(): void {
    this.send({ type: 'step', runId: this.runId });
  }

  setSpeed(stepsPerSecond: number | null): void {
    this.send({ type: 'speed', runId: this.runId, stepsPerSecond });
  }

  /** Ends the worker (page closing, tests); returns whether a run was in progress (it is lost). */
  dispose(): boolean {
    const wasRunning = this.running;
    this.worker?.terminate();
    this.worker = null;
    this.running = false;
    return wasRunning;
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      if (message.runId !== this.runId) return; // a run the page has already left behind
      if (message.type === 'done' || message.type === 'cancelled' || message.type === 'error') this.running = false;
      this.handlers.onMessage(message);
    };
    const crash = (reason: string) => {
      worker.terminate();
      if (this.worker === worker) this.worker = null;
      const wasRunning = this.running;
      this.running = false;
      if (wasRunning) this.handlers.onCrash(reason);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      crash(event.message || 'the training worker stopped unexpectedly');
    };
    worker.onmessageerror = () => crash('a message from the training worker could not be read');
    this.worker = worker;
    return worker;
  }
}
