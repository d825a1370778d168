/**
 * The curves panel's Recharts charts (tooltips, legend, PNG export), drawn once a run stops. In a module of their
 * own so that Recharts, a large share of the page's JavaScript, loads after the page has appeared, not before.
 */
import { CartesianGrid, Legend, Line, LineChart, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { STAGE_COLORS, stageColor } from '../derived';
import type { StageView } from '../store/run-state';

type Row = Record<string, number | null>;

export function MetricLineChart({
  data,
  stages,
  metric,
  legend,
}: {
  data: Row[];
  stages: StageView[];
  metric: 'testAccuracy' | 'loss' | 'bitsPerCharacter';
  legend: boolean;
}) {
  const bits = metric === 'bitsPerCharacter';
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 4, right: 12, bottom: 2, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} tick={{ fontSize: 11 }} />
        <YAxis
          domain={metric === 'testAccuracy' ? [0, 1] : bits ? ['auto', 'auto'] : [0, 'auto']}
          tick={{ fontSize: 11 }}
          width={40}
          tickFormatter={(v: number) => (metric === 'testAccuracy' ? `${Math.round(v * 100)}%` : v.toFixed(2))}
        />
        <Tooltip
          isAnimationActive={false}
          formatter={(v) => (typeof v === 'number' ? (metric === 'testAccuracy' ? `${(v * 100).toFixed(2)}%` : v.toFixed(4)) : String(v))}
          labelFormatter={(step) => `step ${step}`}
        />
        {legend && <Legend wrapperStyle={{ fontSize: 12 }} />}
        {stages.map((stage) => (
          <Line
            key={stage.name}
            dataKey={stage.name}
            name={stage.label}
            stroke={stageColor(stage.name)}
            strokeWidth={2}
            strokeDasharray={bits && stage.totalSteps === 0 ? '6 4' : undefined}
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

type GapPoint = { step: number; value: number | null };

export function GapLineChart({ series, name, best, final }: { series: GapPoint[]; name: string; best?: GapPoint; final?: GapPoint }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={series} margin={{ top: 4, right: 12, bottom: 2, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} tick={{ fontSize: 11 }} />
        {/* Early steps sit far below 0 (the student starts untrained); the story is between -0.5 and 1. */}
        <YAxis domain={[-0.5, 1.25]} ticks={[-0.5, 0, 0.5, 1]} allowDataOverflow tick={{ fontSize: 11 }} width={40} />
        <Tooltip isAnimationActive={false} formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : 'n/a')} labelFormatter={(step) => `step ${step}`} />
        <Line dataKey="value" name={name} stroke={STAGE_COLORS.student} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
        {best && best.value !== null && (
          <ReferenceDot x={best.step} y={best.value} r={5} fill="#fff" stroke="#0f172a" label={{ value: 'best', position: 'top', fontSize: 11 }} />
        )}
        {final && final.value !== null && (
          <ReferenceDot x={final.step} y={final.value} r={5} fill="#0f172a" stroke="#0f172a" label={{ value: 'final', position: 'bottom', fontSize: 11 }} />
        )}
      </LineChart>
    </ResponsiveContainer>
  );
}
