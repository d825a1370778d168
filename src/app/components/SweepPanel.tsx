import { Dialog } from './Dialog';
import { useMemo, useState } from 'react';
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { planSizeSweep, STUDENT_SIZES, SUPERVISOR_SIZES, sizeLabel } from '../sweep-sizes';
import { percent, ratio } from '../derived';
import { useApp } from '../store/context';

/** Red below 0, white at 0, green at 1 and above. */
function pgrColor(pgr: number | null): string {
  if (pgr === null) return '#f1f5f9';
  const t = Math.max(-1, Math.min(1, pgr));
  return t >= 0
    ? `rgb(${Math.round(255 - 200 * t)}, ${Math.round(255 - 80 * t)}, ${Math.round(255 - 170 * t)})`
    : `rgb(255, ${Math.round(255 + 150 * t)}, ${Math.round(255 + 150 * t)})`;
}

function SizePicker({ label, sizes, chosen, setChosen }: { label: string; sizes: readonly number[]; chosen: number[]; setChosen: (s: number[]) => void }) {
  return (
    <fieldset className="role sizes">
      <legend>{label}</legend>
      {sizes.map((size) => (
        <label key={size} className="inline">
          <input
            type="checkbox"
            checked={chosen.includes(size)}
            onChange={() => setChosen(chosen.includes(size) ? chosen.filter((s) => s !== size) : [...chosen, size].sort((a, b) => a - b))}
          />
          {sizeLabel(size)}
        </label>
      ))}
    </fieldset>
  );
}

