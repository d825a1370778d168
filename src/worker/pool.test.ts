/**
 * The page's pool of training workers, with fake workers: sized from the cores leaving one for the page, cells
 * queued beyond its size, workers reused from cell to cell (never one per cell), one worker kept while the tab is
 * hidden, a crashed worker's cell failing with its reason and the next cell going to a fresh worker.
 */
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../core/presets';
import type { ExperimentResult } from '../core/experiments/contract';
import { PoolCancelledError, poolSizeFor, TrainingPool } from './pool';
import type { FromWorker, ToWorker } from './protocol';

class FakeWorker {
  readonly received: ToWorker[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  postMessage(message: ToWorker): void {
    if (!this.terminated) this.received.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(message: FromWorker): void {
    if (!this.terminated) this.onmessage?.({ data: message } as MessageEvent<FromWorker>);
  }
  lastStart(): Extract<ToWorker, { type: 'start' }> | undefined {
    return this.received.filter((m): m is Extract<ToWorker, { type: 'start' }> => m.type === 'start').at(-1);
  }
  /** Ends the worker's current cell with a result carrying its config's seed as the accuracy. */
  finish(): void {
    const start = this.lastStart()!;
    this.answer({ type: 'done', runId: start.runId, result: { config: start.config, pgr: { final: start.config.seed } } as unknown as ExperimentResult });
  }
}

function fakePool(size: number) {
  const made: FakeWorker[] = [];
  const pool = new TrainingPool(
    size,
    () => {
      const worker = new FakeWorker();
      made.push(worker);
      return worker as unknown as Worker;
    },
    'http://localhost/',
  );
  const busy = () => made.filter((w) => !w.terminated && w.lastStart() && !w.received.some((m) => m.type === 'cancel'));
  return { pool, made, busy };
}

const base = presetConfig('w2s-copying');
const seeded = (seed: number) => ({ ...base, seed });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the pool size', () => {
  it('leaves one core for the page, and keeps at least one worker', () => {
    expect(poolSizeFor(8)).toBe(7);
    expect(poolSizeFor(2)).toBe(1);
    expect(poolSizeFor(1)).toBe(1);
    expect(poolSizeFor(undefined)).toBe(1);
    expect(poolSizeFor(Number.NaN)).toBe(1);
  });
});

describe('TrainingPool', () => {
  it('runs at most its size at once and reuses its workers for the queued cells', async () => {
    const { pool, made } = fakePool(2);
    const results = [1, 2, 3, 4, 5].map((seed) => pool.run(seeded(seed), { backend: 'cpu' }));
    expect(made).toHaveLength(2);
    expect(pool.busy).toBe(2);
    // Each worker gets the cell's config as given, lean (no progress, no model exports), at full speed.
    expect(made[0].lastStart()).toMatchObject({ config: seeded(1), backend: 'cpu', lean: true, stepsPerSecond: null, baseUrl: 'http://localhost/' });
    for (let round = 0; round < 3; round++) {
      for (const worker of made) if (worker.lastStart() && pool.busy) worker.finish();
      await flush();
    }
    const done = await Promise.all(results);
    expect(done.map((r) => r.config.seed)).toEqual([1, 2, 3, 4, 5]);
    expect(made).toHaveLength(2);
    expect(pool.createdWorkers).toBe(2);
    expect(pool.peakWorkers).toBe(2);
  });

  it('keeps one worker while the tab is hidden, and grows again when it shows', async () => {
    const { pool, made } = fakePool(3);
    const results = [1, 2, 3, 4, 5, 6].map((seed) => pool.run(seeded(seed), { backend: 'cpu' }));
    expect(pool.workers).toBe(3);
    pool.setHidden(true);
    // Busy workers finish their cells; then all but one end.
    made[0].finish();
    made[1].finish();
    await flush();
    expect(pool.workers).toBe(1);
    expect(made[0].terminated || made[1].terminated).toBe(true);
    made[2].finish();
    await flush();
    expect(pool.workers).toBe(1);
    expect(pool.busy).toBe(1);
    pool.setHidden(false);
    expect(pool.workers).toBe(3);
    for (let round = 0; round < 3; round++) {
      for (const worker of made) if (!worker.terminated && worker.lastStart()) worker.finish();
      await flush();
    }
    expect((await Promise.all(results)).map((r) => r.config.seed)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('gives back its idle workers when a study is over, and starts fresh ones for the next', async () => {
    const { pool, made } = fakePool(2);
    const first = [1, 2].map((seed) => pool.run(seeded(seed), { backend: 'cpu' }));
    made[0].finish();
    await first[0];
    pool.releaseIdle();
    expect(made[0].terminated).toBe(true);
    expect(made[1].terminated).toBe(false);
    expect(pool.workers).toBe(1);
    made[1].finish();
    await first[1];
    pool.releaseIdle();
    expect(pool.workers).toBe(0);
    const next = pool.run(seeded(3), { backend: 'cpu' });
    expect(made).toHaveLength(3);
    made[2].finish();
    expect((await next).config.seed).toBe(3);
  });

  it("fails a crashed worker's cell with the reason and runs the next cell on a fresh worker", async () => {
    const { pool, made } = fakePool(1);
    const first = pool.run(seeded(1), { backend: 'cpu' });
    const second = pool.run(seeded(2), { backend: 'cpu' });
    made[0].onerror?.({ message: 'out of memory', preventDefault() {} } as ErrorEvent);
    await expect(first).rejects.toThrow('out of memory');
    expect(made[0].terminated).toBe(true);
    expect(made).toHaveLength(2);
    expect(made[1].lastStart()?.config.seed).toBe(2);
    made[1].finish();
    expect((await second).config.seed).toBe(2);
  });

  it("rejects a cell the worker refuses with the worker's message, and keeps the worker", async () => {
    const { pool, made } = fakePool(1);
    const cell = pool.run(seeded(1), { backend: 'cpu' });
    const runId = made[0].lastStart()!.runId;
    made[0].answer({ type: 'error', runId, kind: 'config', message: 'The experiment settings are invalid.', problems: ['data.supervisorSize: too large'] });
    await expect(cell).rejects.toThrow('The experiment settings are invalid. data.supervisorSize: too large');
    const next = pool.run(seeded(2), { backend: 'cpu' });
    made[0].finish();
    expect((await next).config.seed).toBe(2);
    expect(made).toHaveLength(1);
  });

  it('cancels queued and running cells, telling the workers to stop, and ignores their late answers', async () => {
    const { pool, made } = fakePool(1);
    const running = pool.run(seeded(1), { backend: 'cpu' });
    const queued = pool.run(seeded(2), { backend: 'cpu' });
    const runId = made[0].lastStart()!.runId;
    pool.cancelAll();
    await expect(running).rejects.toBeInstanceOf(PoolCancelledError);
    await expect(queued).rejects.toBeInstanceOf(PoolCancelledError);
    expect(made[0].received.at(-1)).toEqual({ type: 'cancel', runId });
    made[0].answer({ type: 'cancelled', runId });
    expect(made[0].received.filter((m) => m.type === 'start')).toHaveLength(1);
    expect(pool.busy).toBe(0);
  });
});
