import { useMemo, useState } from 'react';
import { LiveLineChart, type LiveSeries } from '../charts/LiveLineChart';
import { curveStyle, diffConfigs, formatValue } from '../runs/compare';
import { overlayCurves, overlayMetric, overlayModels, type KeptRun } from '../runs/saved-run';

const ACCURACY_DOMAIN: [number, number] = [0, 1];
const formatBits = (v: number) => v.toFixed(2);
const formatPercent = (v: number) => `${Math.round(v * 100)}%`;

/** A short sample of a curve's line, as the chart draws it. */
function LineSample({ color, dash }: { color: string; dash: number[] }) {
  return (
    <svg width="34" height="10" aria-hidden className="line-sample">
      <line x1="1" y1="5" x2="33" y2="5" stroke={color} strokeWidth="2.5" strokeDasharray={dash.length ? dash.join(' ') : undefined} />
    </svg>
  );
}

/** Which line is which: a row per run (its hue), a column per model (its lightness and dash). */
function Legend({ runs }: { runs: KeptRun[] }) {
  const models = overlayModels(runs);
  return (
    <table className="runs-legend" data-testid="overlay-legend">
      <thead>
        <tr>
          <th>run</th>
          {models.map((m) => (
            <th key={m.name}>{m.label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {runs.map((run, r) => (
          <tr key={run.id}>
            <th scope="row" style={{ color: curveStyle(r, 0).color }}>
              {run.name}
              {run.seeds ? <span className="muted"> (band: ± sd over seeds)</span> : null}
            </th>
            {models.map((m, i) => {
              const style = curveStyle(r, i);
              const present = run.stages.some((s) => s.name === m.name);
              return (
                <td key={m.name} data-testid="overlay-curve" data-color={present ? style.color : undefined} title={`${run.name}: ${m.label}`}>
                  {present ? <LineSample color={style.color} dash={style.dash} /> : <span className="muted">–</span>}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Test accuracy of each selected run's stages on one step axis: drawn on a canvas from thinned curves, as the live
 * curves are (a Recharts chart of two 40,000-point runs held the page for seconds).
 */
export function Overlay({ runs, smoothing }: { runs: KeptRun[]; smoothing: number }) {
  const bits = overlayMetric(runs) === 'bitsPerCharacter';
  const series = useMemo<LiveSeries[]>(
    () =>
      overlayCurves(runs, smoothing).map((c) => {
        const style = curveStyle(c.run, c.model);
        return { key: c.key, label: c.label, color: style.color, dash: style.dash, points: c.points, ...(c.band ? { band: c.band } : {}) };
      }),
    [runs, smoothing],
  );
  return (
    <div className="overlay" data-testid="runs-overlay">
      <div className="overlay-chart">
        <LiveLineChart series={series} yDomain={bits ? undefined : ACCURACY_DOMAIN} formatY={bits ? formatBits : formatPercent} testId="runs-overlay-chart" />
        {bits && <p className="muted">Held-out bits per character (lower is better).</p>}
      </div>
      <Legend runs={runs} />
    </div>
  );
}

/** What differs between two of the chosen runs: every config field (path, A, B), and the backend they ran on. */
export function ConfigDiff({ runs }: { runs: KeptRun[] }) {
  const [picked, setPicked] = useState<[string | null, string | null]>([null, null]);
  const has = (id: string | null) => runs.some((r) => r.id === id);
  const aId = has(picked[0]) ? (picked[0] as string) : runs[0].id;
  const bId = has(picked[1]) && picked[1] !== aId ? (picked[1] as string) : (runs.find((r) => r.id !== aId) ?? runs[0]).id;
  const a = runs.find((r) => r.id === aId) as KeptRun;
  const b = runs.find((r) => r.id === bId) as KeptRun;
  const changes = useMemo(() => diffConfigs(a.config, b.config), [a, b]);
  const picker = (side: 0 | 1, value: string) => (
    <select
      value={value}
      onChange={(e) => setPicked(side === 0 ? [e.target.value, bId] : [aId, e.target.value])}
      data-testid={`diff-${side === 0 ? 'a' : 'b'}`}
      aria-label={`Run ${side === 0 ? 'A' : 'B'}`}
    >
      {runs.map((run) => (
        <option key={run.id} value={run.id}>
          {run.name}
        </option>
      ))}
    </select>
  );
  return (
    <section className="config-diff" aria-label="Config diff" data-testid="config-diff">
      <h3>
        What differs: A {picker(0, aId)} B {picker(1, bId)}
      </h3>
      {changes.length === 0 && a.backend === b.backend ? (
        <p className="muted" data-testid="diff-same">
          The same config on the same backend: a rerun, which gives the same numbers.
        </p>
      ) : (
        <table className="diff-table" data-testid="diff-table">
          <thead>
            <tr>
              <th>setting</th>
              <th>A</th>
              <th>B</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.path} data-testid="diff-row">
                <td>
                  <code>{c.path}</code>
                </td>
                <td>{formatValue(c.a)}</td>
                <td>{formatValue(c.b)}</td>
              </tr>
            ))}
            {a.backend !== b.backend && (
              <tr data-testid="diff-row" title="Not a setting: the backend the run trained on (numbers agree closely across backends, not bit for bit)">
                <td>
                  <em>backend</em>
                </td>
                <td>{a.backend}</td>
                <td>{b.backend}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
