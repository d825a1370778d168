import { memo, useMemo } from 'react';
import type { ChartData, ChartPoint } from '../../core/experiments/charts';
import { LiveLineChart, type LiveSeries } from '../charts/LiveLineChart';
import { stageColor } from '../derived';
import { useApp } from '../store/context';
import { thin } from '../charts/thin';
import { logAxis } from '../charts/log-axis';
import { Panel } from './Panel';

const formatPercent = (v: number) => `${Math.round(v * 100)}%`;
const formatNumber = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));

function totalPoints(chart: ChartData): number {
  return Object.values(chart.points).reduce((n, points) => n + points.length, 0);
}

/** A y range around the data with a margin (percentages stay within 0-100%), so small differences show. */
function autoDomain(values: number[], percent?: boolean): [number, number] | undefined {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return undefined;
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  const pad = Math.max((hi - lo) * 0.15, Math.abs(hi) * 0.02, 1e-3);
  lo -= pad;
  hi += pad;
  if (percent) [lo, hi] = [Math.max(0, lo), Math.min(1, hi)];
  return [lo, hi];
}

/** A line chart on the canvas renderer (cheap to redraw while points stream in). */
function LineView({ chart }: { chart: ChartData }) {
  const { info } = chart;
  const log = info.xScale === 'log';
  const series = useMemo<LiveSeries[]>(() => {
    const all = Object.values(chart.points).flat();
    const xs = all.map((p) => p.x);
    return info.series.map((s) => {
      let points = thin(chart.points[s.key] ?? []).map((p) => ({ x: p.x, y: p.y }));
      if (log) points = points.filter((p) => p.x > 0).map((p) => ({ x: Math.log10(p.x), y: p.y }));
      // A reference measured once (a frozen teacher's probe) spans the chart as a flat line.
      if (s.dashed && points.length === 1 && xs.length > 1)
        points = [
          { x: log ? Math.log10(Math.min(...xs.filter((x) => x > 0))) : Math.min(...xs), y: points[0].y },
          { x: log ? Math.log10(Math.max(...xs)) : Math.max(...xs), y: points[0].y },
        ];
      return { key: s.key, label: s.label, color: s.color ?? stageColor(s.key), dashed: s.dashed, markers: points.length <= 24, points };
    });
  }, [chart, info, log]);
  const all = useMemo(() => Object.values(chart.points).flat(), [chart]);
  const xFromZero = all.every((p) => p.x >= 0) && info.xLabel.toLowerCase().includes('step');
  // Points that name their x (a chain's links) label the axis with those names.
  const axis = useMemo(() => (log ? logAxis(all.map((p) => p.x)) : null), [all, log]);
  const xTicks = useMemo(() => {
    if (axis) return axis.ticks;
    if (all.length === 0 || !all.every((p) => p.label)) return undefined;
    const byX = new Map<number, string>();
    for (const p of all) if (!byX.has(p.x)) byX.set(p.x, p.label as string);
    return [...byX.entries()].sort((a, b) => a[0] - b[0]).map(([x, label]) => ({ x, label }));
  }, [all, axis]);
  return (
    <LiveLineChart
      series={series}
      yDomain={
        info.yDomain ??
        autoDomain(
          all.map((p) => p.y),
          info.percent,
        )
      }
      formatY={info.percent ? formatPercent : formatNumber}
      testId={`research-canvas-${info.id}`}
      xFromZero={xFromZero}
      xTicks={xTicks}
      xDomain={axis?.domain}
    />
  );
}

/** Grouped bars in plain HTML: one group per label, one bar per series. */
function BarView({ chart }: { chart: ChartData }) {
  const { info } = chart;
  const groups = useMemo(() => {
    const labels: string[] = [];
    const byLabel = new Map<string, Map<string, ChartPoint>>();
    for (const s of info.series) {
      for (const p of chart.points[s.key] ?? []) {
        const label = p.label ?? String(p.x);
        if (!byLabel.has(label)) {
          labels.push(label);
          byLabel.set(label, new Map());
        }
        byLabel.get(label)!.set(s.key, p);
      }
    }
    return labels.map((label) => ({ label, values: byLabel.get(label)! }));
  }, [chart, info]);
  const values = groups.flatMap((g) => [...g.values.values()].map((p) => p.y)).filter(Number.isFinite);
  const [lo, hi] = info.yDomain ?? [Math.min(0, ...values), Math.max(1e-9, ...values)];
  const span = hi - lo || 1;
  const zero = Math.min(1, Math.max(0, (0 - lo) / span));
  const format = info.percent ? (v: number) => `${(v * 100).toFixed(1)}%` : (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
  return (
    <div className="bar-chart" role="table" aria-label={info.title}>
      {groups.map((group) => (
        <div className="bar-group" role="row" key={group.label}>
          <div className="bar-group-label" role="rowheader">
            {group.label}
          </div>
          <div className="bar-rows">
            {info.series.map((s) => {
              const point = group.values.get(s.key);
              if (!point) return null;
              const at = Math.min(1, Math.max(0, (point.y - lo) / span));
              const left = Math.min(at, zero);
              const width = Math.abs(at - zero);
              return (
                <div className="bar-row" role="cell" key={s.key} title={`${s.label}: ${format(point.y)}`}>
                  <div className="bar-track">
                    <div
                      className={`bar ${s.dashed ? 'bar-reference' : ''}`}
                      style={{
                        left: `${left * 100}%`,
                        width: `${Math.max(width * 100, 0.5)}%`,
                        background: s.dashed ? 'transparent' : (s.color ?? stageColor(s.key)),
                        borderColor: s.color ?? stageColor(s.key),
                      }}
                    />
                  </div>
                  <span className="bar-value">{format(point.y)}</span>
                </div>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}

const ResearchChart = memo(function ResearchChart({ chart }: { chart: ChartData }) {
  const { info } = chart;
  return (
    <figure className={`research-chart research-${info.kind}`} data-testid={`research-chart-${info.id}`} data-points={totalPoints(chart)}>
      <figcaption className="chart-title">
        {info.title}{' '}
        <span className="muted">
          ({info.yLabel} against {info.xLabel}
          {info.xScale === 'log' ? ', log scale' : ''})
        </span>
      </figcaption>
      <div className="research-plot">{info.kind === 'bar' ? <BarView chart={chart} /> : <LineView chart={chart} />}</div>
      <div className="live-legend">
        {info.series.map((s) => (
          <span key={s.key} style={{ color: s.color ?? stageColor(s.key) }}>
            {s.dashed ? '┄' : '●'} {s.label}
          </span>
        ))}
      </div>
      {info.note && <p className="research-note">{info.note}</p>}
    </figure>
  );
});

/** The experiment's characteristic plots (a chain, a temperature sweep, probe accuracy, proxy and golden distances). */
export function ResearchPanel() {
  const charts = useApp((s) => s.run.charts);
  if (charts.length === 0) return null;
  return (
    <Panel
      title="Research plots"
      testId="research-panel"
      className="research"
      help="What this experiment is about, measured as it runs. Hover a bar for its value; dashed lines and outlined bars are references."
    >
      <div className={`research-grid ${charts.length > 1 ? 'two' : ''}`}>
        {charts.map((chart) => (
          <ResearchChart key={chart.info.id} chart={chart} />
        ))}
      </div>
    </Panel>
  );
}
