import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUSTOM_DATA_LIMITS } from '../config/datasets';
import { guessLabelColumn, readCsvRows, readCsvTable, sortClasses, tableToRows, type CsvProblem, type CsvResult } from './csv';

const HASH = 'f'.repeat(64);

/** A small valid file: two numeric features and a text label, `n` rows. */
function irisLike(n = 24): string {
  const lines = ['sepal,petal,species'];
  for (let i = 0; i < n; i++) lines.push(`${(i * 0.5).toFixed(1)},${i % 7},${['setosa', 'virginica', 'versicolor'][i % 3]}`);
  return `${lines.join('\n')}\n`;
}

function problem<T>(result: CsvResult<T>): CsvProblem {
  if (result.ok) throw new Error('expected the file to be refused');
  return result.error;
}

function value<T>(result: CsvResult<T>): T {
  if (!result.ok) throw new Error(`expected the file to be read: ${result.error.message}`);
  return result.value;
}

describe('CSV reader: good files', () => {
  it('reads the header, features as numbers and labels as classes sorted by name', () => {
    const table = value(readCsvTable(irisLike()));
    expect(table.columns).toEqual(['sepal', 'petal', 'species']);
    expect(table.hasHeader).toBe(true);
    expect(guessLabelColumn(table)).toBe('species');
    expect(guessLabelColumn(table, 'petal')).toBe('petal');
    expect(guessLabelColumn(table, 'kind')).toBe('species');
    const rows = value(tableToRows(table, 'species', HASH));
    expect(rows.count).toBe(24);
    expect(rows.featureNames).toEqual(['sepal', 'petal']);
    expect(rows.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(rows.x.subarray(0, 6))).toEqual([0, 0, 0.5, 1, 1, 2]);
    // Row 2 is virginica (class 2), row 3 versicolor (class 1).
    expect(Array.from(rows.y.subarray(0, 3))).toEqual([0, 2, 1]);
    expect(rows.sha256).toBe(HASH);
    expect(rows.labelColumn).toBe('species');
  });

  it('sorts integer labels numerically, whatever order they first appear in', () => {
    const lines = ['a,b,label'];
    for (let i = 0; i < 30; i++) lines.push(`${i},${-i},${[10, 2, 1][i % 3]}`);
    const rows = value(readCsvRows(lines.join('\r\n'), 'label', HASH));
    expect(rows.classNames).toEqual(['1', '2', '10']);
    expect(Array.from(rows.y.subarray(0, 3))).toEqual([2, 1, 0]);
    expect(sortClasses(['b', 'B', 'a'])).toEqual(['B', 'a', 'b']);
  });

  it('takes a first row of numbers as data, any column as the label, quoted cells, semicolons, a BOM and blank lines', () => {
    const lines: string[] = [];
    for (let i = 0; i < 25; i++) lines.push(`${i % 2};${i};"${i * 2}"`);
    const text = `\uFEFF${lines.slice(0, 10).join('\n')}\n\n${lines.slice(10).join('\n')}\n\n`;
    const table = value(readCsvTable(new TextEncoder().encode(text)));
    expect(table.hasHeader).toBe(false);
    expect(table.delimiter).toBe(';');
    expect(table.columns).toEqual(['column 1', 'column 2', 'column 3']);
    expect(table.cells).toHaveLength(25);
    expect(table.rowNumbers[10]).toBe(12);
    const rows = value(tableToRows(table, 'column 1', HASH));
    expect(rows.classNames).toEqual(['0', '1']);
    expect(rows.x[2 * 3 + 1]).toBe(6);
  });

  it('accepts exponents and signs, and refuses numbers beyond float32', () => {
    const lines = ['x,y'];
    for (let i = 0; i < 20; i++) lines.push(`${i % 2 ? '-1.5e3' : '+.25'},${i % 2}`);
    expect(Array.from(value(readCsvRows(lines.join('\n'), 'y', HASH)).x.subarray(0, 2))).toEqual([0.25, -1500]);
    lines[5] = '1e39,0';
    expect(problem(readCsvRows(lines.join('\n'), 'y', HASH))).toMatchObject({
      row: 6,
      column: 1,
      message: expect.stringMatching(/^Row 6, column 1 \("x"\): "1e39" is too large/),
    });
  });
});

