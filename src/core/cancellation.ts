/**
 * Stopping a run on demand. A run's loops share their thread with the message that stops it: on cpu and wasm a
 * training step or an evaluation never leaves the event loop on its own, so a Stop would wait for the run to end.
 * Every loop that can run long (training steps, evaluation pieces, label passes, probes) therefore calls
 * `checkpoint` or `LoopCheckpoint.pass` between two pieces of work: it throws CancelledError once the run's
 * signal has aborted and lets queued messages through at least every YIELD_EVERY_MS. On WebGPU, where work is
 * queued on the device and cannot be called back, it also keeps the device from falling far behind.
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
 * The checkpoint of one loop whose pieces produce tensors. On WebGPU every `fenceEvery`-th piece starts a read of
 * what it produced, and the next such piece waits for that read: the device is never more than about
 * 2 x fenceEvery pieces behind, so a stopped run leaves little queued work for the next one to wait on. (WebGL's
 * commands block the thread when its queue fills; cpu and wasm compute on the thread itself.)
 */
export class LoopCheckpoint {
  private readonly fenced = tf.getBackend() === 'webgpu';
  private fence: Promise<unknown> | null = null;
  private sinceFence = 0;

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly fenceEvery = 8,
  ) {}

  /** Between two pieces of work; `produced`: a tensor the piece just computed. */
  async pass(produced?: Tensor): Promise<void> {
    if (this.fenced && produced && ++this.sinceFence >= this.fenceEvery) {
      this.sinceFence = 0;
      const previous = this.fence;
      // Only its completion matters: a read of a tensor released meanwhile may fail, and that is fine.
      this.fence = produced.data().catch(() => undefined);
      if (previous) await previous;
    }
    await checkpoint(this.signal);
  }
}
