/**
 * Stopping a run on demand. A run's loops share their thread with the message that stops it: on cpu and wasm a
 * training step or an evaluation never leaves the event loop on its own, so a Stop would wait for the run to end.
 * Every loop that can run long (training steps, evaluation pieces, label passes, probes) therefore calls
 * `checkpoint` or `LoopCheckpoint.pass` between two pieces of work: it throws CancelledError once the run's
 * signal has aborted and lets queued messages through at least every YIELD_EVERY_MS. On WebGL and WebGPU, where
 * work is queued on the device and cannot be called back, it also keeps the device from falling far behind.
 */
import { tf, type Tensor } from './tf';

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** How long a loop may hold the thread before it lets queued messages (stop, pause) through. */
export const YIELD_EVERY_MS = 20;

/** When the thread last let queued messages through (one clock for every loop: the thread is shared). */
let lastYield = performance.now();

/** Resolves after one trip through the event loop (a message task, without setTimeout's clamping). */
export function nextTask(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** Throws once `signal` has aborted; lets queued messages through when the thread has been held long enough. */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  throwIfCancelled(signal);
  if (performance.now() - lastYield < YIELD_EVERY_MS) return;
  await nextTask();
  lastYield = performance.now();
  throwIfCancelled(signal);
}

/**
 * Waits for `promise` (a read-back from a device), or throws CancelledError as soon as `signal` aborts: work queued
 * on a GPU cannot be called back, but the run need not wait for it. The promise runs on; its outcome is ignored.
 */
export function untilCancelled<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  promise.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const cancel = () => reject(new CancelledError());
    if (signal.aborted) return cancel();
    signal.addEventListener('abort', cancel, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', cancel));
  });
}

/** Backends that queue work on a device: the thread runs ahead of it, and queued work cannot be called back. */
const DEVICE_BACKENDS = ['webgl', 'webgpu'];
/** A fence that took longer than this to pass means the device is behind the loop. */
const DEVICE_BEHIND_MS = 10;

/**
 * The checkpoint of one loop whose pieces produce tensors. On a GPU backend the loop reads back what a piece
 * produced every few pieces (a fence) and, at the next fence, waits for that read: the device is never more than
 * two fence intervals behind, so a stop is acted on promptly and leaves little queued work for the next run to
 * wait on. The interval adapts: it halves while fences find the device behind and doubles (up to `maxInterval`)
 * while they pass at once, so a fast device is rarely asked to report back. cpu and wasm compute on the thread
 * itself: no fences.
 */
export class LoopCheckpoint {
  private readonly fenced = DEVICE_BACKENDS.includes(tf.getBackend());
  private fence: Promise<unknown> | null = null;
  private interval = 1;
  private sinceFence = 0;

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly maxInterval = 64,
  ) {}

  /** Between two pieces of work; `produced`: a tensor the last piece computed. */
  async pass(produced?: Tensor): Promise<void> {
    if (this.fenced && produced && ++this.sinceFence >= this.interval) {
      this.sinceFence = 0;
      const previous = this.fence;
      // Only its completion matters: a read of a tensor released meanwhile may fail, and that is fine.
      this.fence = produced.data().catch(() => undefined);
      if (previous) {
        const started = performance.now();
        await untilCancelled(previous, this.signal);
        const behind = performance.now() - started > DEVICE_BEHIND_MS;
        this.interval = behind ? Math.max(1, this.interval >> 1) : Math.min(this.maxInterval, this.interval * 2);
      }
    }
    await checkpoint(this.signal);
  }
}
