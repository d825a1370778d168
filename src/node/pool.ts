/**
 * A pool of Node worker threads that run experiments (the command line's sweeps): each thread starts its own tfjs
 * backend and keeps its datasets from cell to cell; cells are handed out one at a time, to whichever thread is
 * free. A result does not depend on the thread or on what ran before it there.
 */
import { Worker } from 'node:worker_threads';
import type { ExperimentConfig } from '../core/config/schema';
import type { ExperimentResult } from '../core/experiments/contract';
import type { NodeBackend } from './node-backend';

export type ToCellWorker = { type: 'run'; id: number; config: ExperimentConfig };
export type FromCellWorker =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; result: ExperimentResult; reads: Record<string, number> }
  | { type: 'error'; id: number; message: string };

interface Job {
  id: number;
  config: ExperimentConfig;
  resolve: (result: ExperimentResult) => void;
  reject: (error: Error) => void;
}

/** What one thread did: cells run, and each file it read from disk with how often. */
export interface ThreadStats {
  cells: number;
  reads: Record<string, number>;
}

interface Thread {
  worker: Worker;
  job: Job | null;
  stats: ThreadStats;
}

/**
 * The thread's module. Run through tsx (the command line is), a thread does not inherit tsx's loader, so it
 * registers it before importing the TypeScript module.
 */
function startWorker(backend: NodeBackend): Worker {
  const entry = new URL(import.meta.url.endsWith('.ts') ? './cell-worker.ts' : './cell-worker.js', import.meta.url).href;
  if (!entry.endsWith('.ts')) return new Worker(new URL(entry), { workerData: { backend } });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: { backend } });
}

export class CellPool {
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;
  private broken: Error | null = null;

  private constructor(
    private readonly threads: Thread[],
    private readonly backend: NodeBackend,
  ) {
    threads.forEach((thread) => this.listen(thread));
  }

  /** Starts `size` threads and waits until each has its backend running. */
  static async start(size: number, backend: NodeBackend): Promise<CellPool> {
    const threads = await Promise.all(Array.from({ length: size }, () => CellPool.startThread(backend)));
    return new CellPool(threads, backend);
  }

  private static startThread(backend: NodeBackend): Promise<Thread> {
    const worker = startWorker(backend);
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        void worker.terminate();
        reject(error);
      };
      worker.once('error', fail);
      worker.once('message', (message: FromCellWorker) => {
        worker.off('error', fail);
        if (message.type === 'ready') resolve({ worker, job: null, stats: { cells: 0, reads: {} } });
        else fail(new Error(message.type === 'failed' ? message.message : 'a worker thread did not start'));
      });
    });
  }

  /** Runs one experiment on the first free thread (queued until one is). */
  run(config: ExperimentConfig): Promise<ExperimentResult> {
    if (this.closed) return Promise.reject(new Error('the pool is closed'));
    if (this.broken && this.threads.length === 0) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, config, resolve, reject });
      this.dispatch();
    });
  }

  /** Per thread: cells run and files read. */
  stats(): ThreadStats[] {
    return this.threads.map((thread) => thread.stats);
  }

  get size(): number {
    return this.threads.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the pool was closed'));
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }

  private dispatch(): void {
    for (const thread of this.threads) {
      if (thread.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      thread.job = job;
      thread.worker.postMessage({ type: 'run', id: job.id, config: job.config } satisfies ToCellWorker);
    }
  }

  private listen(thread: Thread): void {
    thread.worker.on('message', (message: FromCellWorker) => {
      const job = thread.job;
      if (!job || !('id' in message) || message.id !== job.id) return;
      thread.job = null;
      if (message.type === 'result') {
        thread.stats = { cells: thread.stats.cells + 1, reads: { ...message.reads } };
        job.resolve(message.result);
      } else if (message.type === 'error') job.reject(new Error(message.message));
      this.dispatch();
    });
    // A thread that dies (out of memory, a crash in the backend) fails its cell and is replaced.
    thread.worker.on('error', (error: unknown) => this.replace(thread, error instanceof Error ? error : new Error(String(error))));
    thread.worker.on('exit', (code) => {
      if (!this.closed) this.replace(thread, new Error(`a worker thread stopped (exit code ${code})`));
    });
  }

  private replace(thread: Thread, error: Error): void {
    const job = thread.job;
    thread.job = null;
    job?.reject(error);
    if (this.closed) return;
    const index = this.threads.indexOf(thread);
    if (index < 0) return;
    this.threads.splice(index, 1);
    void thread.worker.terminate();
    CellPool.startThread(this.backend).then(
      (fresh) => {
        if (this.closed) return void fresh.worker.terminate();
        this.threads.splice(index, 0, fresh);
        this.listen(fresh);
        this.dispatch();
      },
      (startError: unknown) => {
        // Without a thread to run them, the waiting cells fail, and so does every later one.
        this.broken = startError instanceof Error ? startError : new Error(String(startError));
        if (this.threads.length === 0) for (const waiting of this.queue.splice(0)) waiting.reject(this.broken);
      },
    );
  }
}