describe('CSV reader: malformed files, each named by row and column', () => {
  it('an empty file', () => {
    expect(problem(readCsvTable('')).message).toBe('The file is empty.');
    expect(problem(readCsvTable(' \n\n \r\n')).message).toBe('The file is empty.');
    expect(problem(readCsvTable('a,b,label\n\n')).message).toBe('The file has a header but no data rows.');
  });

  it('a non-numeric feature cell', () => {
    const text = irisLike().replace('\n3.5,0,virginica', '\n3.5,n/a,virginica');
    expect(problem(readCsvRows(text, 'species', HASH))).toEqual({
      row: 9,
      column: 2,
      message: 'Row 9, column 2 ("petal"): "n/a" is not a number. Feature columns must hold numbers; only the label column may hold text.',
    });
    // "NaN", "Infinity" and hex are not numbers either.
    for (const bad of ['NaN', 'Infinity', '0x10', '1,5']) {
      const lines = ['x;y'];
      for (let i = 0; i < 20; i++) lines.push(`${i === 3 ? bad : i};${i % 2}`);
      expect(problem(readCsvRows(lines.join('\n'), 'y', HASH))).toMatchObject({ row: 5, column: 1 });
    }
  });

  it('an empty feature cell or label', () => {
    const text = irisLike().replace('\n1.0,2,versicolor', '\n,2,versicolor');
    expect(problem(readCsvRows(text, 'species', HASH))).toMatchObject({
      row: 4,
      column: 1,
      message: 'Row 4, column 1 ("sepal") is empty; every feature cell needs a number.',
    });
    const noLabel = irisLike().replace('\n1.0,2,versicolor', '\n1.0,2,');
    expect(problem(readCsvRows(noLabel, 'species', HASH))).toMatchObject({ row: 4, column: 3, message: 'Row 4, column 3 ("species"): the label is empty.' });
  });

  it('a ragged row, short or long', () => {
    const short = irisLike().replace('\n1.0,2,versicolor', '\n1.0,2');
    expect(problem(readCsvTable(short))).toEqual({
      row: 4,
      column: 3,
      message: 'Row 4 has 2 cells but the file has 3 columns: column 3 ("species") is missing.',
    });
    const long = irisLike().replace('\n1.0,2,versicolor', '\n1.0,2,versicolor,9');
    expect(problem(readCsvTable(long))).toEqual({ row: 4, column: 4, message: 'Row 4 has 4 cells but the file has 3 columns: column 4 is extra.' });
  });

  it('a single class', () => {
    const lines = ['x,y,label'];
    for (let i = 0; i < 20; i++) lines.push(`${i},${i},yes`);
    expect(problem(readCsvRows(lines.join('\n'), 'label', HASH))).toMatchObject({
      column: 3,
      message: 'The label column column 3 ("label") holds a single class ("yes"); at least 2 are needed.',
    });
  });

  it('too many classes: a numeric column taken as the label', () => {
    const lines = ['x,label'];
    for (let i = 0; i < 60; i++) lines.push(`${i % 2},${i}`);
    expect(problem(readCsvRows(lines.join('\n'), 'label', HASH))).toMatchObject({
      row: 52,
      column: 2,
      message: expect.stringMatching(/would be class 51; at most 50 classes/),
    });
  });

  it('too many rows, columns or bytes, and too few rows', () => {
    const rows = `x,y\n${'1,0\n2,1\n'.repeat(CUSTOM_DATA_LIMITS.rows / 2)}3,0\n`;
    expect(problem(readCsvTable(rows))).toEqual({
      row: CUSTOM_DATA_LIMITS.rows + 2,
      message: 'The file has more than 20,000 data rows (row 20002 is one too many).',
    });
    const wide = `${Array.from({ length: 1026 }, (_, i) => `c${i}`).join(',')}\n`;
    expect(problem(readCsvTable(wide))).toMatchObject({ row: 1, message: expect.stringMatching(/^Row 1 has 1026 columns; at most 1024 feature columns/) });
    const big = new Uint8Array(CUSTOM_DATA_LIMITS.bytes + 1).fill(49);
    expect(problem(readCsvTable(big)).message).toBe('The file is 5.0 MB; the limit is 5 MB.');
    expect(problem(readCsvTable('x,y\n1,0\n2,1\n')).message).toBe('The file has 2 data rows; at least 20 are needed to split it into training and test sets.');
    expect(problem(readCsvTable('just one column\n1\n2\n')).message).toMatch(/^Row 1 has a single column/);
  });

  it('an unclosed quote, duplicate column names, a label column that does not exist', () => {
    expect(problem(readCsvTable(`${irisLike()}1,"2,setosa\n`))).toMatchObject({ message: expect.stringMatching(/quoted cell is never closed/) });
    expect(problem(readCsvTable(irisLike().replace('sepal,petal', 'x,x')))).toEqual({
      row: 1,
      column: 2,
      message: 'Row 1: columns 1 and 2 are both named "x"; column names must differ.',
    });
    const table = value(readCsvTable(irisLike()));
    expect(problem(tableToRows(table, 'kind', HASH)).message).toBe('There is no column named "kind"; the columns are "sepal", "petal", "species".');
  });
});

