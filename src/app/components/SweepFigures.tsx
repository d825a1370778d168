/**
 * A sweep's figures, as the weak-to-strong paper draws them: test accuracy against the first axis with one line per
 * value of the second (the student solid, the ceiling dashed, the supervisor marked by triangles), the gap ratio
 * against the first axis, error bars of one sd over seeds, every point labelled; and a heat map with the metric
 * named in every cell. Each cell of the grid opens as a run.
 */
import { useState } from 'react';
import { CartesianGrid, ErrorBar, LabelList, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { kindSpec } from '../../core/experiments/kinds';
import type { SweepCellRecord, SweepFile } from '../../core/sweep/file';
import { heatCells, heatColor, meanSd, metricName, perSeedText, sweepLines, type SweepMetric } from '../study/figures';

const SERIES_COLORS = ['#059669', '#2563eb', '#db2777', '#d97706', '#7c3aed', '#0891b2', '#65a30d', '#b91c1c'];
const pct = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '');
const fixed = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : '');

function AxisChart({ file, metrics, title, testId }: { file: SweepFile; metrics: SweepMetric[]; title: string; testId: string }) {
  const lines = sweepLines(file, metrics);
  const isGap = metrics[0] === 'pgr';
  const format = isGap ? fixed : pct;
  const seriesName = (name: string) => (lines.seriesPath ? `${lines.seriesPath}=${name}` : '');
  return (
    <div className="sweep-figure" data-testid={testId}>
      <div className="chart-title">{title}</div>
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={lines.rows} margin={{ top: 16, right: 24, bottom: 24, left: 12 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="x" type="category" tick={{ fontSize: 11 }} label={{ value: lines.xPath, position: 'insideBottom', offset: -14, fontSize: 12 }} />
          <YAxis
            tick={{ fontSize: 11 }}
            width={52}
            domain={isGap ? ['auto', 'auto'] : [0, 1]}
            tickFormatter={(v: number) => (typeof v !== 'number' ? '' : isGap ? v.toFixed(1) : `${Math.round(v * 100)}%`)}
            label={{ value: isGap ? metricName(file, 'pgr') : 'test accuracy', angle: -90, position: 'insideLeft', fontSize: 12 }}
          />
          {isGap && <ReferenceLine y={0} stroke="#94a3b8" />}
          {isGap && <ReferenceLine y={1} stroke="#94a3b8" strokeDasharray="4 3" />}
          <Tooltip isAnimationActive={false} formatter={(v) => format(v)} />
          <Legend verticalAlign="top" height={lines.series.length > 3 ? 44 : 28} wrapperStyle={{ fontSize: 11 }} />
          {lines.series.flatMap((series, i) =>
            metrics.map((metric) => {
              const color = SERIES_COLORS[i % SERIES_COLORS.length];
              const key = `${series.key}:${metric}`;
              const label = [metricName(file, metric), seriesName(series.name)].filter(Boolean).join(', ');
              return (
                <Line
                  key={key}
                  dataKey={key}
                  name={label}
                  stroke={color}
                  strokeDasharray={metric === 'ceiling' ? '6 4' : undefined}
                  strokeWidth={metric === 'supervisor' ? 0 : 2}
                  dot={metric === 'supervisor' ? { r: 5, fill: color, stroke: color, strokeWidth: 1 } : { r: 3 }}
                  legendType={metric === 'supervisor' ? 'triangle' : metric === 'ceiling' ? 'plainline' : 'line'}
                  isAnimationActive={false}
                  connectNulls
                >
                  <ErrorBar dataKey={`${key}:sd`} width={5} stroke={color} direction="y" />
                  {metric !== 'supervisor' && <LabelList dataKey={key} position="top" fontSize={10} fill={color} formatter={format} />}
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
        title={`Test accuracy against ${x}: student solid, ceiling dashed, supervisor ▲; error bars ± 1 sd over seeds`}
        testId="study-accuracy-figure"
      />
      {hasGap && (
        <AxisChart file={file} metrics={['pgr']} title={`${metricName(file, 'pgr')} against ${x}; error bars ± 1 sd over seeds`} testId="study-pgr-figure" />
      )}
      <HeatMap file={file} onOpen={onOpen} />
    </div>
  );
}
