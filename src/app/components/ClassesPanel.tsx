import { useMemo, useState } from 'react';
import type { StageResult } from '../../core/experiments/figures';
import { confusionMatrix, type ReliabilityBin } from '../../core/metrics';
import { percent, rolesOf, stageColor } from '../derived';
import { useApp } from '../store/context';
import { Dialog } from './Dialog';

/** Shade of a cell from its share of the row: green on the diagonal (right), red off it (a mistake). */
function shade(share: number, diagonal: boolean): string {
  if (share <= 0) return 'transparent';
  const alpha = Math.min(1, 0.08 + 0.85 * share);
  return diagonal ? `rgba(5, 150, 105, ${alpha.toFixed(3)})` : `rgba(220, 38, 38, ${alpha.toFixed(3)})`;
}

/** Rows are the true class, columns the predicted one; each cell shows its count, shaded by its share of the row. */
function ConfusionMatrix({ classNames, labels, predictions }: { classNames: string[]; labels: Int32Array; predictions: Int32Array }) {
  const matrix = useMemo(() => confusionMatrix(labels, predictions, classNames.length), [labels, predictions, classNames.length]);
  const totals = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const columnTotals = classNames.map((_, c) => matrix.reduce((sum, row) => sum + row[c], 0));
  return (
    <table className="confusion" data-testid="confusion-matrix" aria-label="Confusion matrix: rows are the true class, columns the predicted class">
      <thead>
        <tr>
          <th className="confusion-corner">true ↓ · predicted →</th>
          {classNames.map((name, c) => (
            <th key={c} scope="col" title={`predicted ${name}`}>
              {c}
            </th>
          ))}
          <th scope="col" title="test examples of this class">
            n
          </th>
          <th scope="col" title="share of this class predicted right (recall)">
            right
          </th>
        </tr>
      </thead>
      <tbody>
        {matrix.map((row, t) => (
          <tr key={t} data-testid="confusion-row">
            <th scope="row" title={classNames[t]}>
              <span className="class-index">{t}</span>
              {classNames[t] !== String(t) && ` ${classNames[t]}`}
            </th>
            {row.map((count, p) => {
              const share = totals[t] ? count / totals[t] : 0;
              return (
                <td
                  key={p}
                  style={{ background: shade(share, t === p), color: share > 0.55 ? '#fff' : undefined }}
                  title={`${count} of ${totals[t]} ${classNames[t]} predicted ${classNames[p]} (${percent(share, 1)} of the row)`}
                  data-testid={`confusion-${t}-${p}`}
                >
                  {count > 0 ? count : ''}
                </td>
              );
            })}
            <td className="confusion-total">{totals[t]}</td>
            <td className="confusion-total">{percent(totals[t] ? row[t] / totals[t] : null, 1)}</td>
          </tr>
        ))}
        <tr className="confusion-columns">
          <th scope="row">predicted</th>
          {columnTotals.map((n, c) => (
            <td key={c} className="confusion-total">
              {n}
            </td>
          ))}
          <td className="confusion-total">{labels.length}</td>
          <td />
        </tr>
      </tbody>
    </table>
  );
}

const PLOT = { width: 440, height: 300, left: 52, right: 14, top: 14, bottom: 62 };

