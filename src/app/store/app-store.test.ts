import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../core/presets';
import type { FromWorker } from '../../worker/protocol';
import type { ExperimentResult } from '../../core/experiments/contract';
import { memoryArchive } from '../runs/archive';
import { smooth } from '../runs/saved-run';
import { createAppStore, type WorkerControls } from './app-store';

function fakeControls() {
  const calls: string[] = [];
  let runId = 0;
  const controls: WorkerControls = {
    start: (config, backend) => {
      calls.push(`start ${config.kind} seed ${config.seed} ${backend}`);
      return ++runId;
    },
    cancel: () => calls.push('cancel'),
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    step: () => calls.push('step'),
    setSpeed: (s) => calls.push(`speed ${s}`),
  };
  return { controls, calls };
}

const start = (runId: number): FromWorker => ({
  type: 'progress',
  runId,
  event: {
    type: 'experiment-start',
    kind: 'weak-to-strong',
    dataset: 'Two moons',
    datasetKind: 'toy',
    classNames: ['a', 'b'],
    stages: [{ name: 'weak', label: 'Weak', role: '' }],
    test: { features: new Float32Array(4), featureShape: [2], labels: new Int32Array([0, 1]) },
    grid: null,
  },
});
const step = (runId: number, stepNumber: number): FromWorker => ({
  type: 'progress',
  runId,
  event: {
    type: 'step',
    stage: 'weak',
    step: stepNumber,
    epoch: 0,
    loss: 0.5,
    testAccuracy: 0.75,
    validationAccuracy: null,
    learningRate: 0.01,
    totalSteps: 10,
    testPredictions: new Int32Array([0, 0]),
  },
});

describe('app store', () => {
  it("builds an experiment's research charts from its chart events, and a new run starts them afresh", () => {
    const store = createAppStore(fakeControls().controls);
    store.getState().startRun();
    const first = store.getState().run.runId;
    const chart = (runId: number): FromWorker => ({
      type: 'progress',
      runId,
      event: {
        type: 'chart',
        info: { id: 'chain', title: 'Chain', kind: 'bar', xLabel: 'link', yLabel: 'accuracy', series: [{ key: 'accuracy', label: 'accuracy' }] },
      },
    });
    const point = (runId: number, y: number): FromWorker => ({
      type: 'progress',
      runId,
      event: { type: 'chart-point', chart: 'chain', series: 'accuracy', point: { x: 0, y, label: 'weak' } },
    });
    store.getState().receive([start(first), chart(first), point(first, 0.7), point(first + 3, 0.1)]);
    expect(store.getState().run.charts).toHaveLength(1);
    expect(store.getState().run.charts[0].points.accuracy).toEqual([{ x: 0, y: 0.7, label: 'weak' }]);
    store.getState().startRun();
    const second = store.getState().run.runId;
    store.getState().receive([start(second)]);
    expect(store.getState().run.charts).toEqual([]);
  });

  it('starts the default preset, and validates edits with the schema', () => {
    const { controls, calls } = fakeControls();
    const store = createAppStore(controls);
    expect(store.getState().draft).toEqual(presetConfig('w2s-mnist'));
    store.getState().setField(['student', 'train', 'learningRate'], 5);
    expect(store.getState().problems[0]).toMatch(/^student\.train\.learningRate: must be at most 1/);
    store.getState().startRun();
    expect(calls).toEqual([]); // an invalid config never reaches the worker
    store.getState().setField(['student', 'train', 'learningRate'], 0.01);
    expect(store.getState().problems).toEqual([]);
    store.getState().startRun();
    expect(calls).toEqual(['start weak-to-strong seed 1 auto']);
  });

  it('replaces a model with the defaults of its new type', () => {
    const store = createAppStore(fakeControls().controls);
    store.getState().setVariant(['supervisor', 'model'], 'mlp');
    const draft = store.getState().draft;
    expect(draft.kind === 'weak-to-strong' ? draft.supervisor.model : null).toEqual({ type: 'mlp', width: 64, depth: 1, activation: 'relu', dropout: 0 });
  });

  it('builds the run view from messages, ignores other runs, and keeps results until the next run starts', () => {
    const store = createAppStore(fakeControls().controls);
    store.getState().startRun();
    const first = store.getState().run.runId;
    store.getState().receive([start(first), step(first, 0), step(first, 5), step(first + 7, 9)]);
    expect(store.getState().run.stages[0].history.map((p) => p.step)).toEqual([0, 5]);
    store.getState().receive([{ type: 'cancelled', runId: first }]);
    expect(store.getState().run.status).toBe('cancelled');
    // A new run: the old curves stay on screen until its first event arrives.
    store.getState().startRun();
    const second = store.getState().run.runId;
    expect(store.getState().run.stages[0].history).toHaveLength(2);
    store.getState().receive([step(first, 6)]); // late message from the cancelled run
    expect(store.getState().run.stages[0].history).toHaveLength(2);
    store.getState().receive([start(second)]);
    expect(store.getState().run.stages[0].history).toHaveLength(0);
  });

  it('reset starts the config of the run on screen again, with the same seed', () => {
    const { controls, calls } = fakeControls();
    const store = createAppStore(controls);
    store.getState().startRun();
    store.getState().setField(['seed'], 9); // an edit after the run does not change what Reset reruns
    store.getState().resetRun();
    expect(calls).toEqual(['start weak-to-strong seed 1 auto', 'start weak-to-strong seed 1 auto']);
  });

  it('pauses, resumes and steps only an active run; a worker crash becomes a visible error', () => {
    const { controls, calls } = fakeControls();
    const store = createAppStore(controls);
    store.getState().togglePause(); // idle: starts
    const runId = store.getState().run.runId;
    store.getState().receive([start(runId)]);
    store.getState().togglePause();
    store.getState().receive([{ type: 'paused', runId, paused: true }]);
    expect(store.getState().run.status).toBe('paused');
    store.getState().stepRun();
    store.getState().togglePause();
    expect(calls.slice(1)).toEqual(['pause', 'step', 'resume']);
    store.getState().workerCrashed('out of memory');
    expect(store.getState().run.error?.message).toBe('The training worker crashed: out of memory');
  });
});

