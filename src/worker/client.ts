/**
 * The page's handle on the training worker: starts runs, drops messages from runs it has moved past,
 * replaces a worker that crashed (the next start spawns a fresh one), and holds a stop to its word: a run the
 * worker has not confirmed stopped within STOP_SHOWN_MS reads "stopped" all the same (one training step of the
 * largest models can take longer than that on a slow machine), and a worker that has not confirmed a stop within
 * STOP_WATCHDOG_MS is ended and replaced, the run waiting behind it started on the new one.
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

/** After a Stop, the run reads "stopped" by then, confirmed by the worker or not. */
export const STOP_SHOWN_MS = 750;
/** A worker that has not confirmed a stop by then is ended and replaced. */
export const STOP_WATCHDOG_MS = 3000;

type StartMessage = Extract<ToWorker, { type: 'start' }>;
type EndMessage = Extract<FromWorker, { type: 'done' | 'cancelled' | 'error' }>;
const isEnd = (message: FromWorker): message is EndMessage => message.type === 'done' || message.type === 'cancelled' || message.type === 'error';

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
  /** The current run's start message, sent again to a replacement worker. */
  private startMessage: StartMessage | null = null;
  /** The newest run the worker was told to stop and has not confirmed, and the watchdog waiting on it. */
  private unconfirmedStop: { runId: number; watchdog: ReturnType<typeof setTimeout> } | null = null;
  /** Shows the current run stopped if the worker has not confirmed in time. */
  private stopShown: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly handlers: ClientHandlers,
    private readonly createWorker: WorkerFactory = defaultFactory,
  ) {}

  /** Starts a run (cancelling any current one) and returns its id. `customRows`: the visitor's data the config names. */
  start(config: ExperimentConfigInput, backend: BackendChoice, stepsPerSecond: number | null, customRows?: CustomRows): number {
    const previous = this.runId;
    this.runId = previous + 1;
    this.clearStopShown();
    const worker = this.ensureWorker();
    // A run the page already shows stopped may still be winding down in the worker: the worker stops it anyway
    // before starting the next, and the watchdog set when it was stopped still waits on it.
    if (this.running) this.stopInWorker(previous);
    this.running = true;
    const wasmThreads = requestedWasmThreads();
    this.startMessage = {
      type: 'start',
      runId: this.runId,
      config,
      backend,
      baseUrl: document.baseURI,
      stepsPerSecond,
      ...(customRows ? { customRows } : {}),
      ...(wasmThreads ? { wasmThreads } : {}),
    };
    worker.postMessage(this.startMessage);
    return this.runId;
  }

  cancel(): void {
    if (!this.running) return;
    const runId = this.runId;
    this.stopInWorker(runId);
    this.clearStopShown();
    this.stopShown = setTimeout(() => {
      this.stopShown = null;
      if (this.running && this.runId === runId) this.endRun({ type: 'cancelled', runId });
    }, STOP_SHOWN_MS);
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
    this.endWorker();
    this.running = false;
    return wasRunning;
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  /** Tells the worker to stop run `runId`; unless it confirms in time, the watchdog replaces it. */
  private stopInWorker(runId: number): void {
    this.send({ type: 'cancel', runId });
    // The earliest unconfirmed stop sets the deadline; a later one only moves what must be confirmed.
    if (this.unconfirmedStop) this.unconfirmedStop.runId = runId;
    else this.unconfirmedStop = { runId, watchdog: setTimeout(() => this.replaceWorker(), STOP_WATCHDOG_MS) };
  }

  /** The worker has moved past `runId` (it ended it, or works on a later run): stops up to it are confirmed. */
  private confirmed(runId: number, ended: boolean): void {
    const stop = this.unconfirmedStop;
    if (!stop || runId < stop.runId || (runId === stop.runId && !ended)) return;
    clearTimeout(stop.watchdog);
    this.unconfirmedStop = null;
  }

  /** The current run is over for the page. */
  private endRun(message: EndMessage): void {
    this.running = false;
    this.clearStopShown();
    this.handlers.onMessage(message);
  }

  private clearStopShown(): void {
    if (this.stopShown !== null) clearTimeout(this.stopShown);
    this.stopShown = null;
  }

  private endWorker(): void {
    this.worker?.terminate();
    this.worker = null;
    if (this.unconfirmedStop) clearTimeout(this.unconfirmedStop.watchdog);
    this.unconfirmedStop = null;
    this.clearStopShown();
  }

  /**
   * The watchdog: the worker did not confirm a stop in time (a step or kernel that never ends, a worker that no
   * longer reads its messages). It is ended; a stopped run reads stopped, with what finished kept; a run that was
   * waiting for the stop starts on a new worker.
   */
  private replaceWorker(): void {
    const stoppedRun = this.unconfirmedStop?.runId;
    this.endWorker();
    if (!this.running) return;
    if (stoppedRun === this.runId || !this.startMessage || this.startMessage.runId !== this.runId) {
      this.endRun({ type: 'cancelled', runId: this.runId });
      return;
    }
    this.ensureWorker().postMessage(this.startMessage);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      if (this.worker !== worker) return; // a worker already replaced
      const message = event.data;
      this.confirmed(message.runId, isEnd(message));
      // A run the page has already left behind, or already shows as ended.
      if (message.runId !== this.runId || !this.running) return;
      if (isEnd(message)) this.endRun(message);
      else this.handlers.onMessage(message);
    };
    const crash = (reason: string) => {
      if (this.worker !== worker) return;
      this.endWorker();
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