/** Accuracy against mean confidence per equal-width bin, the diagonal of perfect calibration, and each bin's count. */
function ReliabilityDiagram({ bins, ece, color }: { bins: ReliabilityBin[]; ece: number; color: string }) {
  const w = PLOT.width - PLOT.left - PLOT.right;
  const h = PLOT.height - PLOT.top - PLOT.bottom;
  const x = (v: number) => PLOT.left + v * w;
  const y = (v: number) => PLOT.top + (1 - v) * h;
  const total = bins.reduce((sum, b) => sum + b.count, 0);
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  return (
    <svg
      className="reliability"
      viewBox={`0 0 ${PLOT.width} ${PLOT.height}`}
      role="img"
      aria-label={`Reliability diagram, expected calibration error ${ece.toFixed(3)}`}
      data-testid="reliability-diagram"
    >
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(0)} x2={x(1)} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
          <text x={PLOT.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle" className="axis-tick">
            {Math.round(t * 100)}%
          </text>
          <text x={x(t)} y={PLOT.top + h + 14} textAnchor="middle" className="axis-tick">
            {Math.round(t * 100)}%
          </text>
        </g>
      ))}
      {bins.map((bin, i) => {
        const accuracy = bin.count > 0 ? bin.correct / bin.count : null;
        const left = x(bin.lower) + 2;
        const width = x(bin.upper) - x(bin.lower) - 4;
        return (
          <g key={i} data-testid="reliability-bin" data-count={bin.count}>
            <title>
              {`confidence ${Math.round(bin.lower * 100)}-${Math.round(bin.upper * 100)}%: ${bin.count} examples` +
                (accuracy === null ? '' : `, ${percent(accuracy, 1)} right, mean confidence ${percent(bin.meanConfidence, 1)}`)}
            </title>
            {accuracy !== null && (
              <>
                <rect x={left} width={width} y={y(accuracy)} height={y(0) - y(accuracy)} fill={color} opacity={0.75} />
                {/* Where a calibrated bin would reach: its mean confidence. */}
                <line x1={left} x2={left + width} y1={y(bin.meanConfidence ?? 0)} y2={y(bin.meanConfidence ?? 0)} stroke="#0f172a" strokeWidth={2} />
              </>
            )}
            <text x={left + width / 2} y={PLOT.top + h + 32} textAnchor="middle" className="bin-count">
              {bin.count}
            </text>
          </g>
        );
      })}
      <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="#64748b" strokeDasharray="5 4" />
      <line x1={x(0)} x2={x(1)} y1={y(0)} y2={y(0)} stroke="#94a3b8" />
      <text x={PLOT.left - 6} y={PLOT.top + h + 32} textAnchor="end" className="bin-count">
        n
      </text>
      <text x={PLOT.left + w / 2} y={PLOT.height - 10} textAnchor="middle" className="axis-label">
        confidence (top-class probability), 10 equal bins; n of {total}
      </text>
      <text transform={`translate(12 ${PLOT.top + h / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
        accuracy in the bin
      </text>
    </svg>
  );
}

/** A stage's calibration: its reliability diagram and ECE, or why there is none. */
function Calibration({ result, color }: { result: StageResult; color: string }) {
  return (
    <section className="calibration" aria-label="Calibration">
      <h3>
        Reliability diagram · ECE <span data-testid="ece-value">{result.ece.toFixed(3)}</span>
      </h3>
      {result.reliability ? (
        <ReliabilityDiagram bins={result.reliability} ece={result.ece} color={color} />
      ) : (
        <p className="muted">This run's results have no per-bin counts (they were recorded before this version).</p>
      )}
      <p className="panel-help">
        Bars: the share right among the test examples whose top-class probability falls in each bin; black marks: their mean confidence. A calibrated model's
        bars reach the dashed diagonal. ECE is the gap between the two, weighted by each bin's count (METHODS.md section 5).
      </p>
    </section>
  );
}

/** Per-class results and calibration of any model of the run on screen (final checkpoint, test set). */
export function ClassesPanel({ onClose }: { onClose: () => void }) {
  const run = useApp((s) => s.run);
  const trained = run.stages.filter((s) => s.result);
  const [chosen, setChosen] = useState<string | null>(null);
  const roles = rolesOf(run);
  const name = chosen && trained.some((s) => s.name === chosen) ? chosen : (trained.find((s) => s.name === roles?.student) ?? trained.at(-1))?.name;
  const stage = trained.find((s) => s.name === name);
  const start = run.start;
  return (
    <Dialog
      title="Per class and calibration"
      onClose={onClose}
      testId="classes-panel"
      className="classes-sheet"
      overlayClassName="tall-overlay"
      actions={
        trained.length > 0 && (
          <label className="inline">
            <span>model</span>
            <select value={name} onChange={(e) => setChosen(e.target.value)} data-testid="classes-model">
              {trained.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        )
      }
    >
      {!stage?.result || !start ? (
        <p className="muted">Appears when a model has finished training.</p>
      ) : (
        <>
          <p className="panel-help">
            {stage.label} ({stage.model}), final checkpoint, on the {start.test.labels.length} test examples of {start.dataset}: test accuracy{' '}
            {percent(stage.result.accuracy, 1)}.
          </p>
          <div className="classes-body">
            <section aria-label="Confusion matrix">
              <h3>Confusion matrix</h3>
              <ConfusionMatrix classNames={start.classNames} labels={start.test.labels} predictions={stage.result.testPredictions} />
              <p className="panel-help">Each row is a true class; shading is the share of that row (green: right, red: taken for another class).</p>
            </section>
            <Calibration result={stage.result} color={stageColor(stage.name)} />
          </div>
        </>
      )}
    </Dialog>
  );
}
