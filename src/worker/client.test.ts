/**
 * The worker client holds a stop to its word: with a fake worker that never confirms a stop (a step that never
 * ends, a worker that no longer reads its messages), the run reads stopped with its finished models kept, the
 * worker is ended and replaced, and the next run (or the one waiting behind the stop) starts on a new worker.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StageResult } from '../core/experiments/figures';
import { presetConfig } from '../core/presets';
import { applyMessages, initialRunState, runRequested, type RunState } from '../app/store/run-state';
import { STOP_SHOWN_MS, STOP_WATCHDOG_MS, TrainingClient } from './client';
import type { FromWorker, ToWorker } from './protocol';

/** A stand-in for the training worker: records what it is sent, answers only when told to. */
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
  starts(): number[] {
    return this.received.flatMap((m) => (m.type === 'start' ? [m.runId] : []));
  }
}

const config = presetConfig('w2s-copying');
const stages = ['weak', 'ceiling', 'student'].map((name) => ({ name, label: name, role: '' }));
/** What the worker streams while a run's supervisor finishes and its ceiling trains. */
const midRun = (runId: number): FromWorker[] => [
  {
    type: 'progress',
    runId,
    event: {
      type: 'experiment-start',
      kind: 'weak-to-strong',
      dataset: 'Two moons',
      datasetKind: 'toy',
      classNames: ['a', 'b'],
      stages,
      test: { features: new Float32Array(4), featureShape: [2], labels: new Int32Array([0, 1]) },
      grid: null,
    },
  },
  {
    type: 'progress',
    runId,
    event: { type: 'stage-start', stage: 'weak', label: 'weak', model: 'linear', parameters: 6, totalSteps: 10, trainingExamples: 20 },
  },
  {
    type: 'progress',
    runId,
    event: { type: 'stage-end', stage: 'weak', result: { name: 'weak', accuracy: 0.85, history: [{ step: 0 }, { step: 10 }] } as unknown as StageResult },
  },
  {
    type: 'progress',
    runId,
    event: { type: 'stage-start', stage: 'ceiling', label: 'ceiling', model: 'MLP', parameters: 99, totalSteps: 400, trainingExamples: 200 },
  },
  {
    type: 'progress',
    runId,
    event: {
      type: 'step',
      stage: 'ceiling',
      step: 20,
      epoch: 0,
      loss: 0.4,
      testAccuracy: 0.9,
      validationAccuracy: null,
      learningRate: 0.01,
      totalSteps: 400,
      testPredictions: new Int32Array([0, 1]),
    },
  },
];

