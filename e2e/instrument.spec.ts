/**
 * The page as an instrument: a trained model leaves the page in TensorFlow.js layers format and, loaded with
 * tf.loadLayersModel in Node, predicts what the run predicted; the per-class view and the reliability diagram show
 * the run's own numbers; two kept runs are named by what differs from their preset and their configs compared.
 */
import { expect, test, type Download, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import { presetConfig } from '../src/core/presets';
import { tf } from '../src/core/tf';
import { startNodeBackend } from '../src/node/node-backend';
import { collectErrors, waitForStatus, type DistilleryWindow } from './pages';

type Any = Record<string, any>;

/** w2s-mnist, small enough for a test: its student a frozen pretrained encoder with an MLP head. */
const mnist = presetConfig('w2s-mnist') as Any;
const SMALL_MNIST: ExperimentConfig = parseConfig({
  ...mnist,
  data: { ...mnist.data, transferSize: 1000, testSize: 500 },
  supervisor: { ...mnist.supervisor, train: { ...mnist.supervisor.train, epochs: 10 } },
  student: { ...mnist.student, model: { ...mnist.student.model, head: 'mlp', headWidth: 32 }, train: { ...mnist.student.train, epochs: 2 } },
});

/** Clicks `button` and saves the downloads it starts (count of them) under their own names in `dir`. */
async function downloadsOf(page: Page, click: () => Promise<void>, count: number, dir: string): Promise<string[]> {
  const downloads: Download[] = [];
  const collect = (download: Download) => downloads.push(download);
  page.on('download', collect);
  await click();
  await expect.poll(() => downloads.length).toBe(count);
  page.off('download', collect);
  const names: string[] = [];
  for (const download of downloads) {
    const name = download.suggestedFilename();
    await download.saveAs(join(dir, name));
    names.push(name);
  }
  return names;
}

/** tf.loadLayersModel on a folder of files, as a static server would hand them out: model.json, then the files its manifest names. */
function loadFromFolder(dir: string, modelJson: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel({
    load: () =>
      tf.io.getModelArtifactsForJSON(JSON.parse(readFileSync(join(dir, modelJson), 'utf8')) as tf.io.ModelJSON, async (manifest) => {
        const buffers = manifest.flatMap((group) => group.paths.map((path) => readFileSync(join(dir, path))));
        const bytes = Buffer.concat(buffers);
        return [manifest.flatMap((group) => group.weights), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)];
      }),
  });
}

test('each trained model downloads as model.json + weights that tf.loadLayersModel loads and that predict what the run predicted', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(`./?backend=wasm${encodeLink(SMALL_MNIST, { run: true })}`);
  await waitForStatus(page, 'done');
  const run = await page.evaluate(() => {
    const { run } = (window as unknown as DistilleryWindow).distillery.getState();
    return {
      features: Array.from(run.start!.test.features),
      featureShape: run.start!.test.featureShape,
      labels: Array.from(run.start!.test.labels),
      config: run.config,
      stages: Object.fromEntries(run.stages.map((s) => [s.name, { accuracy: s.result!.accuracy, predictions: Array.from(s.result!.testPredictions) }])),
    };
  });
  const rows = run.labels.length;
  expect(rows).toBe(500);

  await page.getByTestId('export-menu').locator('summary').click();
  for (const name of ['weak', 'ceiling', 'student']) await expect(page.getByTestId(`export-model-${name}`)).toBeVisible();
  await startNodeBackend('cpu');
  const dir = mkdtempSync(join(tmpdir(), 'distillery-model-'));
  const x = tf.tensor2d(run.features, [rows, 784]);
  for (const name of ['student', 'weak']) {
    const files = await downloadsOf(page, () => page.getByTestId(`export-model-${name}`).click(), 2, dir);
    const base = `distillery-weak-to-strong-seed1-${name}`;
    expect(files.sort()).toEqual([`${base}.json`, `${base}.weights.bin`]);
    const modelJson = JSON.parse(readFileSync(join(dir, `${base}.json`), 'utf8'));
    // model.json names the weights file downloaded beside it.
    expect(modelJson.weightsManifest[0].paths).toEqual([`${base}.weights.bin`]);
    expect(modelJson.format).toBe('layers-model');

    const model = await loadFromFolder(dir, `${base}.json`);
    const classes = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, -1));
    const predicted = Array.from(await classes.data());
    classes.dispose();
    // The very predictions of the run (page on wasm, here on cpu): the same class for every test example.
    expect(predicted).toEqual(run.stages[name].predictions);
    // (The run's accuracy is measured on the device, in float32.)
    expect(predicted.filter((c, i) => c === run.labels[i]).length / rows).toBeCloseTo(run.stages[name].accuracy, 6);

    // Its config and results travel in model.json.
    const meta = (model.getUserDefinedMetadata() as Any).distillery;
    expect(meta.config).toEqual(run.config);
    expect(meta.results.name).toBe(name);
    expect(meta.results.accuracy).toBe(run.stages[name].accuracy);
    expect(meta.classNames).toHaveLength(10);
    expect(meta.input.features).toBe(784);
    model.dispose();
  }
  x.dispose();

  // Per class: the matrix's rows count each class's test examples and its diagonal the right answers.
  await page.getByTestId('export-menu').locator('summary').click();
  await page.getByTestId('open-classes').click();
  const panel = page.getByTestId('classes-panel');
  await expect(panel.getByTestId('classes-model')).toHaveValue('student');
  for (const name of ['student', 'weak']) {
    await panel.getByTestId('classes-model').selectOption(name);
    const predictions = run.stages[name].predictions;
    const cell = (t: number, p: number) => run.labels.filter((label, i) => label === t && predictions[i] === p).length;
    for (const [t, p] of [
      [0, 0],
      [3, 5],
      [4, 9],
      [7, 7],
      [9, 4],
    ]) {
      const count = cell(t, p);
      await expect(panel.getByTestId(`confusion-${t}-${p}`), `row ${t}, column ${p}`).toHaveText(count > 0 ? String(count) : '');
    }
    await expect(panel.getByTestId('confusion-row')).toHaveCount(10);
    // The reliability diagram's bins count every test example; the ECE is the run's own.
    const ece = await page.evaluate(
      (stage) =>
        (window as unknown as DistilleryWindow).distillery
          .getState()
          .run.stages.find((s) => s.name === stage)!
          .result!.ece.toFixed(3),
      name,
    );
    await expect(panel.getByTestId('ece-value')).toHaveText(ece);
    const counts = await panel.getByTestId('reliability-bin').evaluateAll((bins) => bins.map((b) => Number(b.getAttribute('data-count'))));
    expect(counts).toHaveLength(10);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(rows);
  }
  expect(errors).toEqual([]);
});

