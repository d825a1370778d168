/**
 * A sweep's figures, as the weak-to-strong paper draws them: test accuracy against the first axis with one line per
 * value of the second (the student solid, the ceiling dashed, the supervisor marked by triangles), the gap ratio
 * against the first axis, error bars of one sd over seeds, every point labelled; and a heat map with the metric
 * named in every cell. Each cell of the grid opens as a run.
 */
import { useState } from 'react';
import { CartesianGrid, ErrorBar, LabelList, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { kindSpec } from '../../core/experiments/kinds';
import type { SweepCellRecord, SweepFile } from '../../core/sweep/file';
import { heatCells, heatColor, meanSd, metricName, perSeedText, sweepLines, type SweepMetric } from '../study/figures';

const SERIES_COLORS = ['#059669', '#2563eb', '#db2777', '#d97706', '#7c3aed', '#0891b2', '#65a30d', '#b91c1c'];
const pct = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '');
const fixed = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : '');

/** The supervisor's mark: a filled triangle at the point. */
function triangle(color: string) {
  return function Triangle(props: { cx?: number; cy?: number }) {
    const { cx, cy } = props;
    if (typeof cx !== 'number' || typeof cy !== 'number') return <g />;
    return <path d={`M${cx},${cy - 6}L${cx + 6},${cy + 5}L${cx - 6},${cy + 5}Z`} fill={color} stroke="#fff" strokeWidth={1} />;
  };
}

/** A y range that shows the differences: the values and their error bars, padded, in steps of 5 points (accuracy) or 0.1 (gap ratio). */
function yDomain(rows: Record<string, string | number | null>[], keys: string[], step: number): [number, number] {
  const ends = rows.flatMap((row) =>
    keys.flatMap((key) => {
      const mean = row[key];
      const sd = Number(row[`${key}:sd`] ?? 0);
      return typeof mean === 'number' ? [mean - sd, mean + sd] : [];
    }),
  );
  if (ends.length === 0) return [0, 1];
  return [Math.floor(Math.min(...ends) / step - 0.5) * step, Math.ceil(Math.max(...ends) / step + 0.5) * step];
}

