/**
 * The curves panel's Recharts charts (tooltips, legend, PNG export), drawn once a run stops. In a module of their
 * own so that Recharts, a large share of the page's JavaScript, loads after the page has appeared, not before.
 */
import { CartesianGrid, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Reference } from '../charts/curves';
import { STAGE_COLORS, stageColor } from '../derived';
import type { StageView } from '../store/run-state';

type Row = Record<string, number | null>;

/** Tick type and axis width: the page's size, or lecture mode's (at least 18 px, for the back of the room). */
const ticks = (large: boolean) => ({ tick: { fontSize: large ? 18 : 12, fill: '#334155' }, width: large ? 64 : 44 });

/** The curves of a finished run (the legend is the figure's, beside it); the references are dashed lines across. */
export function MetricLineChart({
  data,
  stages,
  metric,
  references,
  large,
}: {
  data: Row[];
  stages: StageView[];
  metric: 'testAccuracy' | 'loss' | 'bitsPerCharacter';
  references: Reference[];
  large: boolean;
}) {
  const { tick, width } = ticks(large);
  const bits = metric === 'bitsPerCharacter';
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 4, right: 12, bottom: 2, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="#cbd5e1" />
        <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} tick={tick} />
        <YAxis
          domain={metric === 'testAccuracy' ? [0, 1] : bits ? ['auto', 'auto'] : [0, 'auto']}
          tick={tick}
          width={width}
          tickFormatter={(v: number) => (metric === 'testAccuracy' ? `${Math.round(v * 100)}%` : v.toFixed(2))}
        />
        <Tooltip
          isAnimationActive={false}
          formatter={(v) => (typeof v === 'number' ? (metric === 'testAccuracy' ? `${(v * 100).toFixed(2)}%` : v.toFixed(4)) : String(v))}
          labelFormatter={(step) => `step ${step}`}
        />
        {references.map((r) => (
          <ReferenceLine key={r.stage} y={r.value} stroke={r.color} strokeDasharray="7 5" strokeWidth={large ? 3 : 2} ifOverflow="extendDomain" />
        ))}
        {stages.map((stage) => (
          <Line
            key={stage.name}
            dataKey={stage.name}
            name={stage.label}
            stroke={stageColor(stage.name)}
            strokeWidth={large ? 3.5 : 2}
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

export function GapLineChart({ series, name, best, final, large }: { series: GapPoint[]; name: string; best?: GapPoint; final?: GapPoint; large: boolean }) {
  const { tick, width } = ticks(large);
  const label = { fontSize: large ? 18 : 12, fill: '#0f172a' };
  return (
    <ResponsiveContainer width="100%" height="100%">
      {/* The final checkpoint sits on the right edge: room for half its label. */}
      <LineChart data={series} margin={{ top: large ? 20 : 12, right: large ? 30 : 18, bottom: large ? 20 : 12, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="#cbd5e1" />
        <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} tick={tick} />
        {/* Early steps sit far below 0 (the student starts untrained); the story is between -0.5 and 1. */}
        <YAxis domain={[-0.5, 1.25]} ticks={[-0.5, 0, 0.5, 1]} allowDataOverflow tick={tick} width={width} />
        <Tooltip isAnimationActive={false} formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : 'n/a')} labelFormatter={(step) => `step ${step}`} />
        <Line dataKey="value" name={name} stroke={STAGE_COLORS.student} strokeWidth={large ? 3.5 : 2} dot={false} isAnimationActive={false} connectNulls />
        {best && best.value !== null && (
          <ReferenceDot x={best.step} y={best.value} r={5} fill="#fff" stroke="#0f172a" label={{ value: 'best', position: 'top', ...label }} />
        )}
        {final && final.value !== null && (
          <ReferenceDot x={final.step} y={final.value} r={5} fill="#0f172a" stroke="#0f172a" label={{ value: 'final', position: 'bottom', ...label }} />
        )}
      </LineChart>
    </ResponsiveContainer>
  );
}
