/**
 * One experiment over several seeds: a card per stage with the mean ± sd of its final test accuracy (each seed's
 * value on hover), the gap ratio likewise, the test-accuracy curves as the mean with a band of one sd at the steps
 * every seed measured, and the beat/copy counts of one chosen seed or pooled over all.
 */
import { useState } from 'react';
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MistakeCategory } from '../../core/metrics';
import type { SweepCellRecord } from '../../core/sweep/file';
import type { SeedSummary } from '../../core/sweep/summary';
import { CATEGORY_COLORS, CATEGORY_LABELS, stageColor } from '../derived';
import { meanSd, perSeedText } from '../study/figures';

const CATEGORIES: MistakeCategory[] = ['bothRight', 'beats', 'copies', 'otherWrong', 'regresses'];
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export function SeedResults({ summary, records }: { summary: SeedSummary; records: readonly SweepCellRecord[] }) {
  const stages = Object.entries(summary.stages);
  const gapName = summary.pgr.name;
  const rows = new Map<number, Record<string, number | number[]>>();
  for (const [name, stage] of stages) {
    for (const point of stage.curve) {
      const row = rows.get(point.step) ?? { step: point.step };
      row[name] = point.mean;
      row[`${name}:band`] = [point.mean - (point.sd ?? 0), point.mean + (point.sd ?? 0)];
      rows.set(point.step, row);
    }
  }
  const data = [...rows.values()].sort((a, b) => (a.step as number) - (b.step as number));
  return (
    <div className="seed-results" data-testid="seed-results">
      <div className="seed-cards">
        {stages.map(([name, stage]) => (
          <div
            key={name}
            className="stage-card seed-card"
            style={{ borderTopColor: stageColor(name) }}
            title={`${stage.label}, final test accuracy: ${perSeedText(summary.seeds, stage.accuracy, pct)}`}
            data-testid={`seed-card-${name}`}
          >
            <span className="seed-card-label">{stage.label}</span>
            <strong data-testid="seed-mean">{meanSd(stage.accuracy, 'percent')}</strong>
            <span className="muted">
              test accuracy, mean ± sd over {stage.accuracy.n} seed{stage.accuracy.n === 1 ? '' : 's'}
            </span>
          </div>
        ))}
        {gapName && (
          <div
            className="stage-card seed-card gap-card"
            title={`${gapName}: ${perSeedText(summary.seeds, summary.pgr.final, (x) => x.toFixed(3))}${
              summary.pgr.final.undefinedSeeds.length
                ? `; undefined for ${summary.pgr.final.undefinedSeeds.map((u) => `seed ${u.seed} (${u.reason})`).join(', ')}`
                : ''
            }`}
            data-testid="seed-card-gap"
          >
            <span className="seed-card-label">{gapName}</span>
            <strong>{meanSd(summary.pgr.final, 'ratio')}</strong>
            <span className="muted">
              mean ± sd over {summary.pgr.final.n} seed{summary.pgr.final.n === 1 ? '' : 's'}
              {summary.pgr.final.undefinedSeeds.length ? ` (undefined for ${summary.pgr.final.undefinedSeeds.length})` : ''}
            </span>
          </div>
        )}
      </div>
      <div className="seed-curves" data-testid="seed-curves">
        <div className="chart-title">Test accuracy: mean over seeds, band ± 1 sd (steps every seed measured)</div>
        <ResponsiveContainer width="100%" height={240}>
          <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis
              type="number"
              dataKey="step"
              domain={['dataMin', 'dataMax']}
              tick={{ fontSize: 11 }}
              label={{ value: 'training step', position: 'insideBottom', offset: -10, fontSize: 11 }}
            />
            <YAxis
              tickFormatter={(v: number) => `${Math.round(v * 100)}%`}
              tick={{ fontSize: 11 }}
              width={48}
              label={{ value: 'test accuracy', angle: -90, position: 'insideLeft', fontSize: 11 }}
            />
            <Tooltip isAnimationActive={false} formatter={(v) => (Array.isArray(v) ? v.map((x) => pct(Number(x))).join(' to ') : pct(Number(v)))} />
            <Legend verticalAlign="top" height={24} />
            {stages.map(([name, stage]) => (
              <Area
                key={`${name}:band`}
                dataKey={`${name}:band`}
                name={`${stage.label} ± 1 sd`}
                stroke="none"
                fill={stageColor(name)}
                fillOpacity={0.18}
                isAnimationActive={false}
                legendType="none"
                connectNulls
              />
            ))}
            {stages.map(([name, stage]) => (
              <Line key={name} dataKey={name} name={stage.label} stroke={stageColor(name)} dot={false} isAnimationActive={false} connectNulls />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <SeedMatrix seeds={summary.seeds} records={records} />
    </div>
  );
}

/** Beat/copy counts on the test set: one seed's, or summed over the seeds. */
function SeedMatrix({ seeds, records }: { seeds: readonly number[]; records: readonly SweepCellRecord[] }) {
  const [chosen, setChosen] = useState<'pooled' | number>('pooled');
  const done = records.filter((r) => r.status === 'done' && r.result);
  const shown = chosen === 'pooled' ? done : done.filter((r) => r.seed === chosen);
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, shown.reduce((sum, r) => sum + (r.result!.mistakes.test[c] ?? 0), 0)])) as Record<
    MistakeCategory,
    number
  >;
  const total = shown.reduce((sum, r) => sum + (r.result!.mistakes.test.total ?? 0), 0);
  return (
    <div className="seed-matrix" data-testid="seed-matrix">
      <div className="chart-title">
        Beat or copy on test,{' '}
        <select
          value={String(chosen)}
          onChange={(e) => setChosen(e.target.value === 'pooled' ? 'pooled' : Number(e.target.value))}
          data-testid="seed-matrix-choice"
        >
          <option value="pooled">pooled over {done.length} seeds</option>
          {seeds.map((seed) => (
            <option key={seed} value={seed}>
              seed {seed}
            </option>
          ))}
        </select>
      </div>
      <div className="seed-matrix-cells">
        {CATEGORIES.map((category) => (
          <div key={category} className="cell" style={{ borderColor: CATEGORY_COLORS[category] }}>
            <span className="cell-name" style={{ color: CATEGORY_COLORS[category] }}>
              {CATEGORY_LABELS[category]}
            </span>
            <span className="cell-count" data-testid={`seed-count-${category}`}>
              {counts[category]}
            </span>
            <span className="cell-rate">{total ? `${((counts[category] / total) * 100).toFixed(1)}% of ${total}` : '–'}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
