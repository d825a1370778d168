/**
 * Sweeps: a grid of weak-to-strong experiments over supervisor size and student size (the plots weak-to-strong
 * papers draw). A size is a hidden-layer width; 0 means a linear model (for a pretrained student: a linear probe).
 */
import { parseConfig } from './config/read';
import type { ExperimentConfig } from './config/schema';
import type { ModelSpec } from './config/blocks';
import type { WeakToStrongConfig } from './experiments/weak-to-strong/spec';

export const SUPERVISOR_SIZES = [0, 4, 16, 64] as const;
export const STUDENT_SIZES = [0, 16, 64, 256] as const;

export function sizeLabel(size: number): string {
  return size === 0 ? 'linear' : `width ${size}`;
}

function withSize(model: ModelSpec, size: number): ModelSpec {
  if (model.type === 'pretrained') return size === 0 ? { ...model, head: 'linear' } : { ...model, head: 'mlp', headWidth: size };
  if (model.type === 'cnn') return { ...model, denseWidth: size };
  return size === 0 ? { type: 'linear' } : { type: 'mlp', width: size, depth: model.type === 'mlp' ? model.depth : 1, activation: model.type === 'mlp' ? model.activation : 'relu', dropout: 0 };
}

/** The config of one sweep cell: the base experiment with the two models resized. */
export function sweepCellConfig(base: WeakToStrongConfig, supervisorSize: number, studentSize: number): ExperimentConfig {
  return parseConfig({
    ...base,
    supervisor: { ...base.supervisor, model: withSize(base.supervisor.model, supervisorSize) },
    student: { ...base.student, model: withSize(base.student.model, studentSize) },
  });
}
