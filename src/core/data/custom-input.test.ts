/**
 * The visitor's own data at the point of accepting it: spreadsheets' UTF-16 "Unicode text" files, file names too
 * long for a link, label columns whose names are, and experiments that cannot take custom data. Each is read or
 * refused with a reason before anything reaches the form.
 */
import { describe, expect, it } from 'vitest';
import { safeParseConfig } from '../config/read';
import type { ExperimentConfig } from '../config/schema';
import { PRESETS, presetConfig } from '../presets';
import { readCsvRows, readCsvTable } from './csv';
import { acceptsCustomData, customDataName, describeCustomRows, fitConfigToCustomData } from './custom';
import { customOf } from '../config/datasets';

const HASH = 'a'.repeat(64);

/** A table of 40 rows as text: two features, a text label, separated by `sep`. */
function table(sep = ',', header = ['x', 'y', 'label']): string {
  const lines = [header.join(sep)];
  for (let i = 0; i < 40; i++) lines.push([(i * 0.25).toFixed(2), String(i % 5), i % 2 ? 'süd' : 'nord'].join(sep));
  return `${lines.join('\r\n')}\r\n`;
}

/** Text as UTF-16 bytes, with or without a byte order mark. */
function utf16(text: string, order: 'le' | 'be', mark = true): Uint8Array {
  const bytes = new Uint8Array((text.length + (mark ? 1 : 0)) * 2);
  const units = [...(mark ? [0xfeff] : []), ...Array.from(text, (c) => c.charCodeAt(0))];
  units.forEach((unit, i) => {
    bytes[2 * i + (order === 'le' ? 0 : 1)] = unit & 0xff;
    bytes[2 * i + (order === 'le' ? 1 : 0)] = unit >> 8;
  });
  return bytes;
}

describe('UTF-16 files (a spreadsheet\'s "Unicode text")', () => {
  it('reads little- and big-endian files with a byte order mark, tab separated, as the same rows as UTF-8', () => {
    const expected = readCsvRows(new TextEncoder().encode(table('\t')), 'label', HASH);
    expect(expected.ok).toBe(true);
    for (const order of ['le', 'be'] as const) {
      const read = readCsvRows(utf16(table('\t'), order), 'label', HASH);
      expect(read, order).toEqual(expected);
      if (read.ok) expect(read.value.classNames).toEqual(['nord', 'süd']);
    }
  });

  it('reads UTF-16 without a byte order mark when every other byte is zero', () => {
    const table16 = readCsvTable(utf16(table(','), 'le', false));
    expect(table16.ok && table16.value.columns).toEqual(['x', 'y', 'label']);
    expect(readCsvTable(utf16(table(';'), 'be', false)).ok).toBe(true);
  });

  it('refuses UTF-32, naming the encoding', () => {
    const utf32 = new Uint8Array([0xff, 0xfe, 0, 0, 0x78, 0, 0, 0]);
    const read = readCsvTable(utf32);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error.message).toMatch(/^The file is UTF-32 text .*save it as UTF-8/);
  });
});

describe('names that must fit in a link', () => {
  it('shortens a long file name when it is accepted, keeping its extension, so the config stays valid', () => {
    const long = `${'quarterly-results-'.repeat(12)}final.csv`;
    expect(long.length).toBeGreaterThan(200);
    const name = customDataName(long);
    expect(name.length).toBeLessThanOrEqual(200);
    expect(name).toMatch(/^quarterly-results-.*….csv$/);
    const rows = readCsvRows(table(), 'label', HASH);
    if (!rows.ok) throw new Error(rows.error.message);
    const fitted = fitConfigToCustomData(presetConfig('w2s-copying'), describeCustomRows(rows.value, long));
    expect(fitted.problems).toEqual([]);
    expect(safeParseConfig(fitted.config).ok).toBe(true);
    expect(customOf(fitted.config)?.name).toBe(name);
  });

  it('keeps short names, drops control characters, never leaves a name empty or half a character', () => {
    expect(customDataName('iris.csv')).toBe('iris.csv');
    expect(customDataName('a\u0000b\nc.csv')).toBe('abc.csv');
    expect(customDataName('  \u0007 ')).toBe('data.csv');
    const emoji = customDataName('😀'.repeat(150));
    expect(emoji.length).toBeLessThanOrEqual(200);
    expect(/[\ud800-\udbff]…/.test(emoji)).toBe(false);
  });

  it('refuses a label column whose name is too long for a link, saying so, before it reaches the form', () => {
    const column = 'c'.repeat(230);
    const read = readCsvRows(table(',', ['x', 'y', column]), column, HASH);
    expect(read.ok).toBe(false);
    if (!read.ok)
      expect(read.error.message).toBe(
        `The label column column 3 ("${'c'.repeat(37)}...") has a name of 230 characters; at most 200 are allowed. Shorten it in the file's first row.`,
      );
  });
});

describe('experiments that cannot take custom data', () => {
  it('are refused with a reason that names the experiment, not a schema field', () => {
    const rows = readCsvRows(table(), 'label', HASH);
    if (!rows.ok) throw new Error(rows.error.message);
    for (const preset of PRESETS) {
      const config = presetConfig(preset.id) as ExperimentConfig;
      const fitted = fitConfigToCustomData(config, describeCustomRows(rows.value, 'data.csv'));
      if (acceptsCustomData(config.kind)) {
        expect(fitted.problems, preset.id).toEqual([]);
      } else {
        expect(fitted.problems).toEqual([
          expect.stringMatching(new RegExp(`^the ${config.kind} experiment cannot run on your own data: .* Choose another experiment first`)),
        ]);
        expect(fitted.problems[0]).not.toMatch(/data\.dataset/);
        expect(fitted.config).toBe(config);
      }
    }
    // Experiments whose labels come from their own oracle refuse; those that learn from labelled images take a table.
    const refusing = PRESETS.filter((p) => !acceptsCustomData(presetConfig(p.id).kind)).map((p) => p.id);
    expect(refusing).toContain('teacher-hacking');
    expect(refusing).not.toContain('w2s-mnist');
    expect(refusing).not.toContain('kd-mnist');
  });
});