describe('runs kept in the browser', () => {
  it('keeps every finished run, newest first, and deletes on request', async () => {
    const store = createAppStore(fakeControls().controls, memoryArchive());
    for (let i = 0; i < 2; i++) {
      store.getState().startRun();
      const runId = store.getState().run.runId;
      const result = {
        backend: 'wasm',
        pgr: { final: 0.4 + i / 10 },
        stages: { weak: { name: 'weak', label: 'Weak', accuracy: 0.7, bestAccuracy: 0.71, history: [{ step: 0, testAccuracy: 0.1 }] } },
      } as unknown as ExperimentResult;
      store.getState().receive([start(runId), { type: 'done', runId, result }]);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await store.getState().refreshRuns();
    const runs = store.getState().savedRuns;
    expect(runs.map((r) => r.pgr)).toEqual([0.5, 0.4]);
    expect(runs[0].title).toBe('w2s-mnist, seed 1');
    store.getState().toggleRunSelected(runs[0].id);
    await store.getState().deleteRun(runs[0].id);
    expect(store.getState().savedRuns).toHaveLength(1);
    expect(store.getState().selectedRuns).toEqual([]);
  });

  it('smooths curves with an exponential moving average', () => {
    expect(smooth([0, 1, 1], 0)).toEqual([0, 1, 1]);
    expect(smooth([0, 1, 1], 0.5)).toEqual([0, 0.5, 0.75]);
  });
});

describe('sweeps', () => {
  const done = (runId: number, pgr: number): FromWorker => ({
    type: 'done',
    runId,
    result: {
      backend: 'cpu',
      pgr: { final: pgr },
      stages: { weak: { accuracy: 0.7 }, ceiling: { accuracy: 0.9 }, student: { accuracy: 0.7 + 0.2 * pgr } },
    } as unknown as ExperimentResult,
  });

  it('runs the cells one after another and records each PGR', () => {
    const { controls, calls } = fakeControls();
    const store = createAppStore(controls);
    store.getState().loadPreset('w2s-copying');
    store.getState().startSweep([0, 16], [64]);
    expect(calls).toHaveLength(1);
    let runId = store.getState().run.runId;
    store.getState().receive([start(runId), done(runId, 0.1)]);
    expect(calls).toHaveLength(2);
    runId = store.getState().run.runId;
    store.getState().receive([start(runId), done(runId, 0.5)]);
    const sweep = store.getState().sweep!;
    expect(sweep.running).toBe(false);
    expect(sweep.cells.map((c) => [c.supervisorSize, c.studentSize, c.pgr])).toEqual([
      [0, 64, 0.1],
      [16, 64, 0.5],
    ]);
    expect(calls).toHaveLength(2);
  });

  it('stops when cancelled, and a cell reopens as an ordinary run with its own config', () => {
    const { controls, calls } = fakeControls();
    const store = createAppStore(controls);
    store.getState().loadPreset('w2s-copying');
    store.getState().startSweep([0], [16, 64]);
    const runId = store.getState().run.runId;
    store.getState().receive([start(runId), done(runId, 0.2)]);
    store.getState().cancelSweep();
    expect(store.getState().sweep!.running).toBe(false);
    expect(calls.at(-1)).toBe('cancel');
    store.getState().openSweepCell(0);
    expect(store.getState().run.config).toEqual(store.getState().sweep!.cells[0].config);
  });
});

describe("the form's problems", () => {
  it('an unreadable link after an invalid edit keeps the problems, and Run says why it does not start', () => {
    const { controls, calls } = fakeControls();
    const store = createAppStore(controls);
    store.getState().setField(['student', 'train', 'learningRate'], 5);
    const problems = store.getState().problems;
    expect(problems).toHaveLength(1);
    // What the page used to do with an unreadable link: load the draft it had, with the link's notice.
    store.getState().loadConfig(store.getState().draft, ['The experiment in this link could not be read']);
    store.getState().showNotices(['The experiment in this link could not be read']);
    expect(store.getState().problems).toEqual(problems);
    store.getState().startRun();
    store.getState().togglePause(); // the keyboard's way in
    expect(calls).toEqual([]);
    expect(store.getState().runBlocked).toBe(`The experiment cannot run until the form is fixed: ${problems[0]}.`);
    // Any change of the config clears the message; a valid one runs.
    store.getState().setField(['student', 'train', 'learningRate'], 0.01);
    expect(store.getState().runBlocked).toBeNull();
    store.getState().startRun();
    expect(calls).toEqual(['start weak-to-strong seed 1 auto']);
  });

  it('every way in recomputes the problems from the config itself', () => {
    const store = createAppStore(fakeControls().controls);
    const invalid = { ...presetConfig('w2s-copying'), seed: -1 } as never;
    store.getState().loadConfig(invalid, []);
    expect(store.getState().problems).toEqual(['seed: must be at least 0 (allowed range 0 to 2147483647) (got -1)']);
    store.getState().loadPreset('kd-mnist');
    expect(store.getState().problems).toEqual([]);
    // Something that is not even shaped like a config never becomes the draft.
    for (const junk of [null, 7, { kind: 'quantum', data: {} }, { kind: 'weak-to-strong' }]) {
      store.getState().loadConfig(junk as never, []);
      expect(store.getState().draft).toEqual(presetConfig('kd-mnist'));
      expect(store.getState().notices.at(-1)).toMatch(/it is not an experiment config/);
    }
  });

  it('a run the worker cannot start is explained in the page, not thrown', () => {
    const store = createAppStore({
      ...fakeControls().controls,
      start: () => {
        throw new Error('the worker could not be created');
      },
    });
    expect(() => store.getState().startRun()).not.toThrow();
    expect(store.getState().runBlocked).toBe('The run could not start: the worker could not be created');
    expect(store.getState().run.status).toBe('idle');
  });
});

describe('a sweep near the memory limit', () => {
  it('refuses the cells over the limit, with the reason, and runs the others', () => {
    const { controls, calls } = fakeControls();
    const store = createAppStore(controls);
    // A CNN student just under the activation limit: a dense layer of 1,000 units takes it over.
    store.getState().setField(['student', 'model'], { type: 'cnn', filters: 22, denseWidth: 0 });
    store.getState().setField(['student', 'train', 'batchSize'], 1024);
    expect(store.getState().problems).toEqual([]);
    expect(() => store.getState().startSweep([0], [0, 1000, 16])).not.toThrow();
    const cells = store.getState().sweep!.cells;
    expect(cells.map((c) => c.status)).toEqual(['running', 'refused', 'waiting']);
    expect(cells[1].config).toBeNull();
    expect(cells[1].reason).toMatch(
      /student\.train\.batchSize: a batch of 1024 on this model needs about 261 MB for activations and their gradients, over the limit of 256 MB/,
    );
    let runId = store.getState().run.runId;
    store.getState().receive([
      start(runId),
      {
        type: 'done',
        runId,
        result: {
          backend: 'cpu',
          pgr: { final: 0.3 },
          stages: { weak: { accuracy: 0.7 }, ceiling: { accuracy: 0.9 }, student: { accuracy: 0.76 } },
        } as unknown as ExperimentResult,
      },
    ]);
    runId = store.getState().run.runId;
    store.getState().receive([
      start(runId),
      {
        type: 'done',
        runId,
        result: {
          backend: 'cpu',
          pgr: { final: 0.5 },
          stages: { weak: { accuracy: 0.7 }, ceiling: { accuracy: 0.9 }, student: { accuracy: 0.8 } },
        } as unknown as ExperimentResult,
      },
    ]);
    expect(store.getState().sweep!.cells.map((c) => c.status)).toEqual(['done', 'refused', 'done']);
    expect(store.getState().sweep!.running).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it('a sweep whose every cell is refused starts nothing and says why', () => {
    const { controls, calls } = fakeControls();
    const store = createAppStore(controls);
    store.getState().loadPreset('w2s-copying');
    store.getState().startSweep([0], [5000]);
    expect(calls).toEqual([]);
    expect(store.getState().sweep).toMatchObject({
      running: false,
      cells: [{ status: 'refused', reason: expect.stringMatching(/student\.model\.width: must be at most 1024/) }],
    });
  });
});
