/**
 * The one CSV writer of every export (the page's downloads, the command line's files, drawn points).
 *
 * Cells are safe to open in a spreadsheet (OWASP, CSV injection): a text cell that starts with =, +, -, @, a tab
 * or a carriage return (also after leading spaces, and their full-width forms) gets a single quote in front, so it
 * is read as text, never as a formula. Numbers stay numbers: a number the project writes (-2, 1e-3) and a text
 * cell that is only a plain decimal number ("-2", "1.5e-3") are written as they are. Every cell holding a comma,
 * a quote, a carriage return or a line feed is quoted (RFC 4180), so a value never breaks a row.
 */
import type { ChartData } from './experiments/charts';
import { categorise } from './metrics';
import type { MetricPoint } from './experiments/figures';

/** A plain decimal number, as the CSV reader accepts one: no formula can hide in it. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** What a spreadsheet may take as the start of a formula: =, +, -, @ (ASCII or full width), after optional spaces; or a tab or CR. */
const FORMULA_START = /^(?:[\t\r]|[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20])/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Text of a cell, neutralised when it could be read as a formula. */
function safeText(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return '';
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : safeText(String(value));
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV text: comma separated, one line (LF) per row, a line end after the last. */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

/** One row per measurement and model. */
export function curvesCsv(stages: readonly { name: string; history: readonly MetricPoint[] }[]): string {
  // Language models' curves carry held-out bits per character: a column of its own, only where there is one.
  const bits = stages.some((stage) => stage.history.some((p) => p.bitsPerCharacter !== undefined));
  const rows: unknown[][] = [
    ['stage', 'step', 'epoch', 'loss', 'test_accuracy', 'validation_accuracy', 'learning_rate', ...(bits ? ['bits_per_character'] : [])],
  ];
  for (const stage of stages) {
    for (const p of stage.history) {
      rows.push([stage.name, p.step, p.epoch, p.loss, p.testAccuracy, p.validationAccuracy, p.learningRate, ...(bits ? [p.bitsPerCharacter ?? NaN] : [])]);
    }
  }
  return toCsv(rows);
}

/** The research plots: one row per point, with its chart, series and (for bars) group label. */
export function chartsCsv(charts: readonly ChartData[]): string {
  const rows: unknown[][] = [['chart', 'series', 'x', 'label', 'y']];
  for (const chart of charts) {
    for (const series of chart.info.series) {
      for (const p of chart.points[series.key] ?? []) rows.push([chart.info.id, series.key, p.x, p.label ?? '', p.y]);
    }
  }
  return toCsv(rows);
}

/** One row per test example: truth, supervisor, student (as class names), and its beat/copy category. */
export function examplesCsv(
  classNames: readonly string[],
  labels: ArrayLike<number>,
  supervisor?: ArrayLike<number> | null,
  student?: ArrayLike<number> | null,
): string {
  const rows: unknown[][] = [['index', 'truth', 'supervisor', 'student', 'category']];
  if (supervisor && student) {
    for (let i = 0; i < labels.length; i++)
      rows.push([i, classNames[labels[i]], classNames[supervisor[i]], classNames[student[i]], categorise(labels[i], supervisor[i], student[i])]);
  }
  return toCsv(rows);
}
