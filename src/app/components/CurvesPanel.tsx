import { memo, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { accuracyFigure, accuracyReferences, bitsFigure, curvePoints, gapFigure, lossFigure, type CurveMetric } from '../charts/curves';
import type { Figure } from '../charts/figure';
import { LiveLineChart, type LiveSeries } from '../charts/LiveLineChart';
import { thin } from '../charts/thin';
import { gapSeries, rolesOf, viewOf } from '../derived';
import type { RunState, StageView } from '../store/run-state';
import { useApp } from '../store/context';
import { ChartFigure } from './ChartFigure';
import { Panel } from './Panel';

type Row = Record<string, number | null>;

/**
 * Recharts loads after the page has appeared (see StaticCharts.tsx), long before a run ends; once it is here the
 * charts render in the same pass as the state that asks for them.
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

/** Rows keyed by step with one column per stage: every model on one step axis. */
function mergeByStep(stages: StageView[], metric: CurveMetric): Row[] {
  const rows = new Map<number, Row>();
  const lastStep = Math.max(0, ...stages.map((s) => s.history.at(-1)?.step ?? 0));
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
const figureOf = (run: RunState, metric: CurveMetric) =>
  metric === 'testAccuracy' ? accuracyFigure(run) : metric === 'bitsPerCharacter' ? bitsFigure(run) : lossFigure(run);

/** A figure's series for the canvas renderer. */
const liveSeries = (figure: Figure): LiveSeries[] =>
  figure.series.map((s) => ({ key: s.key, label: s.label, color: s.color, dashed: s.dashed, points: s.points }));

const MetricChart = memo(function MetricChart({ run, metric, training, large }: { run: RunState; metric: CurveMetric; training: boolean; large: boolean }) {
  const charts = useStaticCharts();
  const figure = useMemo(() => figureOf(run, metric), [run, metric]);
  const data = useMemo(() => (training ? [] : mergeByStep(run.stages, metric)), [run.stages, metric, training]);
  const live = useMemo(() => (training ? liveSeries(figure) : []), [figure, training]);
  const references = useMemo(() => (metric === 'testAccuracy' ? accuracyReferences(run) : []), [run, metric]);
  return (
    <ChartFigure figure={figure} testId={`chart-${metric}`} className="chart">
      {training ? (
        <LiveLineChart series={live} yDomain={figure.yDomain} formatY={metric === 'testAccuracy' ? formatPercent : formatLoss} testId={`live-${metric}`} />
      ) : (
        charts && <charts.MetricLineChart data={data} stages={run.stages} metric={metric} references={references} large={large} />
      )}
    </ChartFigure>
  );
});

function GapChart({ run, training, large }: { run: RunState; training: boolean; large: boolean }) {
  const charts = useStaticCharts();
  const roles = rolesOf(run);
  const figure = useMemo(() => gapFigure(run), [run]);
  const full = useMemo(() => gapSeries(run), [run]);
  if (!figure) return null;
  const student = roles ? run.stages.find((s) => s.name === roles.student) : undefined;
  const result = student?.result;
  const best = result ? full.find((p) => p.step === result.bestStep) : undefined;
  const final = result ? full.at(-1) : undefined;
  return (
    <ChartFigure figure={figure} testId="chart-gap" className="chart">
      {training ? (
        <LiveLineChart series={liveSeries(figure)} yDomain={figure.yDomain} formatY={formatRatio} testId="live-gap" />
      ) : (
        charts && <charts.GapLineChart series={thin(full)} name={figure.series[0].label} best={best} final={final} large={large} />
      )}
    </ChartFigure>
  );
}

export function CurvesPanel() {
  const run = useApp((s) => s.run);
  const large = useApp((s) => s.lecture);
  const roles = rolesOf(run);
  const bits = useApp((s) => viewOf(s.run, s.draft.kind).metric === 'bitsPerCharacter');
  // Canvas while training (cheap redraws), Recharts once the run stops (tooltips).
  const live = run.status === 'running' || run.status === 'paused' || run.status === 'starting';
  // Recharts' first render takes 100-200 ms on a small machine: deferred, React renders it in slices between
  // frames instead of in the task that ends the run.
  const training = useDeferredValue(live);
  return (
    <Panel
      title="Training curves"
      testId="curves-panel"
      help={
        bits ? (
          "Bits per character of every model on held-out text (a novel none of them read; lower is better) and training loss, against each model's own training steps. The teacher is measured, not trained: its line is flat and dashed."
        ) : (
          <>
            Test accuracy and training loss of every model against its own training steps; a dashed line is a model&apos;s final accuracy, drawn across for
            comparison.{' '}
            {roles?.gapName === 'gap closed' ? (
              <>
                <dfn title="(distilled − student alone) / (teacher − student alone)">Gap closed</dfn>: how much of the way from the student alone to the teacher
                distillation takes it.
              </>
            ) : roles?.gapName ? (
              <>
                <dfn title="(student − weak) / (ceiling − weak)">PGR</dfn>, the performance gap recovered: how much of the gap between the weak supervisor and
                the strong ceiling the student recovers (1 = all of it, 0 = none, below 0 = worse than its supervisor).
              </>
            ) : null}
          </>
        )
      }
      className="curves"
    >
      <div className={roles?.gapName ? 'charts-grid' : 'charts-grid no-gap'}>
        <MetricChart run={run} metric={bits ? 'bitsPerCharacter' : 'testAccuracy'} training={training} large={large} />
        <MetricChart run={run} metric="loss" training={training} large={large} />
        {roles?.gapName && <GapChart run={run} training={training} large={large} />}
      </div>
    </Panel>
  );
}
