/**
 * Reads a visitor's CSV file into a custom dataset: numeric feature columns and one label column.
 *
 * Two steps, so a form can list the columns before the label is chosen:
 *   readCsvTable(bytes)          -> the column names and the rows as text (shape checks: size, ragged rows)
 *   tableToRows(table, label)    -> features as numbers and labels as class indices (content checks)
 * Neither throws on any input: a problem comes back as { ok: false, error } whose message names the row and
 * column. Rows are numbered as in the file, the header being row 1 (blank lines count, so the number is the
 * line number unless a quoted cell spans lines).
 *
 * Classes are the distinct label values sorted: numerically when every label is an integer, otherwise by
 * character codes. The order of the rows does not change the classes.
 */
import Papa from 'papaparse';
import { CUSTOM_DATA_LIMITS } from '../config/datasets';

export type CsvResult<T> = { ok: true; value: T } | { ok: false; error: CsvProblem };

export interface CsvProblem {
  message: string;
  /** Row in the file (the header is row 1), when the problem is in one. */
  row?: number;
  /** Column number (from 1), when the problem is in one. */
  column?: number;
}

export interface CsvTable {
  /** Column names: the header, or "column 1".. when the first row is all numbers. */
  columns: string[];
  hasHeader: boolean;
  /** Data rows as text, each with exactly `columns.length` cells. */
  cells: string[][];
  /** Row number in the file of each data row. */
  rowNumbers: number[];
  /** The delimiter found: ",", ";" or tab. */
  delimiter: string;
}

/** A custom dataset as the worker and the core take it: plain typed arrays, features not yet standardised. */
export interface CustomRows {
  /** SHA-256 of the file's bytes (hex), the name links use for it. */
  sha256: string;
  /** Row-major features, count x featureNames.length. */
  x: Float32Array;
  /** Class index of each row. */
  y: Int32Array;
  count: number;
  featureNames: string[];
  classNames: string[];
  labelColumn: string;
}

const LIMITS = CUSTOM_DATA_LIMITS;
const MB = 1024 * 1024;

const fail = <T>(message: string, row?: number, column?: number): CsvResult<T> => ({
  ok: false,
  error: { message, ...(row !== undefined ? { row } : {}), ...(column !== undefined ? { column } : {}) },
});

/** A cell as it appears in a message: quoted, cut short when long. */
function shown(cell: string): string {
  const text = cell.length > 40 ? `${cell.slice(0, 37)}...` : cell;
  return JSON.stringify(text);
}

const columnName = (columns: string[], index: number) => `column ${index + 1} (${shown(columns[index])})`;

/** A plain decimal number: digits, optional sign, point and exponent. No hex, no "NaN", no "Infinity". */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

function parseNumber(cell: string): number | null {
  const text = cell.trim();
  if (!NUMBER.test(text)) return null;
  return Number(text);
}

const isBlank = (row: string[]) => row.length === 1 && row[0].trim() === '';

/**
 * The file's bytes as text. A byte order mark names the encoding: UTF-8, or UTF-16 little- or big-endian (what a
 * spreadsheet's "Unicode text" export writes); UTF-32 is refused by name. Without one, text whose every other
 * byte is zero is UTF-16 too; anything else is read as UTF-8 (invalid bytes become U+FFFD).
 */
