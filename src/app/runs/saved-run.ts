/** A finished run as kept in the browser: config, curves, headline numbers and per-example results. */
import type { ExperimentConfig } from '../../core/config/schema';
import type { ExperimentResult } from '../../core/experiments/contract';
import type { MetricPoint } from '../../core/experiments/contract';
import type { RunState } from '../store/run-state';

export interface SavedRun {
  id: string;
  savedAt: number;
  title: string;
  config: ExperimentConfig;
  backend: string;
  stages: { name: string; label: string; accuracy: number; bestAccuracy: number; history: MetricPoint[] }[];
  pgr: number | null;
  /** The full result, per-example predictions included. */
  result: ExperimentResult;
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
