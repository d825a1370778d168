import { useMemo, useRef, useState } from 'react';
import { accuracyFigure, gapFigure, lossFigure, researchFigure } from '../charts/curves';
import { exportFigure, useExportName } from './ChartFigure';
import { resultToJson } from '../../core/experiments/serialize';
import { download } from '../download';
import { chartsCsv, configJson, curvesCsv, examplesCsv, importConfig } from '../share/exports';
import { modelFiles } from '../share/model-files';
import { useApp } from '../store/context';
import type { RunState } from '../store/run-state';

/** Each trained model of the run on screen, as TensorFlow.js layers files (model.json + weights). */
function ModelDownloads({ run, name }: { run: RunState; name: string }) {
  const trained = run.stages.filter((s) => run.models[s.name]);
  if (trained.length === 0) return null;
  return (
    <div className="menu-group" data-testid="model-downloads">
      <span
        className="menu-group-title"
        title="model.json and its weights file: tf.loadLayersModel loads them; model.json also holds the config and the model's results"
      >
        Trained models: TensorFlow.js model.json + weights
      </span>
      {trained.map((stage) => {
        const exported = run.models[stage.name];
        return exported.files ? (
          <button
            key={stage.name}
            type="button"
            data-testid={`export-model-${stage.name}`}
            title={`${stage.model ?? stage.label}: final weights, as model.json + weights.bin`}
            onClick={() => modelFiles(`${name}-${stage.name}`, exported.files).forEach((file) => download(file.name, file.content, file.type))}
          >
            {stage.label}
          </button>
        ) : (
          <p key={stage.name} className="menu-problem" data-testid={`export-model-problem-${stage.name}`}>
            {stage.label}: {exported.problem}
          </p>
        );
      })}
    </div>
  );
}

/** Downloads of the run on screen, and a config import validated like a link. */
export function ExportMenu() {
  const run = useApp((s) => s.run);
  const draft = useApp((s) => s.draft);
  const loadConfig = useApp((s) => s.loadConfig);
  const fileInput = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const name = useExportName();
  const hasRun = run.stages.some((s) => s.history.length > 0);
  // Every chart on the page, drawn for a slide: the training curves and the research plots.
  const figures = useMemo(() => {
    const gap = gapFigure(run);
    return [accuracyFigure(run), lossFigure(run), ...(gap ? [gap] : []), ...run.charts.map(researchFigure)];
  }, [run]);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const result = importConfig(await file.text());
    if ('error' in result) setProblem(result.error);
    else {
      setProblem(null);
      loadConfig(result.config, result.notices);
    }
    if (fileInput.current) fileInput.current.value = '';
  };

  return (
    <details className="menu" data-testid="export-menu">
      <summary>Export</summary>
      <div className="menu-items">
        <button type="button" disabled={!hasRun} onClick={() => download(`${name}-curves.csv`, curvesCsv(run), 'text/csv')} data-testid="export-curves-csv">
          Curves (CSV)
        </button>
        <button
          type="button"
          disabled={!hasRun}
          onClick={() => download(`${name}-examples.csv`, examplesCsv(run), 'text/csv')}
          data-testid="export-examples-csv"
        >
          Per-example results (CSV)
        </button>
        {run.charts.length > 0 && (
          <button type="button" onClick={() => download(`${name}-research-plots.csv`, chartsCsv(run), 'text/csv')} data-testid="export-charts-csv">
            Research plots (CSV)
          </button>
        )}
        <button
          type="button"
          disabled={!run.result}
          onClick={() => download(`${name}-results.json`, resultToJson(run.result), 'application/json')}
          data-testid="export-results-json"
        >
          Results (JSON)
        </button>
        <button type="button" onClick={() => download(`${name}-config.json`, configJson(draft), 'application/json')} data-testid="export-config-json">
          Config (JSON)
        </button>
        <ModelDownloads run={run} name={name} />
        {figures.map((figure) =>
          (['png', 'svg'] as const).map((format) => (
            <button
              key={`${figure.id}-${format}`}
              type="button"
              data-testid={`export-${figure.id}-${format}`}
              disabled={figure.series.every((s) => s.points.length === 0)}
              onClick={() => void exportFigure(figure, format, name)}
            >
              {figure.title} ({format.toUpperCase()})
            </button>
          )),
        )}
        <label className="import">
          Import config…
          <input ref={fileInput} type="file" accept="application/json,.json" onChange={(e) => onFile(e.target.files?.[0])} data-testid="import-config" />
        </label>
        {problem && (
          <p className="menu-problem" role="alert">
            {problem}
          </p>
        )}
      </div>
    </details>
  );
}
