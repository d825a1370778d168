import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../core/presets';
import { applyMessages, initialRunState, runRequested } from '../store/run-state';
import { chartsCsv, curvesCsv, examplesCsv, importConfig } from './exports';

function finishedRun() {
  let run = runRequested(initialRunState, 1, presetConfig('w2s-copying'), 0);
  const labels = new Int32Array([0, 1, 1, 0]);
  run = applyMessages(
    run,
    [
      {
        type: 'progress',
        runId: 1,
        event: {
          type: 'experiment-start',
          kind: 'weak-to-strong',
          dataset: 'Two moons',
          datasetKind: 'toy',
          classNames: ['class 0', 'class 1'],
          stages: ['weak', 'ceiling', 'student'].map((name) => ({ name, label: name, role: '' })),
          test: { features: new Float32Array(8), featureShape: [2], labels },
          grid: null,
        },
      },
      ...(['weak', 'ceiling', 'student'] as const).flatMap((stage) =>
        [0, 10, 20].map((step) => ({
          type: 'progress' as const,
          runId: 1,
          event: {
            type: 'step' as const,
            stage,
            step,
            epoch: 0,
            loss: step ? 0.5 : NaN,
            testAccuracy: 0.75,
            validationAccuracy: null,
            learningRate: 0.01,
            totalSteps: 20,
            testPredictions: new Int32Array([0, 0, 1, 1]),
          },
        })),
      ),
    ],
    0,
  );
  // The supervisor's final predictions come with its stage-end.
  run = { ...run, stages: run.stages.map((s) => (s.name === 'weak' ? { ...s, result: { testPredictions: new Int32Array([0, 0, 0, 1]) } as never } : s)) };
  return run;
}

describe('exports', () => {
  it('curves CSV has one row per step and model', () => {
    const lines = curvesCsv(finishedRun()).trim().split('\n');
    expect(lines[0]).toBe('stage,step,epoch,loss,test_accuracy,validation_accuracy,learning_rate');
    expect(lines).toHaveLength(1 + 3 * 3);
    expect(lines[1]).toBe('weak,0,0,,0.75,,0.01');
    expect(lines.filter((l) => l.startsWith('student,'))).toHaveLength(3);
  });

  it('per-example CSV names the category of every test example', () => {
    const lines = examplesCsv(finishedRun()).trim().split('\n');
    // truth [0,1,1,0], supervisor [0,0,0,1], student [0,0,1,1]
    expect(lines.slice(1)).toEqual([
      '0,class 0,class 0,class 0,bothRight',
      '1,class 1,class 0,class 0,copies',
      '2,class 1,class 0,class 1,beats',
      '3,class 0,class 1,class 1,copies',
    ]);
  });

  it('imports a config file like a link, and refuses what is not one with a reason', () => {
    const ok = importConfig(JSON.stringify({ ...presetConfig('kd-mnist'), seed: 'seven' }));
    expect('config' in ok && ok.config.kind).toBe('distillation');
    expect('notices' in ok && ok.notices[0]).toBe('Replaced by its default: seed: expected number (got "seven")');
    expect(importConfig('{not json')).toEqual({ error: expect.stringMatching(/^That file is not JSON/) });
    expect(importConfig('[1,2]')).toEqual({ error: expect.stringMatching(/^That file is not an experiment config/) });
  });

  it('writes the research plots one point per row, with bar groups labelled', () => {
    const run = applyMessages(
      finishedRun(),
      [
        {
          type: 'progress',
          runId: 1,
          event: {
            type: 'chart',
            info: {
              id: 'losses',
              title: 'Losses',
              kind: 'bar',
              xLabel: 'loss',
              yLabel: 'PGR',
              series: [
                { key: 'pgr', label: 'PGR' },
                { key: 'copy', label: 'copy rate' },
              ],
            },
          },
        },
        { type: 'progress', runId: 1, event: { type: 'chart-point', chart: 'losses', series: 'pgr', point: { x: 0, y: 0.25, label: 'xent' } } },
        { type: 'progress', runId: 1, event: { type: 'chart-point', chart: 'losses', series: 'copy', point: { x: 0, y: 0.5, label: 'xent, "hard"' } } },
      ],
      0,
    );
    expect(chartsCsv(run)).toBe('chart,series,x,label,y\nlosses,pgr,0,xent,0.25\nlosses,copy,0,"xent, ""hard""",0.5\n');
  });
});
