import { describe, expect, it } from 'vitest';
import type { WeakToStrongConfig } from './experiments/weak-to-strong/spec';
import { presetConfig } from './presets';
import { sweepCellConfig } from './sweep';

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
});
