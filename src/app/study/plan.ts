/**
 * What the Seeds & sweeps panel runs: the form's config over a list of seeds, along none, one or two axes. Every
 * cell is read as every config is (readConfig, strictly) before anything starts; the refused ones carry the reason.
 * With no axis it is one point over several seeds (the command line's --seeds); with axes, the core's sweep plan.
 */
import { ConfigError, readConfig } from '../../core/config/read';
import type { ExperimentConfig } from '../../core/config/schema';
import type { AxisSpec } from '../../core/sweep/axes';
import { planSweep, type PlannedCell, type SweepPlan } from '../../core/sweep/plan';
import { parseSeeds } from '../../core/sweep/seeds';

/** Plans the study; throws SweepInputError (seeds or axes that cannot be read) with a message for the page. */
export function planStudy(base: ExperimentConfig, seedsText: string, axes: readonly AxisSpec[]): SweepPlan {
  const seeds = parseSeeds(seedsText);
  const used = axes.filter((axis) => axis.path.trim() !== '');
  if (used.length) return planSweep({ base, axes: used, seeds });
  const cells = seeds.map((seed, index): PlannedCell => {
    const planned = { index, point: 0, values: [], seed };
    try {
      return { ...planned, config: readConfig({ ...base, seed }, { mode: 'strict' }).config, refused: null };
    } catch (error) {
      return { ...planned, config: null, refused: error instanceof ConfigError ? error.problems.join('; ') : String(error) };
    }
  });
  return { definition: { base, axes: [], seeds }, axes: [], points: [{ index: 0, values: [] }], cells };
}

/** Whether a plan is one experiment over seeds (no axis). */
export const isSeedsOnly = (plan: Pick<SweepPlan, 'axes'>) => plan.axes.length === 0;