const copying = presetConfig('w2s-copying') as Any;
const QUICK: ExperimentConfig = parseConfig({
  ...copying,
  supervisor: { ...copying.supervisor, train: { ...copying.supervisor.train, epochs: 3 } },
  student: { ...copying.student, train: { ...copying.student.train, epochs: 2 } },
});
const OTHER: ExperimentConfig = parseConfig({ ...QUICK, seed: 2, student: { ...QUICK.student, train: { ...QUICK.student.train, epochs: 3 } } } as Any);

test('kept runs are named by what differs from their preset; two of them show their config diff and distinct curves', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(`./?backend=wasm${encodeLink(QUICK, { run: true })}`);
  await waitForStatus(page, 'done');
  await page.goto(`./?backend=wasm&second=1${encodeLink(OTHER, { run: true })}`);
  await waitForStatus(page, 'done');
  await expect.poll(() => page.evaluate(() => (window as unknown as DistilleryWindow).distillery.getState().savedRuns.length)).toBe(2);

  await page.getByTestId('open-runs').click();
  const panel = page.getByTestId('runs-panel');
  await expect(panel.getByTestId('run-name')).toHaveText([
    'w2s-copying, supervisor.train.epochs 20 -> 3, student.train.epochs 20 -> 3, seed 2',
    'w2s-copying, supervisor.train.epochs 20 -> 3, student.train.epochs 20 -> 2, seed 1',
  ]);
  for (const row of await panel.getByTestId('saved-run').all()) await row.getByRole('checkbox').check();
  // Smoothing is off until asked for.
  await expect(panel.getByTestId('smoothing')).toHaveValue('0');

  const diffRows = () => panel.getByTestId('diff-row').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
  // A is the newest run ticked, B the other: every setting that differs, and nothing else.
  expect(await diffRows()).toEqual([
    ['seed', '2', '1'],
    ['student.train.epochs', '3', '2'],
  ]);
  const ids = await panel.getByTestId('saved-run').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')!));
  await panel.getByTestId('diff-a').selectOption(ids[1]);
  await expect(panel.getByTestId('diff-b')).toHaveValue(ids[0]);
  expect(await diffRows()).toEqual([
    ['seed', '1', '2'],
    ['student.train.epochs', '2', '3'],
  ]);
  // The same run on both sides is not offered: B moves to the other run.
  await panel.getByTestId('diff-b').selectOption(ids[1]);
  await expect(panel.getByTestId('diff-a')).toHaveValue(ids[1]);
  await expect(panel.getByTestId('diff-b')).not.toHaveValue(ids[1]);

  // Two runs x three models: six curves, each its own colour (a hue per run, a shade and dash per model).
  const colors = await panel.getByTestId('overlay-curve').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-color')));
  expect(colors).toHaveLength(6);
  expect(new Set(colors).size).toBe(6);
  expect(Number(await panel.getByTestId('runs-overlay-chart').getAttribute('data-points'))).toBeGreaterThan(6);
  expect(errors).toEqual([]);
});
