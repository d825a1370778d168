/**
 * Seeds & sweeps: the form's experiment over a list of seeds, along none, one or two axes (any number, choice or
 * variant of its config), run in a pool of workers. Every cell is checked before anything starts and the refused
 * ones listed with the reason; the results show as mean ± sd over seeds (seeds alone) or as the sweep's figures;
 * every cell opens as a run; the whole exports as JSON and CSV in the command line's formats. A sweep with axes
 * is kept in the browser after every cell, and a reload offers to resume it.
 */
import { Component, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { sweepableFields, type SweepableField } from '../../core/config/introspect';
import { resultToJson } from '../../core/experiments/serialize';
import { seedSummaryCsv, sweepCellsCsv, sweepSummaryCsv } from '../../core/sweep/csv';
import { sweepFileJson, type SweepCellRecord } from '../../core/sweep/file';
import type { SweepPlan } from '../../core/sweep/plan';
import { download } from '../download';
import { rowsFor } from '../store/slices/custom-data';
import { useApp } from '../store/context';
import { pageStudy } from '../study/instance';
import { isSeedsOnly, planStudy } from '../study/plan';
import { SeedResults } from './SeedResults';
import { SweepFigures } from './SweepFigures';
import './study.css';

interface AxisDraft {
  path: string;
  values: string;
}

/** What to offer for a chosen field: its choices, its types, or its own value. */
function defaultValues(field: SweepableField | undefined): string {
  if (!field) return '';
  if (field.kind === 'enum' || field.kind === 'variant') return field.options!.join(',');
  return field.current;
}

function valuesHint(field: SweepableField | undefined): string {
  if (!field) return '';
  if (field.kind === 'enum') return `one or more of ${field.options!.join(', ')}, comma-separated`;
  if (field.kind === 'variant') return `types ${field.options!.join(', ')}; add :N for the first number (mlp:16) or :field=value`;
  const [min, max] = field.range!;
  return `${field.kind === 'integer' ? 'whole numbers' : 'numbers'} from ${min} to ${max}: a list (1,2,4), lin:FROM:TO:COUNT or log:FROM:TO:COUNT`;
}

function AxisPicker({ index, axis, fields, onChange }: { index: number; axis: AxisDraft; fields: SweepableField[]; onChange: (axis: AxisDraft) => void }) {
  const field = fields.find((f) => f.path === axis.path);
  return (
    <fieldset className="role study-axis" data-testid={`study-axis-${index}`}>
      <legend>{index === 0 ? 'First axis (x)' : 'Second axis (one line each)'}</legend>
      <label>
        <span>setting</span>
        <select
          value={axis.path}
          onChange={(e) => onChange({ path: e.target.value, values: defaultValues(fields.find((f) => f.path === e.target.value)) })}
          data-testid={`study-axis-path-${index}`}
        >
          <option value="">none</option>
          {fields.map((f) => (
            <option key={f.path} value={f.path} title={f.description}>
              {f.path}
            </option>
          ))}
        </select>
      </label>
      {axis.path && (
        <label>
          <span>values</span>
          <input
            type="text"
            value={axis.values}
            onChange={(e) => onChange({ ...axis, values: e.target.value })}
            data-testid={`study-axis-values-${index}`}
            aria-describedby={`study-axis-hint-${index}`}
          />
          <small id={`study-axis-hint-${index}`} className="muted">
            {valuesHint(field)}
          </small>
        </label>
      )}
    </fieldset>
  );
}

/** A figure that cannot be drawn says so in the panel, instead of taking the page down with it. */
class FiguresBoundary extends Component<{ children: ReactNode }, { error: string | null }> {
  state = { error: null as string | null };
  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  render() {
    if (this.state.error)
      return (
        <p className="problems" role="alert" data-testid="study-figures-error">
          The figures could not be drawn ({this.state.error}); the exports still hold every cell.
        </p>
      );
    return this.props.children;
  }
}

/** Refused cells, one line per point (its seeds share the reason). */
function refusedLines(plan: Pick<SweepPlan, 'cells'>): string[] {
  const byPoint = new Map<number, { values: string[]; seeds: number[]; reason: string }>();
  for (const cell of plan.cells) {
    if (cell.refused === null) continue;
    const entry = byPoint.get(cell.point) ?? { values: cell.values, seeds: [], reason: cell.refused };
    entry.seeds.push(cell.seed);
    byPoint.set(cell.point, entry);
  }
  return [...byPoint.values()].map(
    (e) => `${e.values.length ? e.values.join(' × ') : 'the experiment'} (seed${e.seeds.length === 1 ? '' : 's'} ${e.seeds.join(', ')}): ${e.reason}`,
  );
}

export function StudyPanel({ onClose }: { onClose: () => void }) {
  const { study, pool, options } = pageStudy();
  const snapshot = useSyncExternalStore(study.subscribe, study.getSnapshot);
  const draft = useApp((s) => s.draft);
  const invalid = useApp((s) => s.problems.length > 0);
  const backend = useApp((s) => s.run.backendChoice);
  const customData = useApp((s) => s.customData);
  const loadConfig = useApp((s) => s.loadConfig);
  const beginRun = useApp((s) => s.beginRun);
  const [seeds, setSeeds] = useState('1-3');
  const [axes, setAxes] = useState<AxisDraft[]>([
    { path: '', values: '' },
    { path: '', values: '' },
  ]);
  const fields = useMemo(() => (invalid ? [] : sweepableFields(draft)), [draft, invalid]);
  const planned = useMemo(() => {
    if (invalid) return { plan: null, problem: 'Fix the problems listed under the form first.' };
    try {
      return { plan: planStudy(draft, seeds, axes), problem: null };
    } catch (error) {
      return { plan: null, problem: error instanceof Error ? error.message : String(error) };
    }
  }, [draft, invalid, seeds, axes]);
  useEffect(() => {
    if (study.getSnapshot().state === 'idle') void study.loadStored();
  }, [study]);
  // A kept sweep read back after a reload: its seeds and axes fill the setup.
  const kept = snapshot.resumable?.plan.definition;
  useEffect(() => {
    if (!kept) return;
    setSeeds(kept.seeds.join(','));
    setAxes([0, 1].map((i) => kept.axes[i] ?? { path: '', values: '' }));
  }, [kept]);

  const running = snapshot.state === 'running';
  const file = useMemo(() => (snapshot.plan ? study.file() : null), [snapshot, study]);
  const runnable = planned.plan?.cells.filter((c) => c.refused === null).length ?? 0;
  // The last study's refused cells, and (when the setup now differs from it) those the setup would have refused.
  const refused = snapshot.plan ? refusedLines(snapshot.plan) : [];
  const sameSetup = snapshot.plan && planned.plan && JSON.stringify(snapshot.plan.definition) === JSON.stringify(planned.plan.definition);
  const wouldRefuse = !running && planned.plan && !sameSetup ? refusedLines(planned.plan) : [];
  const records = snapshot.records.filter((r): r is SweepCellRecord => r !== null);
  const done = records.filter((r) => r.status === 'done').length;
  const total = snapshot.plan?.cells.filter((c) => c.refused === null).length ?? 0;
  const seedsOnly = snapshot.plan ? isSeedsOnly(snapshot.plan) : false;
  const summary = file?.summary?.[0]?.summary ?? null;

  const start = () => {
    if (!planned.plan) return;
    options.backend = backend;
    options.rowsFor = (config) => rowsFor({ customData }, config);
    void study.start(planned.plan);
  };
  const resume = () => {
    options.backend = backend;
    options.rowsFor = (config) => rowsFor({ customData }, config);
    void study.resume();
  };
  const open = (record: SweepCellRecord) => {
    if (!record.config || running) return;
    loadConfig(record.config, []);
    beginRun(record.config);
    onClose();
  };
  const exportJson = () => {
    if (!file || !snapshot.plan) return;
    if (seedsOnly && summary) {
      const results = snapshot.results.length ? snapshot.results : records.flatMap((r) => (r.result ? [r.result] : []));
      download(
        `seeds-${file.definition.base.kind}.json`,
        resultToJson({ format: 'distillery-seeds', formatVersion: 1, seeds: file.definition.seeds, results, summary }),
        'application/json',
      );
    } else download(`sweep-${file.definition.base.kind}.json`, sweepFileJson(file), 'application/json');
  };
  const exportCsv = () => {
    if (!file) return;
    if (seedsOnly && summary) download(`seeds-${file.definition.base.kind}-summary.csv`, seedSummaryCsv(summary), 'text/csv');
    else {
      download(`sweep-${file.definition.base.kind}-summary.csv`, sweepSummaryCsv(file), 'text/csv');
      download(`sweep-${file.definition.base.kind}-cells.csv`, sweepCellsCsv(file), 'text/csv');
    }
  };

  return (
    <div className="gallery-overlay" role="dialog" aria-label="Seeds and sweeps" data-testid="study-panel" onClick={onClose}>
      <div className="gallery-sheet runs-sheet study-sheet" onClick={(e) => e.stopPropagation()}>
        <header className="panel-head">
          <h2>Seeds &amp; sweeps</h2>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </header>
        <p className="panel-help">
          Runs the experiment in the form once per seed, and along one or two settings if you choose them, in {pool.size} background worker
          {pool.size === 1 ? '' : 's'} (one per core, leaving one for the page). Each cell runs exactly as the same config run alone: open any cell as a run to
          see it in full.
        </p>
        <div className="study-setup">
          <label className="study-seeds">
            <span>seeds</span>
            <input type="text" value={seeds} onChange={(e) => setSeeds(e.target.value)} data-testid="study-seeds" placeholder="1-5 or 1,3,7" />
          </label>
          {axes.map((axis, i) => (
            <AxisPicker key={i} index={i} axis={axis} fields={fields} onChange={(next) => setAxes(axes.map((a, j) => (j === i ? next : a)))} />
          ))}
          {running ? (
            <button type="button" onClick={() => study.cancel()} data-testid="study-cancel">
              Cancel
            </button>
          ) : (
            <button type="button" className="primary" disabled={!planned.plan || runnable === 0} onClick={start} data-testid="study-start">
              Run {runnable} cell{runnable === 1 ? '' : 's'}
            </button>
          )}
          {!running && snapshot.resumable && (
            <button type="button" onClick={resume} data-testid="study-resume">
              Resume the kept sweep ({snapshot.resumable.done.length} of {snapshot.resumable.plan.cells.filter((c) => c.refused === null).length} cells done)
            </button>
          )}
        </div>
        {planned.problem && !running && (
          <p className="problems" role="alert" data-testid="study-problem">
            {planned.problem}
          </p>
        )}
        {snapshot.notice && (
          <p className="problems" role="status" data-testid="study-notice">
            {snapshot.notice}
          </p>
        )}
        {wouldRefuse.length > 0 && (
          <div className="problems" role="status" data-testid="study-would-refuse">
            <strong>These cells would be refused (the others run):</strong>
            <ul>
              {wouldRefuse.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
        )}
        {refused.length > 0 && (
          <div className="problems" role="status" data-testid="study-refused">
            <strong>Refused, not run (the others ran):</strong>
            <ul>
              {refused.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
        )}
        {snapshot.plan && (
          <p className="study-status" role="status" data-testid="study-status">
            {done} of {total} cells done
            {running ? `, ${snapshot.pending} to go on ${pool.workers} worker${pool.workers === 1 ? '' : 's'}` : ''}
            {snapshot.state === 'cancelled' && !snapshot.resumable ? ' (stopped)' : ''}
            {snapshot.seconds !== null ? ` in ${snapshot.seconds.toFixed(1)} s` : ''}
            {file ? ` · backend ${file.backend}` : ''}
          </p>
        )}
        {file && done > 0 && (
          <div className="study-exports">
            <button type="button" onClick={exportJson} data-testid="study-export-json">
              Export JSON
            </button>
            <button type="button" onClick={exportCsv} data-testid="study-export-csv">
              Export CSV
            </button>
          </div>
        )}
        <FiguresBoundary key={snapshot.plan ? JSON.stringify(snapshot.plan.definition.axes) : 'none'}>
          {file && done > 0 && seedsOnly && summary && <SeedResults summary={summary} records={records} />}
          {file && done > 0 && !seedsOnly && <SweepFigures file={file} onOpen={open} />}
        </FiguresBoundary>
        {file && records.length > 0 && (
          <details className="study-cells" open={seedsOnly || records.length <= 12}>
            <summary>Cells ({snapshot.plan?.cells.length})</summary>
            <table data-testid="study-cells">
              <thead>
                <tr>
                  {file.axes.map((a) => (
                    <th key={a.path}>{a.path}</th>
                  ))}
                  <th>seed</th>
                  <th>status</th>
                  <th>figures</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {file.cells.map((cell) => (
                  <tr key={cell.index} data-testid="study-cell">
                    {cell.values.map((v, i) => (
                      <td key={i}>{v}</td>
                    ))}
                    <td>{cell.seed}</td>
                    <td>{cell.status === 'failed' && cell.reason === 'not run' ? (running ? 'waiting' : 'not run') : cell.status}</td>
                    <td data-testid="study-cell-figures">
                      {cell.result
                        ? Object.entries(cell.result.stages)
                            .map(([name, stage]) => `${name} ${typeof stage.accuracy === 'number' ? `${(stage.accuracy * 100).toFixed(2)}%` : 'n/a'}`)
                            .join(', ')
                        : (cell.reason ?? '')}
                    </td>
                    <td>
                      <button type="button" disabled={cell.status !== 'done' || running} onClick={() => open(cell)} data-testid="study-open-cell">
                        Open as a run
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
      </div>
    </div>
  );
}
