import { memo, useMemo } from 'react';
import type { ChartData } from '../../core/experiments/charts';
import { specOf } from '../../core/experiments/kinds';
import { lessonChart, researchFigure } from '../charts/curves';
import { barGroups, formatValue, yRange, type Figure } from '../charts/figure';
import { LiveLineChart, type LiveSeries } from '../charts/LiveLineChart';
import { thin } from '../charts/thin';
import { runFacts } from '../derived';
import { useApp } from '../store/context';
import { ChartFigure } from './ChartFigure';
import { Panel } from './Panel';

const formatPercent = (v: number) => `${Math.round(v * 100)}%`;
const formatNumber = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));

function totalPoints(chart: ChartData): number {
  return Object.values(chart.points).reduce((n, points) => n + points.length, 0);
}

/** A line chart on the canvas renderer (cheap to redraw while points stream in). */
function LineView({ figure }: { figure: Figure }) {
  const series = useMemo<LiveSeries[]>(() => {
    const xs = figure.series.flatMap((s) => s.points.map((p) => p.x));
    return figure.series.map((s) => {
      let points = thin(s.points).map((p) => ({ x: p.x, y: p.y }));
      // A reference measured once (a frozen teacher's probe) spans the chart as a flat line.
      if (s.dashed && points.length === 1 && xs.length > 1)
        points = [
          { x: Math.min(...xs), y: points[0].y },
          { x: Math.max(...xs), y: points[0].y },
        ];
      return { key: s.key, label: s.label, color: s.color, dashed: s.dashed, markers: points.length <= 24, points };
    });
  }, [figure]);
  const all = useMemo(() => figure.series.flatMap((s) => s.points), [figure]);
  const xFromZero = all.every((p) => p.x >= 0) && /step|epoch/i.test(figure.xLabel);
  // Points that name their x (a chain's links) label the axis with those names.
  const xTicks = useMemo(() => {
    if (all.length === 0 || !all.every((p) => p.label)) return undefined;
    const byX = new Map<number, string>();
    for (const p of all) if (!byX.has(p.x)) byX.set(p.x, p.label as string);
    return [...byX.entries()].sort((a, b) => a[0] - b[0]).map(([x, label]) => ({ x, label }));
  }, [all]);
  const domain = useMemo(() => yRange(figure), [figure]);
  return (
    <LiveLineChart
      series={series}
      yDomain={domain}
      formatY={figure.percent ? formatPercent : formatNumber}
      testId={`research-canvas-${figure.id}`}
      xFromZero={xFromZero}
      xTicks={xTicks}
    />
  );
}

/** Grouped bars in plain HTML: one group per label, one bar per series. */
function BarView({ figure }: { figure: Figure }) {
  const groups = useMemo(() => barGroups(figure), [figure]);
  const values = groups.flatMap((g) => [...g.values.values()].map((p) => p.y)).filter(Number.isFinite);
  const [lo, hi] = figure.yDomain ?? [Math.min(0, ...values), Math.max(1e-9, ...values)];
  const span = hi - lo || 1;
  const zero = Math.min(1, Math.max(0, (0 - lo) / span));
  return (
    <div className="bar-chart">
      {groups.map((group) => (
        <div className="bar-group" key={group.label}>
          <div className="bar-group-label">{group.label}</div>
          <div className="bar-rows">
            {figure.series.map((s) => {
              const point = group.values.get(s.key);
              if (!point) return null;
              const at = Math.min(1, Math.max(0, (point.y - lo) / span));
              return (
                <div className="bar-row" key={s.key} title={`${s.label}: ${formatValue(figure, point.y)}`}>
                  <div className="bar-track">
                    <div
                      className={`bar ${s.dashed ? 'bar-reference' : ''}`}
                      style={{
                        left: `${Math.min(at, zero) * 100}%`,
                        width: `${Math.max(Math.abs(at - zero) * 100, 0.5)}%`,
                        background: s.dashed ? 'transparent' : s.color,
                        borderColor: s.color,
                      }}
                    />
                  </div>
                  <span className="bar-value">{formatValue(figure, point.y)}</span>
                </div>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}

const ResearchChart = memo(function ResearchChart({ chart, takeaway, lesson }: { chart: ChartData; takeaway: string | null; lesson: boolean }) {
  const figure = useMemo(() => researchFigure(chart), [chart]);
  return (
    <ChartFigure
      figure={figure}
      testId={`research-chart-${chart.info.id}`}
      className={`research-chart research-${chart.info.kind} ${lesson ? 'lesson-plot' : ''}`}
      points={totalPoints(chart)}
      takeaway={takeaway}
    >
      <div className="research-plot">{chart.info.kind === 'bar' ? <BarView figure={figure} /> : <LineView figure={figure} />}</div>
    </ChartFigure>
  );
});

/** The run's lesson plot first and largest, with its takeaway; then the experiment's other plots. */
export function ResearchPanel() {
  const run = useApp((s) => s.run);
  const draft = useApp((s) => s.draft);
  const charts = run.charts;
  const lesson = lessonChart(charts);
  const takeaway = useMemo(() => {
    const spec = run.config ? specOf(run.config.kind) : null;
    return spec?.takeaway?.(runFacts(run, draft)) ?? null;
  }, [run, draft]);
  if (!lesson) return null;
  const ordered = [lesson, ...charts.filter((c) => c !== lesson)];
  return (
    <Panel
      title="The lesson, measured"
      testId="research-panel"
      className="research"
      help="What this experiment is about, measured as it runs; the line under the first plot says what the numbers show. Dashed lines and outlined bars are references."
    >
      <div className={`research-grid ${charts.length > 1 ? 'many' : ''}`}>
        {ordered.map((chart) => (
          <ResearchChart key={chart.info.id} chart={chart} takeaway={chart === lesson ? takeaway : null} lesson={chart === lesson} />
        ))}
      </div>
    </Panel>
  );
}
