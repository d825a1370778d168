import { describe, expect, it } from 'vitest';
import type { WeakToStrongConfig } from './experiments/weak-to-strong/spec';
import { presetConfig } from './presets';
import { planSweep, sweepCellConfig } from './sweep';

describe('sweep cells', () => {
  it('resizes the supervisor and the student, keeping everything else', () => {
    const base = presetConfig('w2s-copying') as WeakToStrongConfig;
    const cell = sweepCellConfig(base, 16, 0) as WeakToStrongConfig;
    expect(cell.supervisor.model).toEqual({ type: 'mlp', width: 16, depth: 1, activation: 'relu', dropout: 0 });
    expect(cell.student.model).toEqual({ type: 'linear' });
    expect(cell.data).toEqual(base.data);
    expect(cell.student.train).toEqual(base.student.train);
  });

  it('resizes a pretrained student through its probe', () => {
    const base = presetConfig('w2s-mnist') as WeakToStrongConfig;
    const cell = sweepCellConfig(base, 0, 64) as WeakToStrongConfig;
    expect(cell.student.model).toMatchObject({ type: 'pretrained', encoder: 'supervised', head: 'mlp', headWidth: 64 });
    expect(cell.supervisor.model).toEqual({ type: 'linear' });
  });

  it('checks every cell before any runs: cells over the memory limit are refused with the reason, the others kept', () => {
    const base = structuredClone(presetConfig('w2s-mnist')) as WeakToStrongConfig;
    base.student.model = { type: 'cnn', filters: 22, denseWidth: 0 };
    base.student.train.batchSize = 1024;
    const plan = planSweep(base, [0, 16], [0, 256, 1000]);
    expect(plan.map((c) => [c.supervisorSize, c.studentSize, c.refused === null])).toEqual([
      [0, 0, true],
      [0, 256, true],
      [0, 1000, false],
      [16, 0, true],
      [16, 256, true],
      [16, 1000, false],
    ]);
    const refused = plan[2];
    expect(refused.config).toBeNull();
    expect(refused.refused).toContain('student.model.denseWidth: must be at most 256');
    expect(refused.refused).toContain('over the limit of 256 MB');
    expect(plan[1].config).toEqual(sweepCellConfig(base, 0, 256));
  });
});
