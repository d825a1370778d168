/**
 * A pool of training workers for seeds and sweep cells: each worker is its own tfjs backend and runs one cell at
 * a time, and is reused from cell to cell (its datasets stay loaded: fetch-assets keeps them per worker). The pool
 * is sized from the machine's cores, leaving one for the page, and shrinks to one worker while the tab is hidden
 * (idle workers end at once, busy ones when their cell ends). Cells run exactly as a run from the main page
 * does (same config, same backend choice), so the numbers are the same; only progress events and model exports,
 * which a cell does not show, are not sent.
 */
import type { ExperimentConfig } from '../core/config/schema';
import type { CustomRows } from '../core/data/custom';
import type { ExperimentResult } from '../core/experiments/contract';
import type { BackendChoice, FromWorker, ToWorker } from './protocol';

export type PoolWorkerFactory = () => Worker;

const defaultFactory: PoolWorkerFactory = () => new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'distillery-pool' });

/** Workers for a machine with `cores` logical cores: one fewer (the page keeps one), at least one. */
export function poolSizeFor(cores: number | undefined): number {
  const known = typeof cores === 'number' && Number.isFinite(cores) && cores >= 1 ? Math.floor(cores) : 2;
  return Math.max(1, known - 1);
}

/** A cell stopped by cancelAll (not a failure of the cell). */
export class PoolCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'PoolCancelledError';
  }
}

export interface PoolJobOptions {
  backend: BackendChoice;
  customRows?: CustomRows;
}

interface Job {
  config: ExperimentConfig;
  options: PoolJobOptions;
  resolve(result: ExperimentResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  runId: number;
  /** The backend the worker reported for its current cell. */
  backend: string | null;
}

export class TrainingPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private runIds = 0;
  private limit: number;
  /** The most workers alive at once, for tests and the page's figures. */
  peakWorkers = 0;
  /** Workers created over the pool's life (reuse keeps this at the pool's size). */
  createdWorkers = 0;
  /** Backends the workers reported, by name. */
  readonly backends = new Set<string>();

  constructor(
    readonly size: number,
    private readonly createWorker: PoolWorkerFactory = defaultFactory,
    private readonly baseUrl: string = globalThis.document?.baseURI ?? '',
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`a pool needs at least one worker (got ${size})`);
    this.limit = size;
  }

  get workers(): number {
    return this.slots.length;
  }

  get busy(): number {
    return this.slots.filter((slot) => slot.job).length;
  }

  /** Queues a cell; resolves with its result, rejects with the worker's message (or PoolCancelledError). */
  run(config: ExperimentConfig, options: PoolJobOptions): Promise<ExperimentResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ config, options, resolve, reject });
      this.pump();
    });
  }

  /** A hidden tab keeps one worker; a visible one the full size. */
  setHidden(hidden: boolean): void {
    this.limit = hidden ? 1 : this.size;
    this.trim();
    this.pump();
  }

  /** Rejects every queued cell and stops the running ones (their workers stay, with their backends and data). */
  cancelAll(): void {
    const queued = this.queue;
    this.queue = [];
    for (const job of queued) job.reject(new PoolCancelledError());
    for (const slot of this.slots) {
      if (!slot.job) continue;
      const job = slot.job;
      slot.job = null;
      this.send(slot, { type: 'cancel', runId: slot.runId });
      job.reject(new PoolCancelledError());
    }
  }

  /** Ends the idle workers (a study is over: their memory goes back; the next cell starts a fresh one). */
  releaseIdle(): void {
    for (const slot of this.slots.filter((s) => !s.job)) this.remove(slot);
  }

  dispose(): void {
    this.cancelAll();
    for (const slot of this.slots) slot.worker.terminate();
    this.slots = [];
  }

  private send(slot: Slot, message: ToWorker): void {
    slot.worker.postMessage(message);
  }

  /** Ends idle workers above the limit. */
  private trim(): void {
    while (this.slots.length > this.limit) {
      const idle = this.slots.find((slot) => !slot.job);
      if (!idle) return;
      this.remove(idle);
    }
  }

  private remove(slot: Slot): void {
    slot.worker.terminate();
    this.slots = this.slots.filter((s) => s !== slot);
  }

  /** Hands queued cells to idle workers, starting workers up to the limit. */
  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot) {
        if (this.slots.length >= this.limit) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.runId = ++this.runIds;
      this.send(slot, {
        type: 'start',
        runId: slot.runId,
        config: job.config,
        backend: job.options.backend,
        baseUrl: this.baseUrl,
        stepsPerSecond: null,
        lean: true,
        ...(job.options.customRows ? { customRows: job.options.customRows } : {}),
      });
    }
  }

  private spawn(): Slot {
    const worker = this.createWorker();
    const slot: Slot = { worker, job: null, runId: 0, backend: null };
    this.createdWorkers++;
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(slot, event.data);
    const crash = (reason: string) => {
      const job = slot.job;
      slot.job = null;
      this.remove(slot);
      job?.reject(new Error(reason));
      this.pump();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      crash(event.message || 'a training worker stopped unexpectedly');
    };
    worker.onmessageerror = () => crash('a message from a training worker could not be read');
    this.slots.push(slot);
    this.peakWorkers = Math.max(this.peakWorkers, this.slots.length);
    return slot;
  }

  private receive(slot: Slot, message: FromWorker): void {
    if (message.runId !== slot.runId || !slot.job) return;
    const job = slot.job;
    if (message.type === 'backend') {
      slot.backend = message.backend.name;
      this.backends.add(message.backend.name);
      return;
    }
    if (message.type !== 'done' && message.type !== 'error' && message.type !== 'cancelled') return;
    slot.job = null;
    if (message.type === 'done') job.resolve(message.result);
    else if (message.type === 'cancelled') job.reject(new PoolCancelledError());
    else job.reject(new Error(message.problems?.length ? `${message.message} ${message.problems.join('; ')}` : message.message));
    this.trim();
    this.pump();
  }
}
