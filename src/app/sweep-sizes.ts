/**
 * The Sweep panel's grid of supervisor size x student size, as a sweep of the core's engine (core/sweep): a size
 * is a hidden-layer width, 0 a linear model (for a pretrained student: a linear probe).
 */
import type { ExperimentConfig } from '../core/config/schema';
import type { ModelSpec } from '../core/config/blocks';
import type { AxisSpec } from '../core/sweep/axes';
import { planSweep, type SweepPlan } from '../core/sweep/plan';
import type { WeakToStrongConfig } from '../core/experiments/weak-to-strong/spec';

export const SUPERVISOR_SIZES = [0, 4, 16, 64] as const;
export const STUDENT_SIZES = [0, 16, 64, 256] as const;

export function sizeLabel(size: number): string {
  return size === 0 ? 'linear' : `width ${size}`;
}

/** The axis that resizes a role's model: its probe (pretrained), its dense layer (CNN), or linear / an MLP of that width. */
function sizeAxis(role: 'supervisor' | 'student', model: ModelSpec, sizes: readonly number[]): AxisSpec {
  if (model.type === 'pretrained') return { path: `${role}.model.head`, values: sizes.map((s) => (s === 0 ? 'linear' : `mlp:${s}`)).join(',') };
  if (model.type === 'cnn') return { path: `${role}.model.denseWidth`, values: sizes.join(',') };
  return { path: `${role}.model`, values: sizes.map((s) => (s === 0 ? 'linear' : `mlp:${s}`)).join(',') };
}

/** One cell of a planned size sweep: its config, or why it cannot run (a model over the memory limit, a size out of range). */
export type SizeCellPlan = { supervisorSize: number; studentSize: number } & ({ config: ExperimentConfig; refused: null } | { config: null; refused: string });

/** Every cell, each validated before anything runs, in the order supervisor size x student size, at the config's seed. */
export function planSizeSweep(base: WeakToStrongConfig, supervisorSizes: readonly number[], studentSizes: readonly number[]): SizeCellPlan[] {
  if (supervisorSizes.length === 0 || studentSizes.length === 0) return [];
  let plan: SweepPlan;
  try {
    plan = planSweep({
      base,
      axes: [sizeAxis('supervisor', base.supervisor.model, supervisorSizes), sizeAxis('student', base.student.model, studentSizes)],
      seeds: [base.seed],
    });
  } catch (error) {
    // Sizes the panel never offers (a repeated or non-numeric size, asked for by a script): every cell says why.
    const refused = error instanceof Error ? error.message : String(error);
    return supervisorSizes.flatMap((supervisorSize) => studentSizes.map((studentSize) => ({ supervisorSize, studentSize, config: null, refused })));
  }
  return plan.cells.map((cell): SizeCellPlan => {
    const sizes = {
      supervisorSize: supervisorSizes[Math.floor(cell.point / studentSizes.length)],
      studentSize: studentSizes[cell.point % studentSizes.length],
    };
    return cell.config ? { ...sizes, config: cell.config, refused: null } : { ...sizes, config: null, refused: cell.refused! };
  });
}
