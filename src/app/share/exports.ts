/** Exports of what the page shows (curves, per-example results, config, charts; CSV by core/csv-export.ts) and the config import. */
import { ConfigError } from '../../core/config/read';
import type { ExperimentConfig } from '../../core/config/schema';
import { chartsCsv as chartPointsCsv, curvesCsv as stageCurvesCsv, examplesCsv as exampleRowsCsv } from '../../core/csv-export';
import { MAX_CONFIG_TEXT, readConfig } from '../../core/config/read';
import { parseUntrustedJson } from '../../core/untrusted-json';
import { rolesOf, stageByName } from '../derived';
import type { RunState } from '../store/run-state';

/** One row per measurement and model (the live curves, so a stopped run exports what it measured). */
export function curvesCsv(run: RunState): string {
  return stageCurvesCsv(run.stages);
}

/** The research plots: one row per point, with its chart, series and (for bars) group label. */
export function chartsCsv(run: RunState): string {
  return chartPointsCsv(run.charts);
}

/** One row per test example: truth, supervisor, student, and its beat/copy category. */
export function examplesCsv(run: RunState): string {
  const roles = rolesOf(run);
  const supervisor = roles ? stageByName(run, roles.supervisor)?.result?.testPredictions : undefined;
  const student = roles ? stageByName(run, roles.student)?.latestPredictions : undefined;
  return run.start ? exampleRowsCsv(run.start.classNames, run.start.test.labels, supervisor, student) : exampleRowsCsv([], []);
}

export function configJson(config: ExperimentConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Reads a config file the way a link is read (core/config/read.ts): unknown keys ignored, invalid values replaced with a notice. */
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

/** A PNG of an SVG text at `scale` times its size (2: sharp on a slide or a high-density screen). */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const image = new Image();
  image.src = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  try {
    await image.decode();
    canvas.getContext('2d')!.drawImage(image, 0, 0, canvas.width, canvas.height);
  } finally {
    URL.revokeObjectURL(image.src);
  }
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'));
}
