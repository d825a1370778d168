/** A finished run as kept in the browser: config, curves, headline numbers and per-example results. */
import type { ExperimentConfig } from '../../core/config/schema';
import type { ExperimentResult } from '../../core/experiments/contract';
import type { MetricPoint } from '../../core/experiments/figures';
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
  /** A run over several seeds (its config otherwise the same): see SeedCurves. */
  seedRuns?: SeedCurves[];
}

/**
 * One seed's curves of a run over several seeds. A multi-seed run is kept as one entry: the summary fields above
 * describe it as a whole (its config with the first seed), `result` is one seed's, and `seedRuns` holds every
 * seed's curves, from which the Runs panel draws mean ± sd at each step all seeds measured (METHODS.md section 5)
 * and names the run by its seeds.
 */
export interface SeedCurves {
  seed: number;
  stages: { name: string; history: MetricPoint[] }[];
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
  /** What the page calls it: its nearest preset, what differs from it, its seed(s) (runs/compare.ts). */
  name: string;
  /** The seeds of a multi-seed run (two or more), in the order kept. */
  seeds?: number[];
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
  /** For a multi-seed run: test accuracy over its seeds at each step they all measured. */
  band?: SeedBand;
}

export interface SeedBand {
  seeds: number;
  steps: Float64Array;
  mean: Float64Array;
  /** Sample standard deviation (n - 1); 0 for one seed. */
  sd: Float64Array;
}

/** Mean and sample sd of test accuracy over several curves, at each step every curve measured (in the first curve's order). */
export function seedBand(curves: { steps: ArrayLike<number>; testAccuracy: ArrayLike<number> }[]): SeedBand {
  const lookups = curves.map((c) => {
    const at = new Map<number, number>();
    for (let i = 0; i < c.steps.length; i++) at.set(c.steps[i], c.testAccuracy[i]);
    return at;
  });
  const steps: number[] = [];
  const mean: number[] = [];
  const sd: number[] = [];
  const first = curves[0];
  for (let i = 0; first && i < first.steps.length; i++) {
    const step = first.steps[i];
    if (!lookups.every((at) => at.has(step))) continue;
    const values = lookups.map((at) => at.get(step) as number);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.length > 1 ? values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1) : 0;
    steps.push(step);
    mean.push(m);
    sd.push(Math.sqrt(variance));
  }
  return { seeds: curves.length, steps: Float64Array.from(steps), mean: Float64Array.from(mean), sd: Float64Array.from(sd) };
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
  /** Which of the overlaid runs it belongs to (its hue). */
  run: number;
  /** Which model (stage name) it is, the same index in every run (its lightness and dash); 0 is the student. */
  model: number;
  points: { x: number; y: number }[];
  /** A multi-seed run: mean ± sd over its seeds at each kept point (the line is the mean). */
  band?: { x: number; lower: number; upper: number }[];
}

/** The models of the overlaid runs, by stage name: the student first, then the others in the order they appear. */
export function overlayModels(runs: KeptRun[]): { name: string; label: string }[] {
  const models: { name: string; label: string }[] = [];
  for (const run of runs) for (const stage of run.stages) if (!models.some((m) => m.name === stage.name)) models.push({ name: stage.name, label: stage.label });
  const student = models.findIndex((m) => m.name === 'student');
  return student > 0 ? [models[student], ...models.filter((_, i) => i !== student)] : models;
}

/** What an overlay compares: held-out bits per character when every stage of every run has them, else test accuracy. */
export function overlayMetric(runs: KeptRun[]): 'bitsPerCharacter' | 'testAccuracy' {
  return runs.length > 0 && runs.every((run) => run.stages.every((stage) => stage.bits !== null)) ? 'bitsPerCharacter' : 'testAccuracy';
}

/**
 * Test accuracy (or bits per character, see overlayMetric) of every stage of the chosen runs, smoothed over all its
 * points, then thinned as the live curves are (charts/thin.ts: every k-th point and the last, at most 120 a curve):
 * two runs of 40,000 points a curve draw as fast as two short ones. One pass per curve, with no array as long as the
 * curve: this runs on a click. A multi-seed run's accuracy curve is its seeds' mean, with the band mean ± sd around it.
 */
export function overlayCurves(runs: KeptRun[], smoothing: number): OverlayCurve[] {
  const models = overlayModels(runs).map((m) => m.name);
  const bits = overlayMetric(runs) === 'bitsPerCharacter';
  return runs.flatMap((run, r) =>
    run.stages.map((stage) => {
      const band = bits ? undefined : stage.band;
      const steps = band ? band.steps : stage.steps;
      const values = band ? band.mean : bits && stage.bits ? stage.bits : stage.testAccuracy;
      const n = steps.length;
      const stride = n <= MAX_POINTS_PER_CURVE ? 1 : Math.ceil(n / MAX_POINTS_PER_CURVE);
      const points: { x: number; y: number }[] = [];
      const spread: { x: number; lower: number; upper: number }[] = [];
      let last: number | null = null;
      for (let i = 0; i < n; i++) {
        last = ema(last, values[i], smoothing);
        if (i % stride === 0 || i === n - 1) {
          points.push({ x: steps[i], y: last });
          if (band) spread.push({ x: steps[i], lower: last - band.sd[i], upper: last + band.sd[i] });
        }
      }
      const label = `${run.name}: ${stage.label}${band ? ` (mean ± sd of ${band.seeds} seeds)` : ''}`;
      return { key: `${run.id}:${stage.name}`, label, run: r, model: models.indexOf(stage.name), points, ...(band ? { band: spread } : {}) };
    }),
  );
}
