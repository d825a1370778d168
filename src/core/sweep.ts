/**
 * Sweeps: a grid of weak-to-strong experiments over supervisor size and student size (the plots weak-to-strong
 * papers draw). A size is a hidden-layer width; 0 means a linear model (for a pretrained student: a linear probe).
 */
import { parseConfig, safeParseConfig } from './config/read';
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
  return size === 0
    ? { type: 'linear' }
    : { type: 'mlp', width: size, depth: model.type === 'mlp' ? model.depth : 1, activation: model.type === 'mlp' ? model.activation : 'relu', dropout: 0 };
}

/** The config of one sweep cell: the base experiment with the two models resized. */
export function sweepCellConfig(base: WeakToStrongConfig, supervisorSize: number, studentSize: number): ExperimentConfig {
  return parseConfig({
    ...base,
    supervisor: { ...base.supervisor, model: withSize(base.supervisor.model, supervisorSize) },
    student: { ...base.student, model: withSize(base.student.model, studentSize) },
  });
}

/** One cell of a planned sweep: its config, or why it cannot run (a model over the memory limit, a size out of range). */
export type SweepCellPlan = { supervisorSize: number; studentSize: number } & ({ config: ExperimentConfig; refused: null } | { config: null; refused: string });

/**
 * Every cell of a sweep, each validated before anything runs: a base that is valid can still give cells that are
 * not (a wider model over the activation limit), and those are refused with the reason while the others run.
 */
export function planSweep(base: WeakToStrongConfig, supervisorSizes: readonly number[], studentSizes: readonly number[]): SweepCellPlan[] {
  return supervisorSizes.flatMap((supervisorSize) =>
    studentSizes.map((studentSize): SweepCellPlan => {
      try {
        const checked = safeParseConfig({
          ...base,
          supervisor: { ...base.supervisor, model: withSize(base.supervisor.model, supervisorSize) },
          student: { ...base.student, model: withSize(base.student.model, studentSize) },
        });
        return checked.ok
          ? { supervisorSize, studentSize, config: checked.config, refused: null }
          : { supervisorSize, studentSize, config: null, refused: checked.problems.join('; ') };
      } catch (error) {
        return { supervisorSize, studentSize, config: null, refused: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}
