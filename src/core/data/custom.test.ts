/**
 * The visitor's own data through the engine: a CSV read into rows, a config that names it, splits and training
 * that are the same for the same seed, and refusals when the rows are missing or are other data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../node/node-assets';
import { startNodeBackend } from '../../node/node-backend';
import { parseConfig, safeParseConfig } from '../config/read';
import type { WeakToStrongConfig } from '../experiments/weak-to-strong/spec';
import { runExperiment } from '../experiments/registry';
import type { ExperimentResult } from '../experiments/contract';
import { presetConfig } from '../presets';
import { createRng } from '../rng';
import { readCsvRows, type CustomRows } from './csv';
import { CustomDataError, describeCustomRows, fitConfigToCustomData, sha256Hex } from './custom';
import { buildSplits } from './splits';

/** Three well-separated blobs in 3-D with text labels, on a scale far from standardised (centred near 100). */
function blobsCsv(rows: number): string {
  const rng = createRng(7);
  const lines = ['height,weight,age,kind'];
  const centres = [
    [100, 50, 20],
    [110, 40, 30],
    [90, 60, 40],
  ];
  for (let i = 0; i < rows; i++) {
    const k = rng.int(3);
    const point = centres[k].map((c) => (c + 3 * rng.normal()).toFixed(3));
    lines.push(`${point.join(',')},${['ant', 'bee', 'cat'][k]}`);
  }
  return `${lines.join('\n')}\n`;
}

async function load(text: string): Promise<CustomRows> {
  const result = readCsvRows(text, 'kind', await sha256Hex(text));
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Everything but wall-clock times. */
const numbers = (result: ExperimentResult): unknown =>
  JSON.parse(JSON.stringify(result, (key, value) => (key === 'seconds' ? undefined : ArrayBuffer.isView(value) ? Array.from(value as Int32Array) : value)));

describe('custom data in the engine', () => {
  let rows: CustomRows;
  let config: WeakToStrongConfig;
  beforeAll(async () => {
    await startNodeBackend('wasm');
    rows = await load(blobsCsv(600));
    // w2s-copying's models and training, shortened, on the file.
    const base = presetConfig('w2s-copying') as WeakToStrongConfig;
    const fitted = fitConfigToCustomData(base, describeCustomRows(rows, 'blobs.csv'));
    expect(fitted.problems).toEqual([]);
    config = parseConfig({
      ...fitted.config,
      supervisor: { ...fitted.config.supervisor, train: { ...fitted.config.supervisor.train, epochs: 3 } },
      student: { ...fitted.config.student, train: { ...fitted.config.student.train, epochs: 3 } },
    }) as WeakToStrongConfig;
  });

  it('hashes the file bytes with SHA-256', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(rows.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fits split sizes to the rows and names the data in the config', () => {
    expect(config.data).toMatchObject({
      dataset: 'custom',
      custom: { name: 'blobs.csv', sha256: rows.sha256, label: 'kind', rows: 600, features: 3, classes: 3 },
      testSize: 120,
    });
    const { supervisorSize, transferSize, validationSize } = config.data;
    expect(supervisorSize + transferSize + validationSize + config.data.testSize).toBeLessThanOrEqual(600);
    // The schema's cross-field checks use the file's row count and classes.
    const tooBig = safeParseConfig({ ...config, data: { ...config.data, transferSize: 600 } });
    expect(tooBig.ok ? [] : tooBig.problems).toEqual([expect.stringMatching(/exceeds the 600 examples of your data "blobs\.csv"/)]);
    const cnn = safeParseConfig({ ...config, supervisor: { ...config.supervisor, model: { type: 'cnn' } } });
    expect(cnn.ok ? [] : cnn.problems).toEqual(['supervisor.model.type: a CNN needs an image dataset; your data "blobs.csv" is tabular']);
    // A pretrained student (the default preset) is replaced by an MLP, and said so.
    const fromMnist = fitConfigToCustomData(presetConfig('w2s-mnist') as WeakToStrongConfig, config.data.custom!);
    expect(fromMnist.problems).toEqual([]);
    expect(fromMnist.config.student.model.type).toBe('mlp');
    expect(fromMnist.changes).toContain('student.model: pretrained encoders ship only for MNIST and Fashion-MNIST; replaced by an MLP');
  });

  it('splits reproducibly from the seed, standardised with the training rows only', async () => {
    const request = {
      dataset: 'custom' as const,
      noise: 0,
      testSize: 120,
      parts: [
        { name: 'A', size: 100 },
        { name: 'B', size: 380 },
      ],
      custom: config.data.custom,
      customRows: rows,
    };
    const a = await buildSplits(request, 1, nodeAssetSource());
    const b = await buildSplits(request, 1, nodeAssetSource());
    const c = await buildSplits(request, 2, nodeAssetSource());
    expect(a.parts.B.x).toEqual(b.parts.B.x);
    expect(a.test.y).toEqual(b.test.y);
    expect(a.parts.B.x).not.toEqual(c.parts.B.x);
    expect(a).toMatchObject({ datasetId: 'custom', name: 'blobs.csv', kind: 'tabular', featureShape: [3], classNames: ['ant', 'bee', 'cat'] });
    expect(a.test.count + a.parts.A.count + a.parts.B.count).toBe(600);
    // The training pool (all 480 non-test rows, here A and B) has mean 0 and variance 1 in every column.
    for (let column = 0; column < 3; column++) {
      const values = [a.parts.A, a.parts.B].flatMap((set) => Array.from({ length: set.count }, (_, i) => set.x[i * 3 + column]));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
      expect(Math.abs(mean)).toBeLessThan(1e-4);
      expect(variance).toBeCloseTo(1, 3);
    }
    // The rows handed over are not changed.
    expect(rows.x[0]).toBeGreaterThan(50);
  });

  it('trains on the file, and the same config and seed give the same numbers', async () => {
    const first = await runExperiment(config, { assets: nodeAssetSource(), customRows: rows });
    const second = await runExperiment(config, { assets: nodeAssetSource(), customRows: rows });
    expect(numbers(second)).toEqual(numbers(first));
    expect(first.dataset).toMatchObject({ id: 'custom', name: 'blobs.csv', classNames: ['ant', 'bee', 'cat'], testSize: 120 });
    // Separable blobs: the ceiling learns them well above chance (1/3).
    expect(first.stages.ceiling.accuracy).toBeGreaterThan(0.8);
    expect(first.stages.weak.accuracy).toBeGreaterThan(0.5);
  }, 120_000);

  it('refuses to run without the rows, or on other data than the config names', async () => {
    await expect(runExperiment(config, { assets: nodeAssetSource() })).rejects.toThrow(CustomDataError);
    await expect(runExperiment(config, { assets: nodeAssetSource() })).rejects.toThrow(
      /needs your data file "blobs\.csv" \(SHA-256 [0-9a-f]{12}\.\.\.\), which was not loaded/,
    );
    const other = await load(blobsCsv(601));
    await expect(runExperiment(config, { assets: nodeAssetSource(), customRows: other })).rejects.toThrow(/is not the file "blobs\.csv"/);
    const relabelled = { ...rows, classNames: ['ant', 'bee'] };
    await expect(runExperiment(config, { assets: nodeAssetSource(), customRows: relabelled })).rejects.toThrow(
      /2 classes with label "kind"; the config says 600, 3, 3/,
    );
  });
});
