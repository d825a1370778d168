import { Dialog } from './Dialog';
import { bitsText, percent, ratio } from '../derived';
import { useApp } from '../store/context';
import { curveStyle } from '../runs/compare';
import { ConfigDiff, Overlay } from './RunsCompare';

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
    <Dialog title="Runs kept in this browser" onClose={onClose} testId="runs-panel" className="runs-sheet" overlayClassName="tall-overlay">
      <RunNotices />
      <p className="panel-help">
        Every finished run is kept here (up to 50), with its config, curves and per-example results, named by what differs from its preset. Tick runs to overlay
        their test accuracy (language models: held-out bits per character; a colour per run, a line style per model) and, for two or more, to see what differs
        between their configs.
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
              <tr key={run.id} data-testid="saved-run" data-run-id={run.id}>
                <td>
                  <input type="checkbox" checked={selected.includes(run.id)} onChange={() => toggle(run.id)} aria-label={`Overlay ${run.name}`} />
                </td>
                <td
                  data-testid="run-name"
                  title={run.name}
                  className={selected.includes(run.id) ? 'run-chosen' : undefined}
                  style={selected.includes(run.id) ? { borderLeftColor: curveStyle(chosen.indexOf(run), 0).color } : undefined}
                >
                  {run.name}
                </td>
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
                  <button type="button" onClick={() => void remove(run.id)} aria-label={`Delete ${run.name}`}>
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
          {chosen.length >= 2 && <ConfigDiff runs={chosen} />}
        </>
      )}
    </Dialog>
  );
}
