/**
 * The visitor's own data: a CSV uploaded from disk (label column chosen in the form) or points drawn by clicking,
 * run as a weak-to-strong experiment; a malformed file explained without losing anything; a link to data this
 * browser lacks.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { WeakToStrongConfig } from '../src/core/experiments/weak-to-strong/spec';
import { readCsvRows } from '../src/core/data/csv';
import { describeCustomRows, fitConfigToCustomData, sha256Hex } from '../src/core/data/custom';
import { presetConfig } from '../src/core/presets';
import { openPlayground, readState, setField, waitForStatus, type DistilleryWindow } from './pages';

/** Three blobs in 4-D; the label (integers) is the first column, and the last column is a continuous feature. */
function blobsCsv(rows = 300, shift = 0): string {
  const lines = ['group,a,b,c,d'];
  for (let i = 0; i < rows; i++) {
    const k = i % 3;
    // A deterministic scatter (no randomness needed: the rows differ by i).
    const wobble = (j: number) => (Math.sin(i * 12.9898 + j * 78.233) * 43758.5453) % 1;
    lines.push(
      [k, 4 * k + wobble(1), -3 * k + wobble(2), 10 + wobble(3), 0.37 * i + shift].map((v) => (typeof v === 'number' ? Number(v.toFixed(4)) : v)).join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

const draft = (page: Page) => page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as DistilleryWindow).distillery.getState().draft)));

/** Two epochs for both models, so a run takes seconds on wasm. */
async function shortTraining(page: Page): Promise<void> {
  await setField(page, 'field-supervisor-train-epochs', 2);
  await setField(page, 'field-student-train-epochs', 3);
  expect((await readState(page)).problems).toEqual([]);
}

test('a CSV from disk: the label column is chosen, weak-to-strong runs on it; a malformed CSV is explained and loses nothing', async ({ page }) => {
  await openPlayground(page, { preset: 'w2s-copying', backend: 'wasm', autorun: '0' });
  await page.getByTestId('open-custom-data').click();
  const sheet = page.getByTestId('custom-data-sheet');
  await expect(sheet).toContainText('5 MB, 20,000 rows, 1,024 feature columns and 50 classes');
  await sheet.getByTestId('custom-csv-input').setInputFiles(csvFile('blobs.csv', blobsCsv()));
  await expect(sheet.getByTestId('custom-file')).toContainText('"blobs.csv": 300 rows, 5 columns');
  // Every column is numeric, so the form offers the last one first: 300 distinct values are too many classes.
  const label = sheet.getByTestId('custom-label-select');
  await expect(label).toHaveValue('d');
  await expect(sheet.getByTestId('custom-data-error')).toContainText('Row 52, column 5 ("d"): "18.5" would be class 51; at most 50 classes');
  await expect(sheet.getByTestId('custom-use-csv')).toBeDisabled();
  await label.selectOption('group');
  await expect(sheet.getByTestId('custom-csv-summary')).toHaveText('300 rows, 4 feature columns, 3 classes: 0 (100), 1 (100), 2 (100)');
  await sheet.getByTestId('custom-use-csv').click();
  await expect(sheet).toHaveCount(0);

  const expectedHash = await sha256Hex(blobsCsv());
  const switched = await draft(page);
  expect(switched.data).toMatchObject({
    dataset: 'custom',
    custom: { name: 'blobs.csv', sha256: expectedHash, label: 'group', rows: 300, features: 4, classes: 3 },
    testSize: 60,
  });
  await expect(page.getByTestId('link-notice')).toContainText('Now using your data "blobs.csv"');
  await expect(page.getByTestId('custom-current')).toContainText('300 rows, 4 features, 3 classes');

  await shortTraining(page);
  await page.getByTestId('run-button').click();
  const done = await waitForStatus(page, 'done', { timeout: 60_000 });
  expect(done.result).toMatchObject({ kind: 'weak-to-strong', dataset: 'custom', stages: ['weak', 'ceiling', 'student'] });
  // Separable blobs: the ceiling is well above chance (1/3).
  expect(done.stages.find((s) => s.name === 'ceiling')!.accuracy).toBeGreaterThan(0.8);
  const before = { draft: await draft(page), accuracy: await page.getByTestId('accuracy-student').textContent() };

  // A malformed file: a message naming the row and the column, and nothing else changes.
  await page.getByTestId('open-custom-data').click();
  const bad = blobsCsv().split('\n');
  bad[6] = '1,oops,2,3,4';
  await sheet.getByTestId('custom-csv-input').setInputFiles(csvFile('bad.csv', bad.join('\n')));
  await expect(sheet.getByTestId('custom-data-error')).toHaveText(
    '"bad.csv": Row 7, column 2 ("a"): "oops" is not a number. Feature columns must hold numbers; only the label column may hold text.',
  );
  await expect(sheet.getByTestId('custom-use-csv')).toBeDisabled();
  await sheet.getByTestId('custom-csv-input').setInputFiles(csvFile('ragged.csv', blobsCsv().replace('\n2,', '\n2,1,')));
  await expect(sheet.getByTestId('custom-data-error')).toContainText('Row 4 has 6 cells but the file has 5 columns: column 6 is extra.');
  await sheet.getByTestId('custom-csv-input').setInputFiles(csvFile('empty.csv', ''));
  await expect(sheet.getByTestId('custom-data-error')).toHaveText('"empty.csv": The file is empty.');
  await sheet.getByTestId('custom-data-close').click();
  const after = await readState(page);
  expect(after.runId).toBe(done.runId);
  expect(after.status).toBe('done');
  expect(await draft(page)).toEqual(before.draft);
  await expect(page.getByTestId('accuracy-student')).toHaveText(before.accuracy ?? '');
});

