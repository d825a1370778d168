/** The checkpoint every long loop calls: it lets queued messages through while the loop runs, and stops it. */
import { describe, expect, it } from 'vitest';
import { CancelledError, checkpoint, untilCancelled, YIELD_EVERY_MS } from './cancellation';

/** Busy work for `ms`, calling the checkpoint between pieces of 1 ms, as a training loop does between steps. */
async function busyLoop(ms: number, signal?: AbortSignal): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const piece = performance.now() + 1;
    while (performance.now() < piece);
    await checkpoint(signal);
  }
}

describe('checkpoint', () => {
  it('lets a message queued while a loop runs through within about YIELD_EVERY_MS, not at the end of the loop', async () => {
    const started = performance.now();
    let heardAt = Infinity;
    setTimeout(() => (heardAt = performance.now() - started), 0);
    await busyLoop(300);
    // YIELD_EVERY_MS plus a piece; a generous margin for a busy machine, far below the loop's 300 ms.
    expect(heardAt).toBeLessThan(YIELD_EVERY_MS + 80);
  });

  it('throws CancelledError once the signal aborts: a stop sent mid-loop ends it', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 50);
    await expect(busyLoop(5_000, controller.signal)).rejects.toBeInstanceOf(CancelledError);
    expect(performance.now() - started).toBeLessThan(50 + YIELD_EVERY_MS + 200);
  });
});

describe('untilCancelled', () => {
  it('gives up on a read that never finishes as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => undefined);
    setTimeout(() => controller.abort(), 10);
    await expect(untilCancelled(never, controller.signal)).rejects.toBeInstanceOf(CancelledError);
  });

  it('passes a read through when nothing stops it', async () => {
    await expect(untilCancelled(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
    await expect(untilCancelled(Promise.reject(new Error('lost')), new AbortController().signal)).rejects.toThrow('lost');
  });
});
