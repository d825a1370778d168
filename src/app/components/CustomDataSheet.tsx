import { Dialog } from './Dialog';
import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { CUSTOM_DATA_LIMITS, customOf } from '../../core/config/datasets';
import { guessLabelColumn, readCsvRows, tableToRows } from '../../core/data/csv';
import { sha256Hex } from '../../core/data/custom';
import { drawnCsv, forgetKeptFiles, keepFile, MAX_KEPT_FILES, prepareFile, type PreparedFile } from '../custom-data/data-store';
import { download } from '../download';
import type { DrawnPoint } from '../store/types';
import { applyRowsToForm, fitRowsToForm, summariseRows } from '../custom-data/apply';
import { useApp } from '../store/context';

const LIMITS = CUSTOM_DATA_LIMITS;
/** Class colours of drawn points; the decision-region panel fills regions in lighter tints of the same hues. */
export const DRAW_COLORS = ['#2563eb', '#d97706', '#16a34a', '#db2777', '#4f46e5'];
const CANVAS = 320;
/** Drawn coordinates span [-EXTENT, EXTENT] on both axes. */
const EXTENT = 1.5;

function useTheData() {
  const draft = useApp((s) => s.draft);
  const loadConfig = useApp((s) => s.loadConfig);
  const addCustomRows = useApp((s) => s.addCustomRows);
  return { draft, loadConfig, addCustomRows };
}