test('points drawn by clicking: a weak-to-strong run on them shows its decision regions', async ({ page }) => {
  await openPlayground(page, { preset: 'w2s-copying', backend: 'wasm', autorun: '0' });
  await page.getByTestId('open-custom-data').click();
  await page.getByTestId('custom-tab-draw').click();
  const canvas = page.getByTestId('draw-canvas');
  // Class 0 on the left, class 1 on the right (the canvas is 320 px square).
  for (const [cls, x0] of [
    [0, 30],
    [1, 200],
  ] as const) {
    await page.getByTestId(`draw-class-${cls}`).click();
    for (let i = 0; i < 16; i++) await canvas.click({ position: { x: x0 + (i % 4) * 25, y: 30 + Math.floor(i / 4) * 70 } });
  }
  await expect(canvas).toHaveAttribute('data-points', '32');
  await page.getByTestId('draw-undo').click();
  await expect(canvas).toHaveAttribute('data-points', '31');
  await expect(page.getByTestId('draw-class-0')).toHaveText('class 0 (16)');
  await expect(page.getByTestId('draw-class-1')).toHaveText('class 1 (15)');
  await page.getByTestId('custom-use-drawn').click();
  await expect(page.getByTestId('custom-data-sheet')).toHaveCount(0);
  const data = (await draft(page)).data;
  expect(data).toMatchObject({ dataset: 'custom', custom: { label: 'label', rows: 31, features: 2, classes: 2 } });
  expect(data.custom.name).toBe(`drawn-${data.custom.sha256.slice(0, 8)}.csv`);

  await shortTraining(page);
  await page.getByTestId('run-button').click();
  await waitForStatus(page, 'done', { timeout: 60_000 });
  // The supervisor's, the ceiling's and the student's regions side by side.
  await expect(page.getByTestId('regions').getByTestId('regions-canvas')).toHaveCount(3);
  // The decision grid covers the drawn points, and the ceiling's regions hold both classes (left and right).
  const grids = await page.evaluate(() => {
    const { run } = (window as unknown as DistilleryWindow).distillery.getState();
    return { grid: run.start?.grid ?? null, ceiling: Array.from(new Set(run.stages.find((s) => s.name === 'ceiling')?.latestGrid ?? [])).sort() };
  });
  expect(grids.grid?.resolution).toBeGreaterThan(0);
  expect(grids.ceiling).toEqual([0, 1]);
});

test('a link to data this browser lacks names the file and its hash; a different file is refused, the right one runs', async ({ page }) => {
  const text = blobsCsv(240);
  const read = readCsvRows(text, 'group', await sha256Hex(text));
  if (!read.ok) throw new Error(read.error.message);
  const fitted = fitConfigToCustomData(presetConfig('w2s-copying') as WeakToStrongConfig, describeCustomRows(read.value, 'shared.csv'));
  expect(fitted.problems).toEqual([]);
  const config = parseConfig({
    ...fitted.config,
    supervisor: { ...fitted.config.supervisor, train: { ...fitted.config.supervisor.train, epochs: 2 } },
    student: { ...fitted.config.student, train: { ...fitted.config.student.train, epochs: 3 } },
  });
  await page.goto(`./?backend=wasm${encodeLink(config, { run: true })}`);
  const notice = page.getByTestId('custom-data-notice');
  await expect(notice).toContainText('"shared.csv" (240 rows, 4 feature columns, label column "group", 3 classes)');
  await expect(notice.getByTestId('custom-notice-hash')).toHaveText(read.value.sha256);
  await expect(notice).toContainText('Load the file to run the experiment');
  // Nothing ran, and the rest of the page works: the form shows the experiment.
  expect((await readState(page)).status).toBe('idle');
  await expect(page.locator('#field-student-train-epochs')).toHaveValue('3');

  await notice.getByTestId('custom-notice-input').setInputFiles(csvFile('shared.csv', blobsCsv(240, 1)));
  await expect(notice.getByTestId('custom-notice-status')).toContainText('it is a different file (or a changed copy), so the experiment was not run');
  expect((await readState(page)).status).toBe('idle');

  await notice.getByTestId('custom-notice-input').setInputFiles(csvFile('my copy.csv', text));
  const done = await waitForStatus(page, 'done', { timeout: 60_000 });
  await expect(notice).toHaveCount(0);
  expect(done.result?.dataset).toBe('custom');
  const ran = await page.evaluate(() => (window as unknown as DistilleryWindow).distillery.getState().run.config?.data);
  expect(ran).toMatchObject({ dataset: 'custom', custom: { sha256: read.value.sha256 } });

  // A reload finds the file kept in this browser and runs the link by itself.
  await page.reload();
  await waitForStatus(page, 'done', { timeout: 60_000 });
  await expect(page.getByTestId('custom-data-notice')).toHaveCount(0);
});
