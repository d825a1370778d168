/** A finished run as kept in the browser: config, curves, headline numbers and per-example results. */
import type { ExperimentConfig } from '../../core/config';
import type { ExperimentResult } from '../../core/experiments';
import type { MetricPoint } from '../../core/train';
import { thin } from '../charts/thin';
import type { RunState } from '../store/run-state';

export interface SavedRun {
  /** Its key in the archive (set by the archive when saved). */
  id: string;
  /** When it finished, by this computer's clock (NaN when a stored entry had no readable date). */
  savedAt: number;
  title: string;
  config: ExperimentConfig;
  backend: string;
  stages: { name: string; label: string; accuracy: number; bestAccuracy: number; history: MetricPoint[] }[];
  pgr: number | null;
  /** The full result, per-example predictions included; null when a stored one could not be read. */
  result: ExperimentResult | null;
  /** When read back: what readConfig replaced in its config, shown when the config is loaded into the form. */
  loadNotices?: string[];
}

export function toSavedRun(run: RunState, title: string, now: number): SavedRun | null {
  if (run.status !== 'done' || !run.result || !run.config) return null;
  return {
    id: `${now.toString(36)}-${run.runId}`,
    savedAt: now,
    title,
    config: run.config,
    backend: run.result.backend,
    stages: Object.values(run.result.stages).map((s) => ({ name: s.name, label: s.label, accuracy: s.accuracy, bestAccuracy: s.bestAccuracy, history: s.history })),
    pgr: run.result.pgr.final,
    result: run.result,
  };
}

/** Exponential moving average with weight `smoothing` in [0, 1) on the previous value (as TensorBoard does). */
export function smooth(values: number[], smoothing: number): number[] {
  const out: number[] = [];
  let last: number | null = null;
  for (const v of values) {
    last = last === null || !Number.isFinite(last) ? v : smoothing * last + (1 - smoothing) * v;
    out.push(last);
  }
  return out;
}

export interface OverlayCurve {
  key: string;
  label: string;
  /** Which of the overlaid runs it belongs to (its colour). */
  run: number;
  /** Students are drawn solid, the other models dashed. */
  dashed: boolean;
  points: { x: number; y: number }[];
}

/**
 * Test accuracy of every stage of the chosen runs, smoothed over all its points, then thinned as the live curves
 * are (at most 120 points a curve): two runs of 40,000 points a curve draw as fast as two short ones.
 */
export function overlayCurves(runs: SavedRun[], smoothing: number): OverlayCurve[] {
  return runs.flatMap((run, r) =>
    run.stages.map((stage) => {
      const values = smooth(stage.history.map((p) => p.testAccuracy), smoothing);
      const points = thin(stage.history.map((p, i) => ({ x: p.step, y: values[i] })));
      return { key: `${run.id}:${stage.name}`, label: `${run.title}: ${stage.label}`, run: r, dashed: stage.name !== 'student', points };
    }),
  );
}
