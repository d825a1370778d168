/** Text and JSON renderings of an experiment result for the CLI. */
import type { ExperimentResult } from '../core/experiments/contract';
import type { ChartData, ChartPoint } from '../core/experiments/charts';
import { kindSpec } from '../core/experiments/kinds';
import type { SweepFile } from '../core/sweep/file';
import type { Spread } from '../core/sweep/stats';
import type { GapSpread, SeedSummary } from '../core/sweep/summary';

const pct = (x: number | null) => (x === null || Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const ratio = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

export function formatResultTable(result: ExperimentResult): string {
  // Language models: held-out bits per character first (lower is better); test accuracy is the next character's.
  const bits = Object.values(result.stages).some((stage) => stage.bitsPerCharacter !== undefined);
  const rows = [['stage', ...(bits ? ['bits/char'] : []), 'test acc', 'best', 'oracle best', 'ECE', 'steps', 'seconds', 'model']];
  for (const stage of Object.values(result.stages)) {
    rows.push([
      stage.label,
      ...(bits ? [stage.bitsPerCharacter === undefined ? 'n/a' : stage.bitsPerCharacter.toFixed(4)] : []),
      pct(stage.accuracy),
      pct(stage.bestAccuracy),
      pct(stage.oracleBestAccuracy),
      stage.ece.toFixed(3),
      String(stage.stepsRun),
      stage.seconds.toFixed(1),
      stage.model,
    ]);
  }
  const m = result.mistakes.test;
  const pgrName = kindSpec(result.kind).roles.gapName ?? 'gap ratio';
  const lines = [
    `${result.kind} on ${result.dataset.name}, seed ${result.config.seed}, backend ${result.backend}, ${result.seconds.toFixed(1)} s`,
    '',
    table(rows),
    '',
    `${pgrName}: final ${ratio(result.pgr.final)}, best ${ratio(result.pgr.best)} (oracle best ${ratio(result.pgr.oracleBest)})${result.pgr.reason ? `\n  ${result.pgr.reason}` : ''}`,
    `  = ${result.pgr.definition}`,
    '',
    `On the ${m.total} test examples (supervisor = ${result.stages[result.roles.supervisor].label}, student = ${result.stages[result.roles.student].label}):`,
    table([
      ['both right', 'beats', 'copies', 'other wrong', 'regresses', 'beat rate', 'copy rate', 'agreement'],
      [String(m.bothRight), String(m.beats), String(m.copies), String(m.otherWrong), String(m.regresses), pct(m.beatRate), pct(m.copyRate), pct(m.agreement)],
    ]),
    `  agreement with the supervisor where it is right ${pct(m.agreementWhenSupervisorRight)}, where it is wrong ${pct(m.agreementWhenSupervisorWrong)}`,
  ];
  if (result.students?.length) {
    const roles = kindSpec(result.kind).roles;
    lines.push('', `Students side by side (${pgrName} against the same ${result.stages[roles.lower].label} and ${result.stages[roles.upper].label}):`);
    lines.push(
      table([
        ['student', 'test acc', 'best', `${pgrName} final`, `${pgrName} best`, 'beat rate', 'copy rate'],
        ...result.students.map((s) => [
          s.label,
          pct(s.accuracy),
          pct(s.bestAccuracy),
          ratio(s.gap.final),
          ratio(s.gap.best),
          pct(s.mistakes.beatRate),
          pct(s.mistakes.copyRate),
        ]),
      ]),
    );
  }
  lines.push(...result.charts.flatMap((chart) => ['', formatChart(chart)]));
  if (result.language) {
    const { prompt, samples } = result.language;
    lines.push('', `Writing after the prompt ${JSON.stringify(prompt.used)} (the last sample of each model):`, ...prompt.notes.map((note) => `  ${note}`));
    const last = new Map(samples.map((s) => [s.stage, s]));
    for (const [stage, sample] of last) lines.push(`  ${result.stages[stage]?.label ?? stage} (step ${sample.step}): ${JSON.stringify(sample.text)}`);
  }
  return lines.join('\n');
}

/** A chart as text: one row per x value (or bar group), one column per series. */
export function formatChart(chart: ChartData): string {
  const { info, points } = chart;
  // Fractional x (a reliability bin's mean confidence) to 4 significant digits; steps and temperatures as they are.
  const keyOf = (p: ChartPoint) => (info.kind === 'bar' ? (p.label ?? String(p.x)) : Number.isInteger(p.x) ? String(p.x) : p.x.toPrecision(4));
  const xs: string[] = [];
  for (const series of info.series) for (const p of points[series.key] ?? []) if (!xs.includes(keyOf(p))) xs.push(keyOf(p));
  const value = (y: number) => (info.percent ? pct(y) : Number.isFinite(y) ? y.toPrecision(4) : 'n/a');
  const rows = [[info.xLabel, ...info.series.map((s) => s.label)]];
  for (const x of xs)
    rows.push([
      x,
      ...info.series.map((s) => {
        const p = (points[s.key] ?? []).find((q) => keyOf(q) === x);
        return p ? value(p.y) : '';
      }),
    ]);
  return `${info.title} (${info.yLabel})\n${table(rows)}`;
}

/** "78.3% ± 2.1" for accuracies and rates, "0.443 ± 0.071" for ratios; "n/a" without a value. */
function meanSd(spread: Spread, percent: boolean): string {
  if (spread.mean === null) return 'n/a';
  const show = (x: number) => (percent ? (x * 100).toFixed(1) : x.toFixed(3));
  return `${show(spread.mean)}${percent ? '%' : ''}${spread.sd === null ? '' : ` ± ${show(spread.sd)}`}`;
}

const perSeed = (spread: Spread, percent: boolean) => spread.values.map((v) => (v === null ? 'n/a' : percent ? pct(v) : ratio(v)));

function undefinedNote(name: string, gap: GapSpread): string[] {
  return gap.undefinedSeeds.length
    ? [
        `  ${name} undefined for ${gap.undefinedSeeds.length} of ${gap.values.length} seeds, not counted in the mean: ${gap.undefinedSeeds.map((u) => `seed ${u.seed} (${u.reason})`).join('; ')}`,
      ]
    : [];
}

/** Mean ± sample standard deviation over seeds, with every seed's value. */
export function formatSeedSummary(summary: SeedSummary): string {
  const gap = summary.pgr.name ?? 'gap ratio';
  const rows = [['', 'mean ± sd', 'n', ...summary.seeds.map((seed) => `seed ${seed}`)]];
  const add = (label: string, spread: Spread, percent: boolean) => rows.push([label, meanSd(spread, percent), String(spread.n), ...perSeed(spread, percent)]);
  for (const stage of Object.values(summary.stages)) {
    add(`${stage.label}: final`, stage.accuracy, true);
    add(`${stage.label}: best`, stage.bestAccuracy, true);
  }
  add(`${gap}: final`, summary.pgr.final, false);
  add(`${gap}: best`, summary.pgr.best, false);
  add('beat rate', summary.mistakes.beatRate, true);
  add('copy rate', summary.mistakes.copyRate, true);
  for (const student of summary.students) {
    add(`${student.label}: ${gap} final`, student.gap.final, false);
    add(`${student.label}: copy rate`, student.copyRate, true);
  }
  return [
    `Over ${summary.seeds.length} seeds (mean ± sample standard deviation):`,
    table(rows),
    ...undefinedNote(`${gap} final`, summary.pgr.final),
    ...undefinedNote(`${gap} best`, summary.pgr.best),
  ].join('\n');
}

/** The sweep table: per point, each stage's final test accuracy and the gap ratio, mean ± sd over its seeds. */
export function formatSweepSummary(file: SweepFile): string {
  const points = file.summary ?? [];
  const stages = [...new Set(points.flatMap((p) => Object.keys(p.summary?.stages ?? {})))];
  const gap = points.find((p) => p.summary)?.summary?.pgr.name ?? 'PGR';
  const rows = [[...file.axes.map((a) => a.path), 'seeds', ...stages, `${gap} final`, `${gap} best`, 'copy rate']];
  for (const point of points) {
    const s = point.summary;
    const status = `${point.done}${point.refused ? `, ${point.refused} refused` : ''}${point.failed ? `, ${point.failed} failed` : ''}`;
    rows.push([
      ...point.values,
      status,
      ...stages.map((name) => (s?.stages[name] ? meanSd(s.stages[name].accuracy, true) : '')),
      s ? meanSd(s.pgr.final, false) + (s.pgr.final.undefinedSeeds.length ? ` (${s.pgr.final.undefinedSeeds.length} n/a)` : '') : '',
      s ? meanSd(s.pgr.best, false) : '',
      s ? meanSd(s.mistakes.copyRate, true) : '',
    ]);
  }
  return `Final test accuracy per point (mean ± sd over seeds):\n${table(rows)}`;
}
