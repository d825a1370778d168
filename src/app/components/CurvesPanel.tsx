import { memo, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { LiveLineChart, type LiveSeries } from '../charts/LiveLineChart';
import { thin } from '../charts/thin';
import { gapSeries, rolesOf, STAGE_COLORS, stageColor, viewOf } from '../derived';
import type { StageView } from '../store/run-state';
import { useApp } from '../store/context';
import { Panel } from './Panel';

type Row = Record<string, number | null>;

/**
 * Recharts loads after the page has appeared (see StaticCharts.tsx), long before a run ends; once it is here the
 * charts render in the same pass as the state that asks for them (the PNG export finds them at once).
 */
const staticChartsModule = import('./StaticCharts');
let staticCharts: typeof import('./StaticCharts') | null = null;
void staticChartsModule.then((module) => (staticCharts = module));

function useStaticCharts(): typeof import('./StaticCharts') | null {
  const [module, setModule] = useState(staticCharts);
  useEffect(() => {
    if (!module) void staticChartsModule.then(setModule);
  }, [module]);
  return module;
}

type Metric = 'testAccuracy' | 'loss' | 'bitsPerCharacter';

/** A model measured but never trained here (a shipped teacher): one point at step 0, drawn flat across the others' steps. */
const measuredOnly = (stage: StageView) => stage.totalSteps === 0 && stage.history.length === 1;

/** The points of one stage's curve (thinned); a measured-only model's bits per character reach to `lastStep`. */
function curvePoints(stage: StageView, metric: Metric, lastStep: number): { x: number; y: number }[] {
  const points = thin(stage.history)
    .filter((p) => metric !== 'loss' || p.step > 0)
    .map((p) => ({ x: p.step, y: p[metric] ?? NaN }));
  return metric === 'bitsPerCharacter' && measuredOnly(stage) && lastStep > 0 ? [points[0], { x: lastStep, y: points[0].y }] : points;
}

const lastStepOf = (stages: StageView[]) => Math.max(0, ...stages.map((s) => s.history.at(-1)?.step ?? 0));

/** Rows keyed by step with one column per stage: every model on one step axis. */
function mergeByStep(stages: StageView[], metric: Metric): Row[] {
  const rows = new Map<number, Row>();
  const lastStep = lastStepOf(stages);
  for (const stage of stages) {
    for (const point of curvePoints(stage, metric, lastStep)) {
      const row = rows.get(point.x) ?? { step: point.x };
      row[stage.name] = point.y;
      rows.set(point.x, row);
    }
  }
  return [...rows.values()].sort((a, b) => (a.step as number) - (b.step as number));
}

const formatPercent = (v: number) => `${Math.round(v * 100)}%`;
const formatLoss = (v: number) => v.toFixed(2);
const formatRatio = (v: number) => v.toFixed(1);
const formatBits = (v: number) => v.toFixed(2);
const ACCURACY_DOMAIN: [number, number] = [0, 1];
const GAP_DOMAIN: [number, number] = [-0.5, 1.25];

function LiveLegend({ stages }: { stages: StageView[] }) {
  return (
    <div className="live-legend">
      {stages.map((s) => (
        <span key={s.name} style={{ color: stageColor(s.name) }}>
          ● {s.label}
        </span>
      ))}
    </div>
  );
}

const MetricChart = memo(function MetricChart({
  stages,
  metric,
  label,
  legend,
  training,
}: {
  stages: StageView[];
  metric: Metric;
  label: string;
  legend: boolean;
  training: boolean;
}) {
  const charts = useStaticCharts();
  const data = useMemo(() => (training ? [] : mergeByStep(stages, metric)), [stages, metric, training]);
  const live = useMemo<LiveSeries[]>(
    () =>
      training
        ? stages.map((stage) => ({
            key: stage.name,
            label: stage.label,
            color: stageColor(stage.name),
            dashed: metric === 'bitsPerCharacter' && measuredOnly(stage),
            points: curvePoints(stage, metric, lastStepOf(stages)),
          }))
        : [],
    [stages, metric, training],
  );
  if (training) {
    return (
      <div className="chart" data-testid={`chart-${metric}`}>
        <div className="chart-title">{label}</div>
        <LiveLineChart
          series={live}
          yDomain={metric === 'testAccuracy' ? ACCURACY_DOMAIN : undefined}
          formatY={metric === 'testAccuracy' ? formatPercent : metric === 'bitsPerCharacter' ? formatBits : formatLoss}
          testId={`live-${metric}`}
        />
        {legend && <LiveLegend stages={stages} />}
      </div>
    );
  }
  return (
    <div className="chart" data-testid={`chart-${metric}`}>
      <div className="chart-title">{label}</div>
      {charts && <charts.MetricLineChart data={data} stages={stages} metric={metric} legend={legend} />}
    </div>
  );
});

function GapChart({ training }: { training: boolean }) {
  const charts = useStaticCharts();
  const run = useApp((s) => s.run);
  const roles = rolesOf(run);
  const full = useMemo(() => gapSeries(run), [run]);
  const series = useMemo(() => thin(full), [full]);
  const live = useMemo<LiveSeries[]>(
    () => [
      {
        key: 'gap',
        label: roles?.gapName ?? 'PGR',
        color: STAGE_COLORS.student,
        points: series.filter((p) => p.value !== null).map((p) => ({ x: p.step, y: p.value as number })),
      },
    ],
    [series, roles],
  );
  if (training) {
    return (
      <div className="chart" data-testid="chart-gap">
        <div className="chart-title">{roles?.gapName ?? 'PGR'} as the student trains</div>
        <LiveLineChart series={live} yDomain={GAP_DOMAIN} formatY={formatRatio} testId="live-gap" />
      </div>
    );
  }
  const student = roles ? run.stages.find((s) => s.name === roles.student) : undefined;
  const result = student?.result;
  const best = result ? full.find((p) => p.step === result.bestStep) : undefined;
  const final = result ? full.at(-1) : undefined;
  return (
    <div className="chart" data-testid="chart-gap">
      <div className="chart-title">{roles?.gapName ?? 'PGR'} as the student trains</div>
      {charts && <charts.GapLineChart series={series} name={roles?.gapName ?? 'PGR'} best={best} final={final} />}
    </div>
  );
}

export function CurvesPanel() {
  const stages = useApp((s) => s.run.stages);
  const roles = useApp((s) => rolesOf(s.run));
  const bits = useApp((s) => viewOf(s.run, s.draft.kind).metric === 'bitsPerCharacter');
  // Canvas while training (cheap redraws), Recharts once the run stops (tooltips, legend, PNG export).
  const live = useApp((s) => s.run.status === 'running' || s.run.status === 'paused' || s.run.status === 'starting');
  // Recharts' first render takes 100-200 ms on a small machine: deferred, React renders it in slices between
  // frames instead of in the task that ends the run.
  const training = useDeferredValue(live);
  return (
    <Panel
      title="Training curves"
      testId="curves-panel"
      help={
        bits
          ? "Bits per character of every model on held-out text (a novel none of them read; lower is better) and training loss, against each model's own training steps. The teacher is measured, not trained: its line is flat."
          : !roles?.gapName
            ? 'Test accuracy and training loss of every model against its own training steps.'
            : roles.gapName === 'gap closed'
              ? 'Test accuracy and training loss of every model against its own training steps. Gap closed = how much of the way from the student alone to the teacher distillation takes it.'
              : 'Test accuracy and training loss of every model against its own training steps. PGR = how much of the gap between the weak supervisor and the strong ceiling the student recovers (1 = all of it, 0 = none, below 0 = worse than its supervisor).'
      }
      className="curves"
    >
      <div className={roles?.gapName ? 'charts-grid' : 'charts-grid no-gap'}>
        {bits ? (
          <MetricChart stages={stages} metric="bitsPerCharacter" label="Held-out bits per character" legend training={training} />
        ) : (
          <MetricChart stages={stages} metric="testAccuracy" label="Test accuracy" legend training={training} />
        )}
        <MetricChart stages={stages} metric="loss" label="Training loss" legend={false} training={training} />
        {roles?.gapName && <GapChart training={training} />}
      </div>
    </Panel>
  );
}
