/**
 * What the page keeps when a run fails (divergence, a crashed worker, a stop): every finished model's card and
 * curve, the partial curve of the model that was training (marked stopped), and a clean start for the next run.
 */
import { describe, expect, it } from 'vitest';
import type { StageResult } from '../../core/experiments/figures';
import type { FromWorker } from '../../worker/protocol';
import { applyMessages, crashed, initialRunState, runRequested, type RunState } from './run-state';
import { presetConfig } from '../../core/presets';

const config = presetConfig('w2s-copying');
const stages = [
  { name: 'weak', label: 'Weak supervisor', role: '' },
  { name: 'ceiling', label: 'Strong ceiling', role: '' },
  { name: 'student', label: 'Student', role: '' },
];
const experimentStart = (runId: number): FromWorker => ({
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
});
const stageStart = (runId: number, stage: string): FromWorker => ({
  type: 'progress',
  runId,
  event: { type: 'stage-start', stage, label: stage, model: 'MLP', parameters: 10, totalSteps: 40, trainingExamples: 100 },
});
const step = (runId: number, stage: string, n: number): FromWorker => ({
  type: 'progress',
  runId,
  event: {
    type: 'step',
    stage,
    step: n,
    epoch: 0,
    loss: 0.5,
    testAccuracy: 0.8,
    validationAccuracy: null,
    learningRate: 1,
    totalSteps: 40,
    testPredictions: new Int32Array([0, 1]),
  },
});
const stageEnd = (runId: number, stage: string): FromWorker => ({
  type: 'progress',
  runId,
  event: { type: 'stage-end', stage, result: { name: stage, accuracy: 0.81, history: [{ step: 0 }, { step: 40 }] } as unknown as StageResult },
});

/** A run whose supervisor finished and whose ceiling has taken 20 steps. */
function midRun(runId = 1): RunState {
  const requested = runRequested(initialRunState, runId, config, 0);
  return applyMessages(
    requested,
    [
      experimentStart(runId),
      stageStart(runId, 'weak'),
      step(runId, 'weak', 0),
      stageEnd(runId, 'weak'),
      stageStart(runId, 'ceiling'),
      step(runId, 'ceiling', 0),
      step(runId, 'ceiling', 10),
      step(runId, 'ceiling', 20),
    ],
    1,
  );
}

describe('a failing run keeps what it had', () => {
  const failures: [string, (state: RunState) => RunState][] = [
    [
      'divergence',
      (s) =>
        applyMessages(
          s,
          [
            {
              type: 'error',
              runId: 1,
              kind: 'divergence',
              message: 'Strong ceiling: the loss became NaN or infinite at step 30 (learning rate 1); lower the learning rate and run again',
            },
          ],
          2,
        ),
    ],
    ['a crashed worker', (s) => crashed(s, 'out of memory', 2)],
    ['a stop', (s) => applyMessages(s, [{ type: 'cancelled', runId: 1 }], 2)],
  ];
  for (const [what, fail] of failures) {
    it(`after ${what}: the finished model keeps its result, the training one its curve, marked stopped`, () => {
      const before = midRun();
      const after = fail(before);
      expect(after.stages.map((s) => s.status)).toEqual(['done', 'stopped', 'waiting']);
      expect(after.stages[0]).toEqual(before.stages[0]);
      expect(after.stages[1].history).toEqual(before.stages[1].history);
      expect(after.stages[1].history.map((p) => p.step)).toEqual([0, 10, 20]);
      expect(after.stages[1].latestPredictions).toEqual(before.stages[1].latestPredictions);
      expect(after.status).toBe(what === 'a stop' ? 'cancelled' : 'error');
    });
  }

  it('the error says what happened; the next run clears it and starts from its own first event', () => {
    const failed = applyMessages(midRun(), [{ type: 'error', runId: 1, kind: 'divergence', message: 'Strong ceiling: the loss became NaN' }], 2);
    expect(failed.error).toEqual({ kind: 'divergence', message: 'Strong ceiling: the loss became NaN', problems: undefined });
    const next = runRequested(failed, 2, config, 3);
    expect(next.error).toBeNull();
    expect(next.status).toBe('starting');
    // Until the new run's first event the old results stay on screen; then they are replaced.
    expect(next.stages).toEqual(failed.stages);
    // A late message of the failed run changes nothing.
    expect(applyMessages(next, [step(1, 'ceiling', 30)], 4)).toEqual(next);
    const started = applyMessages(next, [experimentStart(2)], 4);
    expect(started.stages.map((s) => [s.status, s.history.length])).toEqual([
      ['waiting', 0],
      ['waiting', 0],
      ['waiting', 0],
    ]);
    expect(started.status).toBe('running');
  });
});
