/** Sweep and seed summaries as tables (CSV through the one writer, and the command line's text tables). */
import { toCsv } from '../csv-export';
import { finite, type Spread } from './stats';
import type { SweepFile } from './file';
import type { GapSpread, SeedSummary } from './summary';

/** Long form: one row per figure, `metric, n, mean, sd`, then the value of each seed. */
export function seedSummaryRows(summary: SeedSummary): unknown[][] {
  const rows: unknown[][] = [['metric', 'n', 'mean', 'sd', ...summary.seeds.map((seed) => `seed ${seed}`)]];
  const add = (metric: string, s: Spread) => rows.push([metric, s.n, s.mean, s.sd, ...s.values]);
  for (const [name, stage] of Object.entries(summary.stages)) {
    add(`${name} accuracy`, stage.accuracy);
    add(`${name} best accuracy`, stage.bestAccuracy);
  }
  const gap = summary.pgr.name ?? 'gap ratio';
  add(`${gap} final`, summary.pgr.final);
  add(`${gap} best`, summary.pgr.best);
  add('beat rate', summary.mistakes.beatRate);
  add('copy rate', summary.mistakes.copyRate);
  for (const student of summary.students) {
    add(`${student.stage} ${gap} final`, student.gap.final);
    add(`${student.stage} ${gap} best`, student.gap.best);
    add(`${student.stage} beat rate`, student.beatRate);
    add(`${student.stage} copy rate`, student.copyRate);
  }
  return rows;
}

export function seedSummaryCsv(summary: SeedSummary): string {
  return toCsv(seedSummaryRows(summary));
}

const undefinedSeeds = (gap: GapSpread | undefined) => gap?.undefinedSeeds.map((u) => u.seed).join(' ') ?? '';

/** Stage names over every point, in the order they first appear. */
function stageNames(file: SweepFile): string[] {
  const names: string[] = [];
  for (const point of file.summary ?? []) for (const name of Object.keys(point.summary?.stages ?? {})) if (!names.includes(name)) names.push(name);
  return names;
}

/** The sweep table: one row per point of the grid, mean and sd over its seeds. */
export function sweepSummaryCsv(file: SweepFile): string {
  const stages = stageNames(file);
  const students = [...new Set((file.summary ?? []).flatMap((p) => p.summary?.students.map((s) => s.stage) ?? []))];
  const header = [
    ...file.axes.map((axis) => axis.path),
    'seeds_done',
    'refused',
    'failed',
    ...stages.flatMap((s) => [`${s}_accuracy_mean`, `${s}_accuracy_sd`, `${s}_best_mean`, `${s}_best_sd`]),
    'pgr_final_mean',
    'pgr_final_sd',
    'pgr_final_n',
    'pgr_final_undefined_seeds',
    'pgr_best_mean',
    'pgr_best_sd',
    'beat_rate_mean',
    'beat_rate_sd',
    'copy_rate_mean',
    'copy_rate_sd',
    ...students.flatMap((s) => [`${s}_pgr_final_mean`, `${s}_pgr_final_sd`, `${s}_copy_rate_mean`, `${s}_copy_rate_sd`]),
  ];
  const rows: unknown[][] = [header];
  for (const point of file.summary ?? []) {
    const s = point.summary;
    const pair = (spread: Spread | undefined) => [spread?.mean ?? null, spread?.sd ?? null];
    rows.push([
      ...point.values,
      point.done,
      point.refused,
      point.failed,
      ...stages.flatMap((name) => [...pair(s?.stages[name]?.accuracy), ...pair(s?.stages[name]?.bestAccuracy)]),
      ...pair(s?.pgr.final),
      s?.pgr.final.n ?? 0,
      undefinedSeeds(s?.pgr.final),
      ...pair(s?.pgr.best),
      ...pair(s?.mistakes.beatRate),
      ...pair(s?.mistakes.copyRate),
      ...students.flatMap((name) => {
        const student = s?.students.find((x) => x.stage === name);
        return [...pair(student?.gap.final), ...pair(student?.copyRate)];
      }),
    ]);
  }
  return toCsv(rows);
}

/** One row per cell: its axis values, seed, status and figures. */
export function sweepCellsCsv(file: SweepFile): string {
  const stages = stageNames(file);
  const header = [
    'cell',
    ...file.axes.map((axis) => axis.path),
    'seed',
    'status',
    'reason',
    ...stages.flatMap((s) => [`${s}_accuracy`, `${s}_best`]),
    'pgr_final',
    'pgr_best',
    'beat_rate',
    'copy_rate',
    'seconds',
  ];
  const rows: unknown[][] = [header];
  for (const cell of file.cells) {
    const r = cell.result;
    rows.push([
      cell.index,
      ...cell.values,
      cell.seed,
      cell.status,
      cell.reason ?? '',
      ...stages.flatMap((name) => [finite(r?.stages[name]?.accuracy), finite(r?.stages[name]?.bestAccuracy)]),
      finite(r?.pgr.final),
      finite(r?.pgr.best),
      finite(r?.mistakes.test.beatRate),
      finite(r?.mistakes.test.copyRate),
      finite(r?.seconds),
    ]);
  }
  return toCsv(rows);
}