describe('CSV reader: arbitrary input', () => {
  /** Never throws out of its boundary; a success is a well-formed dataset, a failure a message. */
  function check(input: string | Uint8Array): void {
    const table = readCsvTable(input);
    if (!table.ok) {
      expect(typeof table.error.message).toBe('string');
      expect(table.error.message.length).toBeGreaterThan(0);
      return;
    }
    const { columns, cells } = table.value;
    expect(cells.every((row) => row.length === columns.length)).toBe(true);
    const rows = tableToRows(table.value, guessLabelColumn(table.value), HASH);
    if (!rows.ok) {
      expect(rows.error.message.length).toBeGreaterThan(0);
      if (rows.error.row !== undefined) expect(table.value.rowNumbers).toContain(rows.error.row);
      return;
    }
    const { x, y, count, classNames } = rows.value;
    expect(x.every(Number.isFinite)).toBe(true);
    expect(classNames.length).toBeGreaterThanOrEqual(2);
    expect(classNames.length).toBeLessThanOrEqual(50);
    expect(y.every((c) => c >= 0 && c < classNames.length)).toBe(true);
    expect(count).toBe(cells.length);
  }

  const cell = fc.oneof(
    fc.double({ noNaN: false }).map(String),
    fc.integer({ min: -1e6, max: 1e6 }).map(String),
    fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e308', '-1e400', '3.4e38', '3.5e38', '', ' ', '"a,b"', '"', 'x', 'setosa'),
    fc.string({ maxLength: 6 }),
  );
  const validCsv = fc
    .record({ width: fc.integer({ min: 2, max: 6 }), rows: fc.integer({ min: 18, max: 40 }), classes: fc.integer({ min: 1, max: 4 }) })
    .chain(({ width, rows, classes }) =>
      fc
        .array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: width - 1, maxLength: width - 1 }), { minLength: rows, maxLength: rows })
        .map((data) =>
          [Array.from({ length: width }, (_, i) => `c${i}`).join(','), ...data.map((features, r) => [...features, `k${r % classes}`].join(','))].join('\n'),
        ),
    );

  it('never throws and never hangs on 10,000 generated inputs', () => {
    // CPU time of this process, not wall time: other work on the machine must not fail a test of the reader's own cost.
    const cpuSeconds = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1e6;
    };
    const started = cpuSeconds();
    let runs = 0;
    const count = (n: number) => ({ numRuns: n, seed: 42 });
    // Random strings, including CSV-ish punctuation.
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('1', '2', '.', ',', ';', '\t', '\n', '\r', '"', 'a', 'e', '-', ' ', '\uFEFF'), maxLength: 200 }),
        (s) => void (check(s), runs++),
      ),
      count(2500),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => void (check(s), runs++)),
      count(1500),
    );
    // Grids of odd cells: huge numbers, NaN, Infinity, quotes, empty cells.
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 0, maxLength: 40 }),
        (grid) => void (check(grid.map((r) => r.join(',')).join('\n')), runs++),
      ),
      count(2500),
    );
    // Valid files, truncated, and with flipped bits.
    fc.assert(
      fc.property(validCsv, fc.nat(), (text, cut) => void (check(text.slice(0, cut % (text.length + 1))), runs++)),
      count(1500),
    );
    fc.assert(
      fc.property(validCsv, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 }), (text, flips) => {
        const bytes = new TextEncoder().encode(text);
        for (const [at, bit] of flips) bytes[at % bytes.length] ^= 1 << bit;
        check(bytes);
        runs++;
      }),
      count(1500),
    );
    // Very long lines: a wide header and long cells.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1500 }), fc.integer({ min: 1, max: 20000 }), (width, length) => {
        check(`${Array.from({ length: width }, (_, i) => `c${i}`).join(',')}\n${'9'.repeat(length)},1\n`.repeat(2));
        runs++;
      }),
      count(500),
    );
    expect(runs).toBeGreaterThanOrEqual(10000);
    expect(cpuSeconds() - started).toBeLessThan(20);
  }, 60_000);
});
