import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { percent, ratio } from '../derived';
import { smooth, type SavedRun } from '../runs/saved-run';
import { useApp } from '../store/context';

const OVERLAY_COLORS = ['#059669', '#2563eb', '#d97706', '#7c3aed', '#dc2626', '#0891b2', '#4d7c0f', '#be185d'];

/** Test accuracy of each selected run's stages, smoothed, on one step axis. */
function Overlay({ runs, smoothing }: { runs: SavedRun[]; smoothing: number }) {
  const { data, lines } = useMemo(() => {
    const rows = new Map<number, Record<string, number>>();
    const lines: { key: string; label: string; color: string; dashed: boolean }[] = [];
    runs.forEach((run, r) => {
      for (const stage of run.stages) {
        const key = `${run.id}:${stage.name}`;
        lines.push({ key, label: `${run.title}: ${stage.label}`, color: OVERLAY_COLORS[r % OVERLAY_COLORS.length], dashed: stage.name !== 'student' });
        const values = smooth(stage.history.map((p) => p.testAccuracy), smoothing);
        stage.history.forEach((p, i) => {
          const row = rows.get(p.step) ?? { step: p.step };
          row[key] = values[i];
          rows.set(p.step, row);
        });
      }
    });
    return { data: [...rows.values()].sort((a, b) => a.step - b.step), lines };
  }, [runs, smoothing]);
  return (
    <div className="overlay-chart" data-testid="runs-overlay">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 4, right: 12, bottom: 2, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} tick={{ fontSize: 11 }} />
          <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} tick={{ fontSize: 11 }} width={40} />
          <Tooltip isAnimationActive={false} formatter={(v) => (typeof v === 'number' ? `${(v * 100).toFixed(2)}%` : String(v))} labelFormatter={(s) => `step ${s}`} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {lines.map((l) => (
            <Line key={l.key} dataKey={l.key} name={l.label} stroke={l.color} strokeDasharray={l.dashed ? '4 3' : undefined} strokeWidth={l.dashed ? 1.5 : 2.5} dot={false} isAnimationActive={false} connectNulls />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Every finished run kept in this browser: compare, reload, delete. */
export function RunsPanel({ onClose }: { onClose: () => void }) {
  const runs = useApp((s) => s.savedRuns);
  const selected = useApp((s) => s.selectedRuns);
  const smoothing = useApp((s) => s.smoothing);
  const toggle = useApp((s) => s.toggleRunSelected);
  const remove = useApp((s) => s.deleteRun);
  const setSmoothing = useApp((s) => s.setSmoothing);
  const loadConfig = useApp((s) => s.loadConfig);
  const chosen = runs.filter((r) => selected.includes(r.id));
  return (
    <div className="gallery-overlay" role="dialog" aria-label="Runs" data-testid="runs-panel" onClick={onClose}>
      <div className="gallery-sheet runs-sheet" onClick={(e) => e.stopPropagation()}>
        <header className="panel-head">
          <h2>Runs kept in this browser</h2>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </header>
        <p className="panel-help">Every finished run is kept here (up to 50), with its config, curves and per-example results. Tick two or more to overlay their test accuracy: solid lines are students, dashed lines the other models.</p>
        {runs.length === 0 ? (
          <p className="muted">No finished runs yet.</p>
        ) : (
          <table className="runs-table" data-testid="runs-table">
            <thead>
              <tr>
                <th />
                <th>run</th>
                <th>accuracies</th>
                <th>PGR / gap</th>
                <th>backend</th>
                <th>when</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} data-testid="saved-run">
                  <td>
                    <input type="checkbox" checked={selected.includes(run.id)} onChange={() => toggle(run.id)} aria-label={`Overlay ${run.title}`} />
                  </td>
                  <td>{run.title}</td>
                  <td>{run.stages.map((s) => `${s.name} ${percent(s.accuracy, 1)}`).join(' · ')}</td>
                  <td>{ratio(run.pgr)}</td>
                  <td>{run.backend}</td>
                  <td>{new Date(run.savedAt).toLocaleString()}</td>
                  <td className="run-actions">
                    <button type="button" onClick={() => (loadConfig(run.config, []), onClose())}>
                      Load
                    </button>
                    <button type="button" onClick={() => void remove(run.id)} aria-label={`Delete ${run.title}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {chosen.length > 0 && (
          <>
            <label className="inline smoothing">
              <span>Smoothing</span>
              <input type="range" min={0} max={0.95} step={0.05} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} data-testid="smoothing" />
              <span>{smoothing.toFixed(2)}</span>
            </label>
            <Overlay runs={chosen} smoothing={smoothing} />
          </>
        )}
      </div>
    </div>
  );
}
