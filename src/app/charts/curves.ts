/**
 * The training curves as figures (see figure.ts): test accuracy, training loss and the gap ratio, with the
 * references a lesson compares against drawn across the whole plot (a supervisor that trained briefly or not at
 * all, a student alone whose short run ends early).
 */
import type { ChartData } from '../../core/experiments/charts';
import { gapSeries, rolesOf, STAGE_COLORS, stageColor } from '../derived';
import type { RunState, StageView } from '../store/run-state';
import { figureOfChart, type Figure, type FigureSeries } from './figure';
import { thin } from './thin';

export type CurveMetric = 'testAccuracy' | 'loss' | 'bitsPerCharacter';

/** A stage whose curve ends before this share of the plot's steps gets a reference line at its final accuracy. */
const SHORT_LIVED = 0.9;

export interface Reference {
  stage: string;
  label: string;
  color: string;
  value: number;
}

/**
 * The references of the accuracy plot: the supervisor and the gap's lower and upper models, once finished, when
 * their own curves do not span the plot (a synthetic supervisor is a single point; a student alone trains on a
 * tenth of the data).
 */
export function accuracyReferences(run: RunState): Reference[] {
  const roles = rolesOf(run);
  if (!roles) return [];
  const xMax = Math.max(0, ...run.stages.map((s) => s.history.at(-1)?.step ?? 0));
  const names = [...new Set([roles.supervisor, roles.lower, roles.upper])];
  return names
    .map((name) => run.stages.find((s) => s.name === name))
    .filter((s): s is StageView & { result: NonNullable<StageView['result']> } => Boolean(s?.result))
    .filter((s) => (s.history.at(-1)?.step ?? 0) < SHORT_LIVED * xMax)
    .map((s) => ({ stage: s.name, label: `${s.label}: final`, color: stageColor(s.name), value: s.result.accuracy }));
}

/** A model measured but not trained here (a shipped teacher, an oracle): one point at step 0. */
const measuredOnly = (stage: StageView) => stage.totalSteps === 0 && stage.history.length === 1;

const lastStepOf = (stages: StageView[]) => Math.max(0, ...stages.map((s) => s.history.at(-1)?.step ?? 0));

/**
 * A stage's points of one metric (loss from step 1); a measured-only model's held-out bits per character are drawn
 * flat across the plot, so the students can be compared with it.
 */
export function curvePoints(stage: StageView, metric: CurveMetric, lastStep: number): { x: number; y: number }[] {
  const points = thin(stage.history)
    .filter((p) => metric !== 'loss' || p.step > 0)
    .map((p) => ({ x: p.step, y: p[metric] ?? NaN }));
  return metric === 'bitsPerCharacter' && measuredOnly(stage) && lastStep > 0 ? [points[0], { x: lastStep, y: points[0].y }] : points;
}

function stageSeries(stages: StageView[], metric: CurveMetric): FigureSeries[] {
  const lastStep = lastStepOf(stages);
  return stages.map((stage) => ({
    key: stage.name,
    label: stage.label,
    color: stageColor(stage.name),
    ...(metric === 'bitsPerCharacter' && measuredOnly(stage) ? { dashed: true } : {}),
    points: curvePoints(stage, metric, lastStep),
  }));
}

export function accuracyFigure(run: RunState): Figure {
  const series = stageSeries(run.stages, 'testAccuracy');
  const xMax = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.x)));
  const references = accuracyReferences(run).map((r) => ({
    key: `${r.stage}-final`,
    label: r.label,
    color: r.color,
    dashed: true,
    points: [
      { x: 0, y: r.value },
      { x: xMax, y: r.value },
    ],
  }));
  return {
    id: 'accuracy',
    title: 'Test accuracy',
    kind: 'line',
    xLabel: 'training step',
    yLabel: 'test accuracy',
    percent: true,
    yDomain: [0, 1],
    series: [...series, ...references],
  };
}

/** Language models: held-out bits per character of every model (lower is better); a measured-only teacher is flat. */
export function bitsFigure(run: RunState): Figure {
  return {
    id: 'bits-per-character',
    title: 'Held-out bits per character',
    kind: 'line',
    xLabel: 'training step',
    yLabel: 'bits per character (lower is better)',
    series: stageSeries(run.stages, 'bitsPerCharacter'),
  };
}

export function lossFigure(run: RunState): Figure {
  return { id: 'loss', title: 'Training loss', kind: 'line', xLabel: 'training step', yLabel: 'training loss', series: stageSeries(run.stages, 'loss') };
}

/** The gap ratio's range on screen: early steps sit far below 0 (the student starts untrained). */
export const GAP_DOMAIN: [number, number] = [-0.5, 1.25];

export function gapFigure(run: RunState): Figure | null {
  const roles = rolesOf(run);
  if (!roles?.gapName) return null;
  const student = run.stages.find((s) => s.name === roles.student);
  const name = roles.gapName === 'PGR' ? 'PGR' : 'Gap closed';
  return {
    id: 'pgr',
    title: `${name} of ${student?.label.toLowerCase() ?? 'the student'} as it trains`,
    kind: 'line',
    xLabel: `${student?.label.toLowerCase() ?? 'student'}'s training step`,
    yLabel: roles.gapName,
    yDomain: GAP_DOMAIN,
    series: [
      {
        key: 'gap',
        label: roles.gapName,
        color: STAGE_COLORS.student,
        points: thin(gapSeries(run))
          .filter((p) => p.value !== null)
          .map((p) => ({ x: p.step, y: p.value as number })),
      },
    ],
  };
}

/** A research plot's figure, in the page's colours. */
export const researchFigure = (chart: ChartData): Figure => figureOfChart(chart, stageColor);

/** The run's lesson plot: the chart its runner marked as the lesson, else the first. */
export function lessonChart(charts: readonly ChartData[]): ChartData | null {
  return charts.find((c) => c.info.lesson) ?? charts[0] ?? null;
}