function CsvTab({ onDone }: { onDone: () => void }) {
  const app = useTheData();
  const [file, setFile] = useState<PreparedFile | null>(null);
  const [reading, setReading] = useState(false);
  const [label, setLabel] = useState('');
  const rows = useMemo(() => (file?.table && label ? tableToRows(file.table, label, file.sha256) : null), [file, label]);
  // Checked against the experiment in the form before "Use this data" is offered: refused data says why here.
  const fit = useMemo(() => (file && rows?.ok ? fitRowsToForm(app.draft, file.name, rows.value) : null), [file, rows, app.draft]);
  const problem = file?.problem ?? (rows && !rows.ok ? rows.error : fit && !fit.ok ? { message: fit.problem } : null);

  const choose = async (chosen: File | undefined) => {
    if (!chosen) return;
    setReading(true);
    const prepared = await prepareFile(chosen);
    setReading(false);
    setFile(prepared);
    setLabel(prepared.table ? guessLabelColumn(prepared.table, customOf(app.draft)?.label) : '');
  };
  const use = () => {
    if (!file || !rows?.ok || !fit?.ok) return;
    if (applyRowsToForm(app, file.name, rows.value) !== null) return;
    void keepFile(fit.name, file.sha256, file.bytes);
    onDone();
  };

  return (
    <div className="custom-tab">
      <p className="custom-rules">
        A CSV file (comma, semicolon or tab separated) whose first row names the columns: numeric feature columns and one label column, text or integers. Up to{' '}
        {LIMITS.bytes / (1024 * 1024)} MB, {LIMITS.rows.toLocaleString('en')} rows, {LIMITS.features.toLocaleString('en')} feature columns and{' '}
        {LIMITS.maxClasses} classes; at least {LIMITS.minRows} rows and {LIMITS.minClasses} classes. Classes are the label values sorted (numerically when all
        are integers). Features are standardised with the training rows' mean and spread. <strong>The file stays in this browser: it is never uploaded.</strong>
      </p>
      <input
        type="file"
        accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
        data-testid="custom-csv-input"
        aria-label="CSV file"
        onChange={(e) => void choose(e.target.files?.[0])}
      />
      {reading && <p className="muted">Reading…</p>}
      {file?.table && (
        <>
          <p className="custom-file" data-testid="custom-file">
            "{file.name}": {file.table.cells.length} rows, {file.table.columns.length} columns
            {file.table.hasHeader ? '' : ' (no header row: columns are numbered)'}; SHA-256 <code title={file.sha256}>{file.sha256.slice(0, 16)}…</code>
          </p>
          <div className="field">
            <label htmlFor="custom-label-select">label column</label>
            <select id="custom-label-select" data-testid="custom-label-select" value={label} onChange={(e) => setLabel(e.target.value)}>
              {file.table.columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
          {rows?.ok && (
            <p className="custom-summary" data-testid="custom-csv-summary">
              {summariseRows(rows.value)}
            </p>
          )}
        </>
      )}
      {problem && (
        <p className="custom-error" role="alert" data-testid="custom-data-error">
          {file ? `"${file.name}": ` : ''}
          {problem.message}
        </p>
      )}
      <div className="custom-actions">
        <button type="button" className="primary" onClick={use} disabled={!fit?.ok} data-testid="custom-use-csv">
          Use this data
        </button>
      </div>
    </div>
  );
}

function DrawTab({ onDone }: { onDone: () => void }) {
  const app = useTheData();
  const { points, classes, selected } = useApp((s) => s.customData.drawing);
  const ref = useRef<HTMLCanvasElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const setDrawing = useApp((s) => s.setDrawing);

  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, CANVAS, CANVAS);
    context.strokeStyle = '#e2e8f0';
    for (let k = 1; k < 6; k++) {
      const at = (k * CANVAS) / 6;
      context.beginPath();
      context.moveTo(at, 0);
      context.lineTo(at, CANVAS);
      context.moveTo(0, at);
      context.lineTo(CANVAS, at);
      context.stroke();
    }
    for (const p of points) {
      context.fillStyle = DRAW_COLORS[p.label % DRAW_COLORS.length];
      context.beginPath();
      context.arc(((p.x + EXTENT) / (2 * EXTENT)) * CANVAS, ((EXTENT - p.y) / (2 * EXTENT)) * CANVAS, 4, 0, 2 * Math.PI);
      context.fill();
      context.strokeStyle = '#0f172a';
      context.stroke();
    }
  }, [points]);

  const add = (event: MouseEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const x = ((event.clientX - rect.left) / rect.width) * 2 * EXTENT - EXTENT;
    const y = EXTENT - ((event.clientY - rect.top) / rect.height) * 2 * EXTENT;
    // Shift+click sprays a small cluster (the page's own randomness: drawing is input, not an experiment).
    const added: DrawnPoint[] = event.shiftKey
      ? Array.from({ length: 5 }, () => ({ x: x + (Math.random() - 0.5) * 0.2, y: y + (Math.random() - 0.5) * 0.2, label: selected }))
      : [{ x, y, label: selected }];
    const clamp = (v: number) => Math.max(-EXTENT, Math.min(EXTENT, v));
    setDrawing({ points: [...points, ...added.map((p) => ({ ...p, x: clamp(p.x), y: clamp(p.y) }))] });
    setProblem(null);
  };

  const use = async () => {
    const present = new Set(points.map((p) => p.label));
    if (points.length < LIMITS.minRows) return setProblem(`Draw at least ${LIMITS.minRows} points (there are ${points.length}).`);
    if (present.size < 2) return setProblem('Draw points of at least two classes.');
    try {
      const text = drawnCsv(points);
      const sha256 = await sha256Hex(text);
      const name = `drawn-${sha256.slice(0, 8)}.csv`;
      const rows = readCsvRows(text, 'label', sha256);
      if (!rows.ok) return setProblem(rows.error.message);
      const refused = applyRowsToForm(app, name, rows.value);
      if (refused) return setProblem(refused);
      void keepFile(name, sha256, new TextEncoder().encode(text));
      onDone();
    } catch (error) {
      setProblem(`The points could not be used: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return (
    <div className="custom-tab">
      <p className="custom-rules">
        Pick a class, then click to add a point (Shift+click adds a small cluster). At least {LIMITS.minRows} points of two or more classes. The points become a
        CSV file (x, y, label) that stays in this browser; download it to open links to this experiment elsewhere.
      </p>
      <div className="draw-classes" role="group" aria-label="Class to draw">
        {Array.from({ length: classes }, (_, k) => (
          <button
            key={k}
            type="button"
            aria-pressed={selected === k}
            onClick={() => setDrawing({ selected: k })}
            data-testid={`draw-class-${k}`}
            style={{ ['--dot' as string]: DRAW_COLORS[k] }}
          >
            class {k} ({points.filter((p) => p.label === k).length})
          </button>
        ))}
        <button
          type="button"
          onClick={() => setDrawing({ classes: classes + 1, selected: classes })}
          disabled={classes >= DRAW_COLORS.length}
          data-testid="draw-add-class"
        >
          + class
        </button>
      </div>
      <canvas
        ref={ref}
        width={CANVAS}
        height={CANVAS}
        className="draw-canvas"
        data-testid="draw-canvas"
        data-points={points.length}
        onClick={add}
        aria-label="Drawing area: click to add a point"
      />
      <div className="custom-actions">
        <button type="button" onClick={() => setDrawing({ points: points.slice(0, -1) })} disabled={points.length === 0} data-testid="draw-undo">
          Undo
        </button>
        <button type="button" onClick={() => setDrawing({ points: [] })} disabled={points.length === 0} data-testid="draw-clear">
          Clear
        </button>
        <button type="button" onClick={() => download('drawn-points.csv', drawnCsv(points))} disabled={points.length === 0}>
          Download CSV
        </button>
        <button type="button" className="primary" onClick={() => void use()} data-testid="custom-use-drawn">
          Use these {points.length} points
        </button>
      </div>
      {problem && (
        <p className="custom-error" role="alert" data-testid="custom-data-error">
          {problem}
        </p>
      )}
    </div>
  );
}

/** Your own data: a CSV file or points drawn on a canvas. */
export function CustomDataSheet({ onClose }: { onClose: () => void }) {
  const [tab, setTab] = useState<'csv' | 'draw'>('csv');
  const [forgotten, setForgotten] = useState(false);
  return (
    <Dialog
      title="Your own data"
      onClose={onClose}
      testId="custom-data-sheet"
      className="custom-sheet"
      closeTestId="custom-data-close"
      actions={
        <div className="segmented" role="group" aria-label="Source">
          <button type="button" aria-pressed={tab === 'csv'} onClick={() => setTab('csv')} data-testid="custom-tab-csv">
            Upload a CSV
          </button>
          <button type="button" aria-pressed={tab === 'draw'} onClick={() => setTab('draw')} data-testid="custom-tab-draw">
            Draw points
          </button>
        </div>
      }
    >
      {tab === 'csv' ? <CsvTab onDone={onClose} /> : <DrawTab onDone={onClose} />}
      <p className="custom-keep muted">
        Files you use are kept in this browser (IndexedDB, the newest {MAX_KEPT_FILES}) so that links to them work here after a reload.{' '}
        <button
          type="button"
          className="link"
          onClick={() => {
            void forgetKeptFiles().then(() => setForgotten(true));
          }}
        >
          {forgotten ? 'Forgotten' : 'Forget them'}
        </button>
      </p>
    </Dialog>
  );
}