/** A grid over supervisor size x student size: PGR as a heat map, student accuracy against ceiling accuracy. */
export function SweepPanel({ onClose }: { onClose: () => void }) {
  const sweep = useApp((s) => s.sweep);
  const draft = useApp((s) => s.draft);
  const invalid = useApp((s) => s.problems.length > 0);
  const kind = draft.kind;
  const startSweep = useApp((s) => s.startSweep);
  const cancelSweep = useApp((s) => s.cancelSweep);
  const openCell = useApp((s) => s.openSweepCell);
  const [supervisors, setSupervisors] = useState<number[]>([0, 16]);
  const [students, setStudents] = useState<number[]>([0, 64]);
  const cells = sweep?.cells ?? [];
  // Each cell is checked as the sizes are ticked: the visitor sees which would be refused, and why, before starting.
  const plan = useMemo(
    () => (draft.kind === 'weak-to-strong' && !invalid ? planSizeSweep(draft, supervisors, students) : []),
    [draft, invalid, supervisors, students],
  );
  const runnable = plan.filter((c) => c.refused === null).length;
  const refusedCells = sweep ? cells.filter((c) => c.status === 'refused') : plan.filter((c) => c.refused !== null);
  const rows = [...new Set(cells.map((c) => c.supervisorSize))];
  const columns = [...new Set(cells.map((c) => c.studentSize))];
  const points = cells
    .filter((c) => c.accuracies)
    .map((c) => ({ x: c.accuracies!.ceiling, y: c.accuracies!.student, label: `${sizeLabel(c.supervisorSize)} -> ${sizeLabel(c.studentSize)}` }));
  return (
    <Dialog title="Sweep: supervisor size x student size" onClose={onClose} testId="sweep-panel" className="runs-sheet">
      <p className="panel-help">
        Runs the experiment in the form once per pair of sizes, one after another (watch each run on the main page). A size is a hidden-layer width; "linear"
        has none (for a pretrained student, a linear probe). Click a finished cell to open it as a run.
      </p>
      {kind !== 'weak-to-strong' ? (
        <p className="muted">Sweeps are for weak-to-strong experiments: load one first.</p>
      ) : (
        <div className="sweep-setup">
          <SizePicker label="Supervisor sizes" sizes={SUPERVISOR_SIZES} chosen={supervisors} setChosen={setSupervisors} />
          <SizePicker label="Student sizes" sizes={STUDENT_SIZES} chosen={students} setChosen={setStudents} />
          {sweep?.running ? (
            <button type="button" onClick={cancelSweep} data-testid="cancel-sweep">
              Cancel sweep
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              disabled={runnable === 0}
              onClick={() => startSweep(supervisors, students)}
              data-testid="start-sweep"
              title={invalid ? 'Fix the problems listed under the form first' : undefined}
            >
              Run {runnable} experiment{runnable === 1 ? '' : 's'}
            </button>
          )}
        </div>
      )}
      {refusedCells.length > 0 && (
        <div className="problems" role="status" data-testid="sweep-refused">
          <strong>{sweep ? 'Refused, not run' : 'These cells would be refused'} (the others run):</strong>
          <ul>
            {refusedCells.map((c) => (
              <li key={`${c.supervisorSize}-${c.studentSize}`}>
                supervisor {sizeLabel(c.supervisorSize)}, student {sizeLabel(c.studentSize)}: {'reason' in c ? c.reason : c.refused}
              </li>
            ))}
          </ul>
        </div>
      )}
      {cells.length > 0 && (
        <div className="sweep-results">
          <div className="heatmap" style={{ gridTemplateColumns: `110px repeat(${columns.length}, 1fr)` }} data-testid="sweep-heatmap">
            <div className="heat-corner">supervisor ↓ · student →</div>
            {columns.map((c) => (
              <div key={c} className="heat-head">
                {sizeLabel(c)}
              </div>
            ))}
            {rows.map((r) => (
              <div key={r} className="heat-row">
                <div className="heat-head">{sizeLabel(r)}</div>
                {columns.map((c) => {
                  const index = cells.findIndex((cell) => cell.supervisorSize === r && cell.studentSize === c);
                  const cell = cells[index];
                  return (
                    <button
                      key={c}
                      type="button"
                      className="heat-cell"
                      style={{ background: pgrColor(cell.pgr) }}
                      disabled={cell.status !== 'done' || sweep?.running}
                      onClick={() => (openCell(index), onClose())}
                      data-testid="sweep-cell"
                      title={
                        cell.accuracies
                          ? `weak ${percent(cell.accuracies.weak)}, ceiling ${percent(cell.accuracies.ceiling)}, student ${percent(cell.accuracies.student)}`
                          : (cell.reason ?? cell.status)
                      }
                    >
                      <strong>{cell.status === 'done' ? ratio(cell.pgr) : cell.status === 'running' ? 'running…' : cell.status}</strong>
                      {cell.status === 'refused' && <span>not run</span>}
                      {cell.accuracies && <span>student {percent(cell.accuracies.student, 1)}</span>}
                    </button>
                  );
                })}
              </div>
            ))}
          </div>
          <div className="sweep-scatter" data-testid="sweep-scatter">
            <div className="chart-title">Student accuracy against ceiling accuracy</div>
            <ResponsiveContainer width="100%" height="100%">
              <ScatterChart margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                <XAxis
                  type="number"
                  dataKey="x"
                  name="ceiling"
                  domain={[0, 1]}
                  tickFormatter={(v: number) => `${Math.round(v * 100)}%`}
                  tick={{ fontSize: 11 }}
                  label={{ value: 'ceiling', position: 'insideBottom', offset: -8, fontSize: 11 }}
                />
                <YAxis
                  type="number"
                  dataKey="y"
                  name="student"
                  domain={[0, 1]}
                  tickFormatter={(v: number) => `${Math.round(v * 100)}%`}
                  tick={{ fontSize: 11 }}
                  width={40}
                />
                <ReferenceLine
                  segment={[
                    { x: 0, y: 0 },
                    { x: 1, y: 1 },
                  ]}
                  stroke="#94a3b8"
                  strokeDasharray="4 3"
                />
                <Tooltip isAnimationActive={false} formatter={(v) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v))} />
                <Scatter data={points} fill="#059669" isAnimationActive={false} />
              </ScatterChart>
            </ResponsiveContainer>
          </div>
        </div>
      )}
    </Dialog>
  );
}
