/** Text and JSON renderings of an experiment result for the CLI. */
import type { ExperimentResult } from '../core/experiments/contract';
import type { ChartData, ChartPoint } from '../core/experiments/charts';
import { kindSpec } from '../core/experiments/kinds';

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
  const keyOf = (p: ChartPoint) => (info.kind === 'bar' ? (p.label ?? String(p.x)) : String(p.x));
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
