/** Exports of what the page shows (curves, per-example results, config, charts) and the config import. */
import { ConfigError, type ExperimentConfig } from '../../core/config';
import { categorise } from '../../core/metrics';
import { rolesOf, stageByName } from '../derived';
import { MAX_CONFIG_TEXT, readConfig } from '../../core/read-config';
import { parseUntrustedJson } from '../../core/untrusted-json';
import type { RunState } from '../store/run-state';

function csvCell(value: unknown): string {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(rows: unknown[][]): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

/** One row per measurement and model. */
export function curvesCsv(run: RunState): string {
  const rows: unknown[][] = [['stage', 'step', 'epoch', 'loss', 'test_accuracy', 'validation_accuracy', 'learning_rate']];
  for (const stage of run.stages) {
    for (const p of stage.history) rows.push([stage.name, p.step, p.epoch, p.loss, p.testAccuracy, p.validationAccuracy, p.learningRate]);
  }
  return csv(rows);
}

/** The research plots: one row per point, with its chart, series and (for bars) group label. */
export function chartsCsv(run: RunState): string {
  const rows: unknown[][] = [['chart', 'series', 'x', 'label', 'y']];
  for (const chart of run.charts) {
    for (const series of chart.info.series) {
      for (const p of chart.points[series.key] ?? []) rows.push([chart.info.id, series.key, p.x, p.label ?? '', p.y]);
    }
  }
  return csv(rows);
}

/** One row per test example: truth, supervisor, student, and its beat/copy category. */
export function examplesCsv(run: RunState): string {
  const roles = rolesOf(run);
  const start = run.start;
  const supervisor = roles ? stageByName(run, roles.supervisor)?.result?.testPredictions : undefined;
  const student = roles ? stageByName(run, roles.student)?.latestPredictions : undefined;
  const rows: unknown[][] = [['index', 'truth', 'supervisor', 'student', 'category']];
  if (start && supervisor && student) {
    const names = start.classNames;
    start.test.labels.forEach((y, i) => rows.push([i, names[y], names[supervisor[i]], names[student[i]], categorise(y, supervisor[i], student[i])]));
  }
  return csv(rows);
}

export function configJson(config: ExperimentConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Reads a config file the way a link is read (core/read-config.ts): unknown keys ignored, invalid values replaced with a notice. */
export function importConfig(text: string): { config: ExperimentConfig; notices: string[] } | { error: string } {
  if (text.length > MAX_CONFIG_TEXT) return { error: 'That file is too large to be an experiment config (over 1 MB).' };
  const parsed = parseUntrustedJson(text, MAX_CONFIG_TEXT);
  if (!parsed.ok) {
    return { error: parsed.kind === 'not-json' ? `That file is ${parsed.problem}` : `That file is not an experiment config: it is ${parsed.problem}.` };
  }
  try {
    return readConfig(parsed.value);
  } catch (error) {
    const detail = error instanceof ConfigError ? error.problems.join('; ') : String(error);
    return { error: `That file is not an experiment config: ${detail.replace(/\n\s*/g, ' ')}` };
  }
}

export function download(filename: string, content: Blob | string, type = 'text/plain'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A chart (Recharts draws SVG) as a PNG on a white background, at twice the screen size. */
export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const source = new XMLSerializer().serializeToString(clone);
  const image = new Image();
  image.src = URL.createObjectURL(new Blob([source], { type: 'image/svg+xml' }));
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  URL.revokeObjectURL(image.src);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'));
}
