/** Links that name the visitor's data, drawn points as a file, and finding the rows a config needs. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/read';
import type { WeakToStrongConfig } from '../../core/experiments/weak-to-strong/spec';
import { readCsvRows } from '../../core/data/csv';
import { describeCustomRows, fitConfigToCustomData, sha256Hex } from '../../core/data/custom';
import { presetConfig } from '../../core/presets';
import { decodeLink, encodeLink } from '../share/url-codec';
import { createAppStore } from '../store/app-store';
import { applyRowsToForm } from './apply';
import { rowsFor } from '../store/slices/custom-data';
import { drawnCsv, neededData, verifiedKeptBytes } from './data-store';
import { customOf } from '../../core/config/datasets';

async function drawnRows() {
  const points = Array.from({ length: 24 }, (_, i) => ({ x: (i % 6) / 4 - 0.6, y: Math.floor(i / 6) / 3 - 0.5, label: i % 6 < 3 ? 0 : 2 }));
  const text = drawnCsv(points);
  const read = readCsvRows(text, 'label', await sha256Hex(text));
  if (!read.ok) throw new Error(read.error.message);
  return { points, text, rows: read.value };
}

describe('custom data on the page', () => {
  it('drawn points become a CSV that reads back to the same points and classes', async () => {
    const { points, text, rows } = await drawnRows();
    expect(text.split('\n')[0]).toBe('x,y,label');
    expect(rows.count).toBe(24);
    expect(rows.classNames).toEqual(['0', '2']);
    expect(rows.x[2]).toBeCloseTo(points[1].x, 4);
    expect(rows.x[3]).toBeCloseTo(points[1].y, 4);
    expect(Array.from(rows.y.subarray(0, 6))).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it("a link carries the data's description, never its rows, and reads back to the same config", async () => {
    const { rows } = await drawnRows();
    const { config } = fitConfigToCustomData(presetConfig('w2s-copying') as WeakToStrongConfig, describeCustomRows(rows, 'drawn.csv'));
    const link = encodeLink(config, { run: true });
    expect(link.length).toBeLessThan(1500);
    const decoded = decodeLink(link);
    expect(decoded.notices).toEqual([]);
    expect(decoded.config).toEqual(config);
    expect(neededData(decoded.config)).toEqual({ name: 'drawn.csv', sha256: rows.sha256, label: 'label', rows: 24, features: 2, classes: 2 });

    // The rows are found by hash and label column once this tab has them.
    const store = createAppStore({ start: () => 1, cancel() {}, pause() {}, resume() {}, step() {}, setSpeed() {} });
    expect(rowsFor(store.getState(), config)).toBeUndefined();
    store.getState().addCustomRows('drawn.csv', rows);
    expect(rowsFor(store.getState(), config)).toBe(rows);
    expect(rowsFor(store.getState(), parseConfig({ ...config, data: { ...config.data, custom: { ...config.data.custom!, label: 'x' } } }))).toBeUndefined();
    expect(neededData(presetConfig('w2s-copying'))).toBeNull();
  });

  it('a damaged description in a link falls back to the default data, naming what was wrong', async () => {
    const { rows } = await drawnRows();
    const { config } = fitConfigToCustomData(presetConfig('w2s-copying') as WeakToStrongConfig, describeCustomRows(rows, 'drawn.csv'));
    const damaged = { ...config, data: { ...config.data, custom: { ...config.data.custom!, sha256: 'not-a-hash' } } } as WeakToStrongConfig;
    const decoded = decodeLink(encodeLink(damaged));
    expect(decoded.notices[0]).toBe('Replaced by its default: data.custom.sha256: must be 64 lowercase hex digits');
    expect(decoded.notices).toContain(
      'Replaced by its default: data.dataset: "custom" needs data.custom, the description of your file (load a CSV or draw points)',
    );
    expect(decoded.config?.data.dataset).not.toBe('custom');
    expect(decoded.config && customOf(decoded.config)).toBeUndefined();
  });

  it('data an experiment cannot take is refused before it is accepted: the form, its problems and the loaded data stay as they were', async () => {
    const { rows } = await drawnRows();
    const store = createAppStore({ start: () => 1, cancel() {}, pause() {}, resume() {}, step() {}, setSpeed() {} });
    store.getState().loadPreset('teacher-hacking');
    const before = store.getState().customData.rows;
    const refused = applyRowsToForm(store.getState(), 'points.csv', { ...rows, sha256: 'b'.repeat(64) });
    expect(refused).toMatch(/^This data cannot be used with the experiment in the form: the teacher-hacking experiment cannot run on your own data: /);
    expect(store.getState().draft).toEqual(presetConfig('teacher-hacking'));
    expect(store.getState().problems).toEqual([]);
    expect(store.getState().customData.rows).toBe(before);
  });

  it('a file with a 230-character name is accepted under a shortened name, and Run stays possible', async () => {
    const { rows } = await drawnRows();
    const store = createAppStore({ start: () => 1, cancel() {}, pause() {}, resume() {}, step() {}, setSpeed() {} });
    store.getState().loadPreset('w2s-copying');
    const long = `${'x'.repeat(226)}.csv`;
    expect(applyRowsToForm(store.getState(), long, rows)).toBeNull();
    expect(store.getState().problems).toEqual([]);
    expect(customOf(store.getState().draft)?.name).toMatch(/^x{195}….csv$/);
    expect(store.getState().notices[0]).toMatch(/the file's name, 230 characters long, is kept as "x+….csv"/);
  });

  it('a kept copy read back from IndexedDB is used only if it still has the hash the config names', async () => {
    const { text, rows } = await drawnRows();
    const bytes = new TextEncoder().encode(text);
    expect(await verifiedKeptBytes({ sha256: rows.sha256, name: 'd.csv', bytes, savedAt: 1 }, rows.sha256)).toEqual(bytes);
    const altered = bytes.slice();
    altered[20] ^= 1;
    for (const kept of [null, 'text', { bytes: text }, { bytes: Array.from(bytes) }, { bytes: altered }, { bytes: new Uint8Array(0) }]) {
      expect(await verifiedKeptBytes(kept, rows.sha256)).toBeNull();
    }
  });
});