describe('the worker client holds a stop to its word', () => {
  let workers: FakeWorker[];
  let delivered: FromWorker[];
  let crashes: string[];
  let client: TrainingClient;
  /** The page's view of the run, built from what the client delivered. */
  const pageState = (runId: number): RunState => applyMessages(runRequested(initialRunState, runId, config, 0), delivered, 1);

  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('document', { baseURI: 'http://localhost/' });
    workers = [];
    delivered = [];
    crashes = [];
    client = new TrainingClient({ onMessage: (message) => delivered.push(message), onCrash: (reason) => crashes.push(reason) }, () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker as unknown as Worker;
    });
  });

  afterEach(() => {
    client.dispose();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('a worker that never confirms a stop: the run reads stopped with its finished model kept, the worker is replaced, the next run works', () => {
    const first = client.start(config, 'wasm', null);
    midRun(first).forEach((m) => workers[0].answer(m));
    client.cancel();
    expect(workers[0].received.at(-1)).toEqual({ type: 'cancel', runId: first });

    vi.advanceTimersByTime(STOP_SHOWN_MS);
    expect(delivered.filter((m) => m.type === 'cancelled')).toEqual([{ type: 'cancelled', runId: first }]);
    const stopped = pageState(first);
    expect(stopped.status).toBe('cancelled');
    expect(stopped.stages.map((s) => [s.name, s.status])).toEqual([
      ['weak', 'done'],
      ['ceiling', 'stopped'],
      ['student', 'waiting'],
    ]);
    expect(stopped.stages[0].result?.accuracy).toBe(0.85);
    expect(stopped.stages[1].history).toHaveLength(1);

    // Still no answer: the worker is ended. Anything it sends late is not shown.
    vi.advanceTimersByTime(STOP_WATCHDOG_MS - STOP_SHOWN_MS);
    expect(workers[0].terminated).toBe(true);
    workers[0].terminated = false;
    workers[0].answer({ type: 'done', runId: first, result: {} as never });
    expect(delivered.filter((m) => m.type === 'done')).toEqual([]);

    // The next run (a preset click) starts on a new worker and finishes.
    delivered = [];
    const second = client.start(config, 'wasm', null);
    expect(workers).toHaveLength(2);
    expect(workers[1].starts()).toEqual([second]);
    workers[1].answer({ type: 'done', runId: second, result: {} as never });
    expect(delivered).toEqual([{ type: 'done', runId: second, result: {} }]);
    expect(crashes).toEqual([]);
  });

  it('a new run started while the old one does not let go: after the watchdog it starts on a new worker, not stuck on "Starting…"', () => {
    const first = client.start(config, 'wasm', null);
    midRun(first).forEach((m) => workers[0].answer(m));
    const second = client.start(config, 'wasm', null);
    expect(workers[0].received.map((m) => m.type)).toEqual(['start', 'cancel', 'start']);
    // The stuck worker keeps streaming the old run: that is no confirmation.
    midRun(first).forEach((m) => workers[0].answer(m));
    vi.advanceTimersByTime(STOP_WATCHDOG_MS - 1);
    expect(workers).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(workers[1].starts()).toEqual([second]);
    // The page never heard from the old run after it moved on, and hears the new one.
    expect(delivered.every((m) => m.runId === first)).toBe(true);
    delivered = [];
    midRun(second).forEach((m) => workers[1].answer(m));
    workers[1].answer({ type: 'done', runId: second, result: {} as never });
    expect(delivered.map((m) => m.type).at(-1)).toBe('done');
    expect(delivered.every((m) => m.runId === second)).toBe(true);
  });

  it('a stop shown before the worker confirms it: the next run waits in the same worker, and the watchdog still covers it', () => {
    const first = client.start(config, 'wasm', null);
    client.cancel();
    vi.advanceTimersByTime(STOP_SHOWN_MS);
    expect(delivered).toEqual([{ type: 'cancelled', runId: first }]);
    const second = client.start(config, 'wasm', null);
    expect(workers[0].starts()).toEqual([first, second]);
    vi.advanceTimersByTime(STOP_WATCHDOG_MS - STOP_SHOWN_MS);
    expect(workers[0].terminated).toBe(true);
    expect(workers[1].starts()).toEqual([second]);
  });

  it('a worker that confirms in time is kept: one "cancelled", no replacement, however many quick starts', () => {
    const first = client.start(config, 'wasm', null);
    client.cancel();
    vi.advanceTimersByTime(50);
    workers[0].answer({ type: 'cancelled', runId: first });
    vi.advanceTimersByTime(10 * STOP_WATCHDOG_MS);
    expect(delivered).toEqual([{ type: 'cancelled', runId: first }]);
    expect(workers).toHaveLength(1);
    expect(workers[0].terminated).toBe(false);

    // Ten starts in a row; the worker answers each cancel (or the newer run's first message) within 100 ms.
    let last = first;
    for (let i = 0; i < 10; i++) {
      const previous = last;
      last = client.start(config, 'wasm', null);
      vi.advanceTimersByTime(100);
      workers[0].answer(i % 2 ? { type: 'cancelled', runId: previous } : { type: 'backend', runId: last, backend: { name: 'wasm', reason: '', skipped: [] } });
    }
    vi.advanceTimersByTime(10 * STOP_WATCHDOG_MS);
    expect(workers).toHaveLength(1);
    expect(workers[0].terminated).toBe(false);
  });
});
