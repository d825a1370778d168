/** A finished run as kept in the browser: config, curves, headline numbers and per-example results. */
import type { ExperimentConfig } from '../../core/config/schema';
import type { ExperimentResult } from '../../core/experiments/contract';
import type { MetricPoint } from '../../core/experiments/contract';
import { MAX_POINTS_PER_CURVE } from '../charts/thin';
import type { RunState } from '../store/run-state';

/** A finished run as stored in IndexedDB (what this version writes; read back with read-saved-run.ts). */
export interface SavedRun {
  /** Its key in the archive (set by the archive when saved). */
  id: string;
  /** When it finished, by this computer's clock. */
  savedAt: number;
  title: string;
  config: ExperimentConfig;
  backend: string;
  stages: { name: string; label: string; accuracy: number; bestAccuracy: number; bitsPerCharacter?: number; history: MetricPoint[] }[];
  pgr: number | null;
  /** The full result, per-example predictions included. */
  result: ExperimentResult;
}

/**
 * A stored run as the page holds it once read back and checked: the summary the Runs panel shows, each curve as
 * two columns of numbers (a long run has 40,000 points a curve: as objects they would weigh on every garbage
 * collection while the page runs), and no per-example results (they stay in IndexedDB).
 */
export interface KeptRun {
  id: string;
  /** NaN when the entry had no readable date. */
  savedAt: number;
  title: string;
  config: ExperimentConfig;
  backend: string;
  stages: KeptStage[];
  pgr: number | null;
  /** Whether its full result was stored and reads back with the documented shape. */
  hasResults: boolean;
  /** What readConfig replaced in its config, shown when the config is loaded into the form. */
  loadNotices: string[];
}

export interface KeptStage {
  name: string;
  label: string;
  accuracy: number;
  bestAccuracy: number;
  /** The curve: step and test accuracy of each measurement. */
  steps: Float64Array;
  testAccuracy: Float64Array;
  /** Language models: final held-out bits per character, and its curve (null when the stage has none). */
  bitsPerCharacter: number | null;
  bits: Float64Array | null;
}

export function toSavedRun(run: RunState, title: string, now: number): SavedRun | null {
  if (run.status !== 'done' || !run.result || !run.config) return null;
  return {
    id: `${now.toString(36)}-${run.runId}`,
    savedAt: now,
    title,
    config: run.config,
    backend: run.result.backend,
    stages: Object.values(run.result.stages).map((s) => ({
      name: s.name,
      label: s.label,
      accuracy: s.accuracy,
      bestAccuracy: s.bestAccuracy,
      ...(s.bitsPerCharacter !== undefined ? { bitsPerCharacter: s.bitsPerCharacter } : {}),
      history: s.history,
    })),
    pgr: run.result.pgr.final,
    result: run.result,
  };
}

/** One step of the exponential moving average: weight `smoothing` on the previous value (as TensorBoard does). */
const ema = (last: number | null, value: number, smoothing: number) =>
  last === null || !Number.isFinite(last) ? value : smoothing * last + (1 - smoothing) * value;

/** Exponential moving average with weight `smoothing` in [0, 1) on the previous value. */
export function smooth(values: number[], smoothing: number): number[] {
  const out: number[] = [];
  let last: number | null = null;
  for (const v of values) out.push((last = ema(last, v, smoothing)));
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

/** What an overlay compares: held-out bits per character when every stage of every run has them, else test accuracy. */
export function overlayMetric(runs: KeptRun[]): 'bitsPerCharacter' | 'testAccuracy' {
  return runs.length > 0 && runs.every((run) => run.stages.every((stage) => stage.bits !== null)) ? 'bitsPerCharacter' : 'testAccuracy';
}

/**
 * Test accuracy (or bits per character, see overlayMetric) of every stage of the chosen runs, smoothed over all its
 * points, then thinned as the live curves are (charts/thin.ts: every k-th point and the last, at most 120 a curve):
 * two runs of 40,000 points a curve draw as fast as two short ones. One pass per curve, with no array as long as the
 * curve: this runs on a click.
 */
export function overlayCurves(runs: KeptRun[], smoothing: number): OverlayCurve[] {
  const bits = overlayMetric(runs) === 'bitsPerCharacter';
  return runs.flatMap((run, r) =>
    run.stages.map((stage) => {
      const { steps } = stage;
      const testAccuracy = bits && stage.bits ? stage.bits : stage.testAccuracy;
      const n = steps.length;
      const stride = n <= MAX_POINTS_PER_CURVE ? 1 : Math.ceil(n / MAX_POINTS_PER_CURVE);
      const points: { x: number; y: number }[] = [];
      let last: number | null = null;
      for (let i = 0; i < n; i++) {
        last = ema(last, testAccuracy[i], smoothing);
        if (i % stride === 0 || i === n - 1) points.push({ x: steps[i], y: last });
      }
      return { key: `${run.id}:${stage.name}`, label: `${run.title}: ${stage.label}`, run: r, dashed: stage.name !== 'student', points };
    }),
  );
}
