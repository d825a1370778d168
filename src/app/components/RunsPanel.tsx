import { useMemo } from 'react';
import { LiveLineChart, type LiveSeries } from '../charts/LiveLineChart';
import { bitsText, percent, ratio } from '../derived';
import { overlayCurves, overlayMetric, type KeptRun } from '../runs/saved-run';
import { useApp } from '../store/context';

const OVERLAY_COLORS = ['#059669', '#2563eb', '#d97706', '#7c3aed', '#dc2626', '#0891b2', '#4d7c0f', '#be185d'];
const ACCURACY_DOMAIN: [number, number] = [0, 1];
const formatPercent = (v: number) => `${Math.round(v * 100)}%`;
const formatBits = (v: number) => v.toFixed(2);

/**
 * Test accuracy of each selected run's stages, smoothed, on one step axis: drawn on a canvas from thinned curves,
 * as the live curves are (a Recharts chart of two 40,000-point runs held the page for seconds).
 */
function Overlay({ runs, smoothing }: { runs: KeptRun[]; smoothing: number }) {
  const bits = overlayMetric(runs) === 'bitsPerCharacter';
  const series = useMemo<LiveSeries[]>(
    () =>
      overlayCurves(runs, smoothing).map((c) => ({
        key: c.key,
        label: c.label,
        color: OVERLAY_COLORS[c.run % OVERLAY_COLORS.length],
        dashed: c.dashed,
        points: c.points,
      })),
    [runs, smoothing],
  );
  return (
    <div className="overlay" data-testid="runs-overlay">
      <div className="overlay-chart">
        <LiveLineChart series={series} yDomain={bits ? undefined : ACCURACY_DOMAIN} formatY={bits ? formatBits : formatPercent} testId="runs-overlay-chart" />
        {bits && <p className="muted">Held-out bits per character (lower is better).</p>}
      </div>
      <ul className="live-legend overlay-legend">
        {series.map((s) => (
          <li key={s.key} style={{ color: s.color }} data-testid="overlay-curve">
            {s.dashed ? '╌' : '━'} {s.label}
          </li>
        ))}
      </ul>
    </div>
  );
}

function when(savedAt: number): string {
  const date = new Date(savedAt);
  return Number.isNaN(date.getTime()) ? 'unknown' : date.toLocaleString();
}

/** Entries of the archive that were skipped or read in part, each named; the readable runs are listed as usual. */
function RunNotices() {
  const notices = useApp((s) => s.runNotices);
  const unreadable = useApp((s) => s.unreadableRuns.length);
  const removeUnreadable = useApp((s) => s.removeUnreadableRuns);
  if (notices.length === 0) return null;
  return (
    <div className="banner notice" role="status" data-testid="runs-notices">
      <ul>
        {notices.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      {unreadable > 0 && (
        <button type="button" onClick={() => void removeUnreadable()} data-testid="remove-unreadable-runs">
          Remove {unreadable === 1 ? 'the unreadable entry' : `the ${unreadable} unreadable entries`}
        </button>
      )}
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
        <RunNotices />
        <p className="panel-help">
          Every finished run is kept here (up to 50), with its config, curves and per-example results. Tick two or more to overlay their test accuracy (language
          models: bits per character): solid lines are students, dashed lines the other models.
        </p>
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
                  <td>
                    {run.stages
                      .map((s) =>
                        s.bitsPerCharacter !== null ? `${s.name} ${bitsText(s.bitsPerCharacter, 2)} bits/char` : `${s.name} ${percent(s.accuracy, 1)}`,
                      )
                      .join(' · ')}
                  </td>
                  <td>{ratio(run.pgr)}</td>
                  <td>{run.backend}</td>
                  <td>{when(run.savedAt)}</td>
                  <td className="run-actions">
                    <button type="button" onClick={() => (loadConfig(run.config, run.loadNotices), onClose())}>
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
              <input
                type="range"
                min={0}
                max={0.95}
                step={0.05}
                value={smoothing}
                onChange={(e) => setSmoothing(Number(e.target.value))}
                data-testid="smoothing"
              />
              <span>{smoothing.toFixed(2)}</span>
            </label>
            <Overlay runs={chosen} smoothing={smoothing} />
          </>
        )}
      </div>
    </div>
  );
}
