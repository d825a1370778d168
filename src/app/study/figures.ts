/**
 * The numbers the study's figures draw, apart from the drawing: a metric of a point over its seeds, the lines of a
 * sweep (test accuracy or PGR against the first axis, one line per value of the second, error bars of one
 * standard deviation over seeds), the heat map's cells, and seed values as a hover text. Plain data in and out.
 */
import { kindSpec } from '../../core/experiments/kinds';
import type { SweepFile } from '../../core/sweep/file';
import type { Spread } from '../../core/sweep/stats';
import type { SeedSummary } from '../../core/sweep/summary';

export type SweepMetric = 'student' | 'supervisor' | 'ceiling' | 'pgr';

/** A metric's name in figures and cells: the stage's own label, or the kind's gap ratio. */
export function metricName(file: Pick<SweepFile, 'definition'>, metric: SweepMetric): string {
  const roles = kindSpec(file.definition.base.kind).roles;
  if (metric === 'pgr') return roles.gapName ?? 'gap ratio';
  return { student: 'student', supervisor: 'supervisor', ceiling: 'ceiling' }[metric];
}

/** The stage a metric reads, by the kind's roles (the ceiling is the upper reference). */
function stageOf(kind: SeedSummary['kind'], metric: Exclude<SweepMetric, 'pgr'>): string {
  const roles = kindSpec(kind).roles;
  return metric === 'student' ? roles.student : metric === 'supervisor' ? roles.supervisor : roles.upper;
}

/** A metric over a point's seeds: final test accuracy of a stage, or the final gap ratio. */
export function metricSpread(summary: SeedSummary | null, metric: SweepMetric): Spread | null {
  if (!summary) return null;
  if (metric === 'pgr') return summary.pgr.final;
  return summary.stages[stageOf(summary.kind, metric)]?.accuracy ?? null;
}

/** "seed 1: 91.20%, seed 2: 90.85%": the values behind a mean, for a title. */
export function perSeedText(seeds: readonly number[], spread: Spread, format: (x: number) => string): string {
  return seeds.map((seed, i) => `seed ${seed}: ${typeof spread.values[i] === 'number' ? format(spread.values[i]!) : 'n/a'}`).join(', ');
}

/** "84.12% ± 1.30" (the sd in points), or just the mean for one seed. */
export function meanSd(spread: Spread | null, kind: 'percent' | 'ratio'): string {
  if (!spread || spread.mean === null) return 'n/a';
  if (kind === 'percent') return `${(spread.mean * 100).toFixed(2)}%${spread.sd === null ? '' : ` ± ${(spread.sd * 100).toFixed(2)}`}`;
  return `${spread.mean.toFixed(3)}${spread.sd === null ? '' : ` ± ${spread.sd.toFixed(3)}`}`;
}

export interface SweepSeries {
  /** The second axis's value (or "all" with one axis). */
  name: string;
  /** Keys of the rows: `${key}:${metric}` the mean, `${key}:${metric}:sd` its sd. */
  key: string;
}

export interface SweepLines {
  /** The first axis (the x axis), with its values in order. */
  xPath: string;
  /** The second axis, or null with one. */
  seriesPath: string | null;
  series: SweepSeries[];
  /** One row per value of the first axis: `x` its label, then each series' metrics. */
  rows: Record<string, string | number | null>[];
}

/** The figures' lines: every metric for every point, by first-axis value (rows) and second-axis value (series). */
export function sweepLines(file: SweepFile, metrics: readonly SweepMetric[]): SweepLines {
  const [xAxis, seriesAxis] = file.axes;
  const seriesValues = seriesAxis ? seriesAxis.values : ['all'];
  const series = seriesValues.map((name, i) => ({ name, key: `s${i}` }));
  const rows = xAxis.values.map((x) => {
    const row: Record<string, string | number | null> = { x };
    for (const [i, name] of seriesValues.entries()) {
      const point = (file.summary ?? []).find((p) => p.values[0] === x && (!seriesAxis || p.values[1] === name));
      for (const metric of metrics) {
        const spread = metricSpread(point?.summary ?? null, metric);
        row[`s${i}:${metric}`] = spread?.mean ?? null;
        row[`s${i}:${metric}:sd`] = spread?.sd ?? 0;
      }
    }
    return row;
  });
  return { xPath: xAxis.path, seriesPath: seriesAxis?.path ?? null, series, rows };
}

export interface HeatCell {
  row: string;
  column: string;
  point: number;
  spread: Spread | null;
  /** The seeds the spread is over (those done), in its values' order. */
  seeds: number[];
  /** Seeds done, refused and failed at this point. */
  done: number;
  refused: number;
  failed: number;
}

/** The heat map: first axis down, second across (one column with one axis). */
export function heatCells(file: SweepFile, metric: SweepMetric): { rows: string[]; columns: string[]; cells: HeatCell[] } {
  const [rowAxis, columnAxis] = file.axes;
  const columns = columnAxis ? columnAxis.values : [metricName(file, metric)];
  const cells = (file.summary ?? []).map((point) => ({
    row: point.values[0],
    column: columnAxis ? point.values[1] : columns[0],
    point: point.point,
    spread: metricSpread(point.summary, metric),
    seeds: point.summary?.seeds ?? [],
    done: point.done,
    refused: point.refused,
    failed: point.failed,
  }));
  return { rows: rowAxis.values, columns, cells };
}

/** A heat colour: for PGR red below 0, white at 0, green at 1 and above; for accuracies white at the lowest to green at the highest shown. */
export function heatColor(value: number | null, metric: SweepMetric, range: [number, number]): string {
  if (value === null) return '#f1f5f9';
  const t = metric === 'pgr' ? Math.max(-1, Math.min(1, value)) : range[1] > range[0] ? (value - range[0]) / (range[1] - range[0]) : 1;
  return t >= 0
    ? `rgb(${Math.round(255 - 200 * t)}, ${Math.round(255 - 80 * t)}, ${Math.round(255 - 170 * t)})`
    : `rgb(255, ${Math.round(255 + 150 * t)}, ${Math.round(255 + 150 * t)})`;
}