export function decodeCsvBytes(input: ArrayBuffer | Uint8Array): CsvResult<string> {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const starts = (...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xfe, 0, 0) || starts(0, 0, 0xfe, 0xff)) {
    return fail('The file is UTF-32 text (its byte order mark says so), which is not read here; save it as UTF-8 ("CSV UTF-8" in a spreadsheet) or UTF-16.');
  }
  const encoding = starts(0xef, 0xbb, 0xbf) ? 'utf-8' : starts(0xff, 0xfe) ? 'utf-16le' : starts(0xfe, 0xff) ? 'utf-16be' : utf16WithoutMark(bytes);
  let text: string;
  try {
    // The decoder drops the byte order mark of the encoding it decodes.
    text = new TextDecoder(encoding).decode(bytes);
  } catch (error) {
    return fail(`The file could not be read as ${encoding.toUpperCase()} text: ${error instanceof Error ? error.message : String(error)}.`);
  }
  return { ok: true, value: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** 'utf-16le' or 'utf-16be' when the first bytes look like ASCII text written in UTF-16 without a mark, else 'utf-8'. */
function utf16WithoutMark(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  const sample = Math.min(bytes.length - (bytes.length % 2), 512);
  if (sample < 4) return 'utf-8';
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = sample / 2;
  if (oddZero > 0.9 * pairs && evenZero === 0) return 'utf-16le';
  if (evenZero > 0.9 * pairs && oddZero === 0) return 'utf-16be';
  return 'utf-8';
}

export function readCsvTable(input: string | ArrayBuffer | Uint8Array): CsvResult<CsvTable> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input).byteLength : input.byteLength;
  if (bytes > LIMITS.bytes) return fail(`The file is ${(bytes / MB).toFixed(1)} MB; the limit is ${LIMITS.bytes / MB} MB.`);
  let text: string;
  if (typeof input === 'string') text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  else {
    const decoded = decodeCsvBytes(input);
    if (!decoded.ok) return decoded;
    text = decoded.value;
  }
  if (text.trim() === '') return fail('The file is empty.');

  let parsed: Papa.ParseResult<string[]>;
  try {
    parsed = Papa.parse<string[]>(text, { header: false, dynamicTyping: false, skipEmptyLines: false, delimitersToGuess: [',', ';', '\t'] });
  } catch (error) {
    return fail(`The file could not be read as CSV: ${error instanceof Error ? error.message : String(error)}.`);
  }
  const rows = parsed.data;
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    const row = typeof quoteError.row === 'number' ? quoteError.row + 1 : undefined;
    const what = quoteError.code === 'MissingQuotes' ? 'a quoted cell is never closed' : 'a quote appears inside an unquoted cell or after a closing quote';
    return fail(`${row !== undefined ? `Row ${row}: ` : ''}${what}.`, row);
  }

  const first = rows.findIndex((row) => !isBlank(row));
  if (first < 0) return fail('The file is empty.');
  const head = rows[first].map((cell) => cell.trim());
  const headerRow = first + 1;
  if (head.length > LIMITS.features + 1) {
    return fail(`Row ${headerRow} has ${head.length} columns; at most ${LIMITS.features} feature columns and a label column are allowed.`, headerRow);
  }
  if (head.length < 2) {
    return fail(`Row ${headerRow} has a single column; the file needs at least two: one or more numeric features and a label.`, headerRow);
  }
  // A first row of numbers is data, not a header.
  const hasHeader = !head.every((cell) => parseNumber(cell) !== null);
  const columns = hasHeader ? head.map((name, i) => name || `column ${i + 1}`) : head.map((_, i) => `column ${i + 1}`);
  if (hasHeader) {
    const seen = new Map<string, number>();
    for (let i = 0; i < columns.length; i++) {
      const earlier = seen.get(columns[i]);
      if (earlier !== undefined)
        return fail(`Row ${headerRow}: columns ${earlier + 1} and ${i + 1} are both named ${shown(columns[i])}; column names must differ.`, headerRow, i + 1);
      seen.set(columns[i], i);
    }
  }

  const cells: string[][] = [];
  const rowNumbers: number[] = [];
  for (let r = hasHeader ? first + 1 : first; r < rows.length; r++) {
    const row = rows[r];
    if (isBlank(row)) continue;
    const number = r + 1;
    if (row.length !== columns.length) {
      if (row.length < columns.length) {
        return fail(
          `Row ${number} has ${row.length} cells but the file has ${columns.length} columns: ${columnName(columns, row.length)} is missing.`,
          number,
          row.length + 1,
        );
      }
      return fail(
        `Row ${number} has ${row.length} cells but the file has ${columns.length} columns: column ${columns.length + 1} is extra.`,
        number,
        columns.length + 1,
      );
    }
    if (cells.length === LIMITS.rows)
      return fail(`The file has more than ${LIMITS.rows.toLocaleString('en')} data rows (row ${number} is one too many).`, number);
    cells.push(row);
    rowNumbers.push(number);
  }
  if (cells.length === 0) return fail('The file has a header but no data rows.');
  if (cells.length < LIMITS.minRows)
    return fail(`The file has ${cells.length} data rows; at least ${LIMITS.minRows} are needed to split it into training and test sets.`);
  return { ok: true, value: { columns, hasHeader, cells, rowNumbers, delimiter: parsed.meta.delimiter } };
}

/**
 * The label column a form should offer first: `preferred` (the label of the data in use) when the file has it,
 * else the only non-numeric column, else one named like a label, else the last.
 */