function AxisChart({ file, metrics, title, testId }: { file: SweepFile; metrics: SweepMetric[]; title: string; testId: string }) {
  const lines = sweepLines(file, metrics);
  const isGap = metrics[0] === 'pgr';
  const format = isGap ? fixed : pct;
  const keys = lines.series.flatMap((series) => metrics.map((metric) => `${series.key}:${metric}`));
  const [low, high] = yDomain(lines.rows, keys, isGap ? 0.1 : 0.05);
  const domain: [number, number] = isGap ? [low, high] : [Math.max(0, low), Math.min(1, high)];
  return (
    <div className="sweep-figure" data-testid={testId}>
      <div className="chart-title">{title}</div>
      <ul className="sweep-legend" aria-label="Lines">
        {lines.series.map((series, i) => (
          <li key={series.key} style={{ color: SERIES_COLORS[i % SERIES_COLORS.length] }}>
            <span className="sweep-swatch" style={{ background: SERIES_COLORS[i % SERIES_COLORS.length] }} />
            {lines.seriesPath ? `${lines.seriesPath}=${series.name}` : 'all runs'}
          </li>
        ))}
      </ul>
      <ResponsiveContainer width="100%" height={300}>
        <LineChart data={lines.rows} margin={{ top: 16, right: 28, bottom: 24, left: 12 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis
            dataKey="x"
            type="category"
            tick={{ fontSize: 11 }}
            padding={{ left: 24, right: 24 }}
            label={{ value: lines.xPath, position: 'insideBottom', offset: -14, fontSize: 12 }}
          />
          <YAxis
            tick={{ fontSize: 11 }}
            width={56}
            domain={domain}
            allowDataOverflow
            tickFormatter={(v: number) => (typeof v !== 'number' ? '' : isGap ? v.toFixed(2) : `${Math.round(v * 100)}%`)}
            label={{ value: isGap ? metricName(file, 'pgr') : 'test accuracy', angle: -90, position: 'insideLeft', fontSize: 12 }}
          />
          {isGap && <ReferenceLine y={0} stroke="#94a3b8" ifOverflow="hidden" />}
          {isGap && <ReferenceLine y={1} stroke="#94a3b8" strokeDasharray="4 3" ifOverflow="hidden" />}
          <Tooltip isAnimationActive={false} formatter={(v) => format(v)} />
          {lines.series.flatMap((series, i) =>
            metrics.map((metric) => {
              const color = SERIES_COLORS[i % SERIES_COLORS.length];
              const key = `${series.key}:${metric}`;
              const name = [metricName(file, metric), lines.seriesPath ? `${lines.seriesPath}=${series.name}` : ''].filter(Boolean).join(', ');
              const labelled = metric === 'student' || metric === 'pgr';
              return (
                <Line
                  key={key}
                  dataKey={key}
                  name={name}
                  stroke={color}
                  strokeDasharray={metric === 'ceiling' ? '6 4' : undefined}
                  strokeWidth={metric === 'supervisor' ? 0 : metric === 'ceiling' ? 1.5 : 2}
                  dot={metric === 'supervisor' ? triangle(color) : { r: 3 }}
                  isAnimationActive={false}
                  connectNulls
                >
                  <ErrorBar dataKey={`${key}:sd`} width={5} stroke={color} direction="y" />
                  {labelled && <LabelList dataKey={key} position="right" offset={6} fontSize={10} fill={color} formatter={format} />}
                </Line>
              );
            }),
          )}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

function HeatMap({ file, onOpen }: { file: SweepFile; onOpen: (record: SweepCellRecord) => void }) {
  const [metric, setMetric] = useState<SweepMetric>(kindSpec(file.definition.base.kind).roles.gapName ? 'pgr' : 'student');
  const { rows, columns, cells } = heatCells(file, metric);
  const values = cells.flatMap((c) => (c.spread?.mean === null || c.spread?.mean === undefined ? [] : [c.spread.mean]));
  const range: [number, number] = [Math.min(...values), Math.max(...values)];
  const name = metricName(file, metric);
  const [rowAxis, columnAxis] = file.axes;
  return (
    <div className="sweep-heat" data-testid="study-heatmap">
      <div className="chart-title">
        Heat map of{' '}
        <select value={metric} onChange={(e) => setMetric(e.target.value as SweepMetric)} data-testid="heat-metric">
          {(['pgr', 'student', 'ceiling', 'supervisor'] as const).map((m) => (
            <option key={m} value={m}>
              {m === 'pgr' ? metricName(file, m) : `${metricName(file, m)} test accuracy`}
            </option>
          ))}
        </select>
        , mean ± sd over seeds
      </div>
      <div className="heatmap" style={{ gridTemplateColumns: `130px repeat(${columns.length}, 1fr)` }}>
        <div className="heat-corner">
          {rowAxis.path} ↓{columnAxis ? ` · ${columnAxis.path} →` : ''}
        </div>
        {columns.map((c) => (
          <div key={c} className="heat-head">
            {c}
          </div>
        ))}
        {rows.map((r) => (
          <div key={r} className="heat-row">
            <div className="heat-head">{r}</div>
            {columns.map((c) => {
              const cell = cells.find((x) => x.row === r && x.column === c);
              const first = file.cells.find((x) => x.point === cell?.point && x.status === 'done');
              const text = !cell
                ? ''
                : cell.done
                  ? `${name} ${meanSd(cell.spread, metric === 'pgr' ? 'ratio' : 'percent')}`
                  : cell.refused
                    ? 'refused'
                    : 'not run';
              return (
                <button
                  key={c}
                  type="button"
                  className="heat-cell"
                  style={{ background: heatColor(cell?.spread?.mean ?? null, metric, range) }}
                  disabled={!first}
                  onClick={() => first && onOpen(first)}
                  data-testid="study-heat-cell"
                  title={
                    cell?.spread && first
                      ? `${name}: ${perSeedText(cell.seeds, cell.spread, metric === 'pgr' ? (x) => x.toFixed(3) : (x) => `${(x * 100).toFixed(2)}%`)}. Click to open seed ${first.seed} as a run.`
                      : text
                  }
                >
                  <strong>{text}</strong>
                  {cell && (
                    <span>
                      {cell.done} seed{cell.done === 1 ? '' : 's'}
                      {cell.refused ? `, ${cell.refused} refused` : ''}
                      {cell.failed ? `, ${cell.failed} failed` : ''}
                    </span>
                  )}
                </button>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}

export function SweepFigures({ file, onOpen }: { file: SweepFile; onOpen: (record: SweepCellRecord) => void }) {
  const x = file.axes[0].path;
  const hasGap = kindSpec(file.definition.base.kind).roles.gapName !== null;
  return (
    <div className="sweep-figures">
      <AxisChart
        file={file}
        metrics={['student', 'ceiling', 'supervisor']}
        title={`Test accuracy against ${x}: student solid (labelled), ceiling dashed, supervisor ▲; error bars ± 1 sd over seeds`}
        testId="study-accuracy-figure"
      />
      {hasGap && (
        <AxisChart file={file} metrics={['pgr']} title={`${metricName(file, 'pgr')} against ${x}; error bars ± 1 sd over seeds`} testId="study-pgr-figure" />
      )}
      <HeatMap file={file} onOpen={onOpen} />
    </div>
  );
}