export function guessLabelColumn(table: CsvTable, preferred?: string): string {
  if (preferred !== undefined && table.columns.includes(preferred)) return preferred;
  const sample = table.cells.slice(0, 200);
  const textual = table.columns.filter((_, c) => sample.some((row) => parseNumber(row[c]) === null));
  if (textual.length === 1) return textual[0];
  const named = table.columns.find((name) => /^(label|class|target|y|species|category)$/i.test(name.trim()));
  return named ?? table.columns[table.columns.length - 1];
}

/** Sorted class names: numerically when all are integers, else by character codes. */
export function sortClasses(labels: Iterable<string>): string[] {
  const distinct = [...new Set(labels)];
  if (distinct.every((label) => INTEGER.test(label))) {
    return distinct.sort((a, b) => {
      const d = Number(a) - Number(b);
      return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
    });
  }
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function tableToRows(table: CsvTable, labelColumn: string, sha256: string): CsvResult<CustomRows> {
  const label = table.columns.indexOf(labelColumn);
  if (label < 0) return fail(`There is no column named ${shown(labelColumn)}; the columns are ${table.columns.map(shown).join(', ')}.`);
  // A link names the label column, so its name must fit in one: refused here, not later on a field nobody can edit.
  if (labelColumn.length > LIMITS.nameLength) {
    return fail(
      `The label column ${columnName(table.columns, label)} has a name of ${labelColumn.length} characters; at most ${LIMITS.nameLength} are allowed. Shorten it in the file's first row.`,
      undefined,
      label + 1,
    );
  }
  const featureColumns = table.columns.map((_, i) => i).filter((i) => i !== label);
  if (featureColumns.length > LIMITS.features) return fail(`The file has ${featureColumns.length} feature columns; the limit is ${LIMITS.features}.`);
  const count = table.cells.length;
  const width = featureColumns.length;
  const x = new Float32Array(count * width);
  const labels: string[] = new Array(count);
  const distinct = new Set<string>();
  for (let r = 0; r < count; r++) {
    const row = table.cells[r];
    const number = table.rowNumbers[r];
    for (let f = 0; f < width; f++) {
      const c = featureColumns[f];
      const cell = row[c];
      if (cell.trim() === '') return fail(`Row ${number}, ${columnName(table.columns, c)} is empty; every feature cell needs a number.`, number, c + 1);
      const value = parseNumber(cell);
      if (value === null) {
        return fail(
          `Row ${number}, ${columnName(table.columns, c)}: ${shown(cell.trim())} is not a number. Feature columns must hold numbers; only the label column may hold text.`,
          number,
          c + 1,
        );
      }
      const single = Math.fround(value);
      if (!Number.isFinite(single))
        return fail(
          `Row ${number}, ${columnName(table.columns, c)}: ${shown(cell.trim())} is too large (features must lie within about ±3.4e38).`,
          number,
          c + 1,
        );
      x[r * width + f] = single;
    }
    const value = row[label].trim();
    if (value === '') return fail(`Row ${number}, ${columnName(table.columns, label)}: the label is empty.`, number, label + 1);
    if (!distinct.has(value)) {
      if (distinct.size === LIMITS.maxClasses) {
        return fail(
          `Row ${number}, ${columnName(table.columns, label)}: ${shown(value)} would be class ${LIMITS.maxClasses + 1}; at most ${LIMITS.maxClasses} classes are allowed (is this the label column?).`,
          number,
          label + 1,
        );
      }
      distinct.add(value);
    }
    labels[r] = value;
  }
  if (distinct.size < LIMITS.minClasses) {
    return fail(
      `The label column ${columnName(table.columns, label)} holds a single class (${shown([...distinct][0] ?? '')}); at least ${LIMITS.minClasses} are needed.`,
      undefined,
      label + 1,
    );
  }
  const classNames = sortClasses(distinct);
  const index = new Map(classNames.map((name, i) => [name, i]));
  const y = Int32Array.from(labels, (value) => index.get(value)!);
  return { ok: true, value: { sha256, x, y, count, featureNames: featureColumns.map((c) => table.columns[c]), classNames, labelColumn } };
}

/** Both steps at once, for a file whose label column is already known (a link, the command line). */
export function readCsvRows(input: string | ArrayBuffer | Uint8Array, labelColumn: string, sha256: string): CsvResult<CustomRows> {
  const table = readCsvTable(input);
  return table.ok ? tableToRows(table.value, labelColumn, sha256) : table;
}
