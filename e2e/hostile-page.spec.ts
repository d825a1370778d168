/**
 * Hostile use of the page, round two: an unreadable link over an invalid form, a sweep with cells that cannot run,
 * CSV exports of values that look like formulas, and the visitor's own data where Web Crypto is missing, in UTF-16,
 * under a very long name, or offered to an experiment that cannot take it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { collectErrors, openPlayground, readState, setField, shrinkCopyingConfig, waitForStatus, type DistilleryWindow } from './pages';

const state = (page: Page) => page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as DistilleryWindow).distillery.getState())));

/** Two separable blobs in 2-D, labelled with `labels[0]` and `labels[1]`. */
function blobs(labels: [string, string], rows = 120, separator = ','): string {
  const lines = [['u', 'v', 'kind'].join(separator)];
  for (let i = 0; i < rows; i++) {
    const k = i % 2;
    const wobble = (j: number) => ((Math.sin(i * 12.9898 + j * 78.233) * 43758.5453) % 1) / 2;
    lines.push([(3 * k + wobble(1)).toFixed(3), (wobble(2) - k).toFixed(3), labels[k]].join(separator));
  }
  return `${lines.join('\n')}\n`;
}

const file = (name: string, bytes: string | Buffer) => ({ name, mimeType: 'text/csv', buffer: typeof bytes === 'string' ? Buffer.from(bytes) : bytes });

async function openCustomData(page: Page) {
  await page.getByTestId('open-custom-data').click();
  return page.getByTestId('custom-data-sheet');
}

test('an unreadable link after an invalid edit keeps the problems, Run stays off, and Space says why', async ({ page }) => {
  const errors = collectErrors(page);
  await openPlayground(page, { preset: 'w2s-copying', backend: 'wasm', autorun: '0' });
  await setField(page, 'field-student-train-learningRate', 5);
  await expect(page.getByTestId('config-problems')).toContainText('student.train.learningRate');
  await page.evaluate(() => (window.location.hash = '#c=this-is-not-a-config&run=1'));
  await expect(page.getByTestId('link-notice')).toContainText('could not be read');
  await expect(page.getByTestId('config-problems')).toContainText('student.train.learningRate');
  await expect(page.getByTestId('run-button')).toBeDisabled();
  await page.locator('h1').click();
  await page.keyboard.press(' ');
  await expect(page.getByTestId('run-blocked')).toContainText(
    'The experiment cannot run until the form is fixed: student.train.learningRate: must be at most 1',
  );
  const after = await readState(page);
  expect(after.runId).toBe(0);
  expect(after.status).toBe('idle');
  // A preset is a valid config: the problems go, and it runs.
  await page.getByTestId('preset-w2s-copying').click();
  await expect(page.getByTestId('config-problems')).toHaveCount(0);
  await expect(page.getByTestId('run-blocked')).toHaveCount(0);
  await waitForStatus(page, ['running', 'done'], { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('a sweep with cells that cannot run shows them refused with the reason, and runs the others', async ({ page }) => {
  const errors = collectErrors(page);
  await openPlayground(page, { preset: 'w2s-copying', backend: 'wasm', autorun: '0' });
  await shrinkCopyingConfig(page);
  await page.getByTestId('open-sweep').click();
  // The panel offers sizes that fit; a cell too big for the limits is asked for directly, as a script could.
  await page.evaluate(() => (window as unknown as DistilleryWindow).distillery.getState().startSweep([0], [16, 5000]));
  const refused = page.getByTestId('sweep-refused');
  await expect(refused).toContainText('Refused, not run');
  await expect(refused).toContainText('student width 5000: student.model.width: must be at most 1024');
  await page.waitForFunction(
    () => {
      const s = (window as unknown as DistilleryWindow).distillery.getState();
      return s.sweep !== null && !s.sweep.running;
    },
    undefined,
    { timeout: 120_000 },
  );
  const sweep = (await state(page)).sweep;
  expect(sweep.cells.map((c: { status: string }) => c.status)).toEqual(['done', 'refused']);
  await expect(page.getByTestId('sweep-cell').nth(1)).toContainText('refused');
  expect(errors).toEqual([]);
});

test('CSV exports neutralise labels that look like formulas; numbers stay numbers', async ({ page }) => {
  await openPlayground(page, { preset: 'w2s-copying', backend: 'wasm', autorun: '0' });
  const sheet = await openCustomData(page);
  const hostile: [string, string] = ['"=HYPERLINK(""http://evil.example"",""click"")"', '-2+3'];
  await sheet.getByTestId('custom-csv-input').setInputFiles(file('formulas.csv', blobs(hostile)));
  await sheet.getByTestId('custom-label-select').selectOption('kind');
  await sheet.getByTestId('custom-use-csv').click();
  await setField(page, 'field-supervisor-train-epochs', 2);
  await setField(page, 'field-student-train-epochs', 2);
  await page.getByTestId('run-button').click();
  await waitForStatus(page, 'done', { timeout: 90_000 });

  await page.getByTestId('export-menu').locator('summary').click();
  const [examples] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-examples-csv').click()]);
  const text = readFileSync((await examples.path())!, 'utf8');
  const rows = Papa.parse<string[]>(text.trim(), { header: false }).data;
  expect(rows[0]).toEqual(['index', 'truth', 'supervisor', 'student', 'category']);
  const labels = new Set(rows.slice(1).flatMap((row) => row.slice(1, 4)));
  expect([...labels].sort()).toEqual(["'-2+3", `'=HYPERLINK("http://evil.example","click")`]);
  for (const row of rows.slice(1)) expect(row).toHaveLength(5);

  const [curves] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-curves-csv').click()]);
  const curveRows = Papa.parse<string[]>(readFileSync((await curves.path())!, 'utf8').trim(), { header: false }).data.slice(1);
  expect(curveRows.length).toBeGreaterThan(3);
  for (const row of curveRows) for (const cell of row.slice(1)) expect(cell === '' || Number.isFinite(Number(cell))).toBe(true);
});

test.describe("the visitor's own data where it used to dead-end", () => {
  test('without Web Crypto (plain http on a LAN address) a file and drawn points are still hashed and used', async ({ page }) => {
    const errors = collectErrors(page);
    await page.addInitScript(() => Object.defineProperty(window.crypto, 'subtle', { get: () => undefined }));
    await openPlayground(page, { preset: 'w2s-copying', backend: 'wasm', autorun: '0' });
    expect(await page.evaluate(() => window.crypto.subtle === undefined)).toBe(true);
    const text = blobs(['left', 'right']);
    let sheet = await openCustomData(page);
    await sheet.getByTestId('custom-csv-input').setInputFiles(file('blobs.csv', text));
    await sheet.getByTestId('custom-use-csv').click();
    expect((await state(page)).draft.data.custom.sha256).toBe(createHash('sha256').update(text).digest('hex'));

    sheet = await openCustomData(page);
    await page.getByTestId('custom-tab-draw').click();
    const canvas = page.getByTestId('draw-canvas');
    for (const [cls, x0] of [
      [0, 30],
      [1, 200],
    ] as const) {
      await page.getByTestId(`draw-class-${cls}`).click();
      for (let i = 0; i < 12; i++) await canvas.click({ position: { x: x0 + (i % 4) * 25, y: 40 + Math.floor(i / 4) * 70 } });
    }
    await page.getByTestId('custom-use-drawn').click();
    await expect(sheet).toHaveCount(0);
    const s = await state(page);
    expect(s.draft.data.custom).toMatchObject({ rows: 24, features: 2, classes: 2 });
    expect(s.draft.data.custom.name).toBe(`drawn-${s.draft.data.custom.sha256.slice(0, 8)}.csv`);
    expect(s.problems).toEqual([]);
    await expect(page.getByTestId('run-button')).toBeEnabled();
    expect(errors).toEqual([]);
  });

  test('a spreadsheet\'s UTF-16 "Unicode text" file (tab separated, with a byte order mark) is read', async ({ page }) => {
    await openPlayground(page, { preset: 'w2s-copying', backend: 'wasm', autorun: '0' });
    const sheet = await openCustomData(page);
    const text = blobs(['nördlich', 'südlich'], 120, '\t');
    await sheet.getByTestId('custom-csv-input').setInputFiles(file('export.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])));
    await expect(sheet.getByTestId('custom-file')).toContainText('"export.txt": 120 rows, 3 columns');
    await sheet.getByTestId('custom-label-select').selectOption('kind');
    await expect(sheet.getByTestId('custom-csv-summary')).toHaveText('120 rows, 2 feature columns, 2 classes: nördlich (60), südlich (60)');
    await sheet.getByTestId('custom-use-csv').click();
    expect((await state(page)).problems).toEqual([]);
    // UTF-32 is refused, naming the encoding.
    await openCustomData(page);
    await sheet.getByTestId('custom-csv-input').setInputFiles(file('wide.txt', Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0])));
    await expect(sheet.getByTestId('custom-data-error')).toContainText('The file is UTF-32 text');
  });

  test('a file with a 230-character name is accepted under a shortened name and Run stays on', async ({ page }) => {
    await openPlayground(page, { preset: 'w2s-copying', backend: 'wasm', autorun: '0' });
    const sheet = await openCustomData(page);
    const name = `${'measurements-of-the-second-field-season-'.repeat(6).slice(0, 226)}.csv`;
    expect(name).toHaveLength(230);
    await sheet.getByTestId('custom-csv-input').setInputFiles(file(name, blobs(['a', 'b'])));
    await sheet.getByTestId('custom-use-csv').click();
    const s = await state(page);
    expect(s.problems).toEqual([]);
    expect(s.draft.data.custom.name.length).toBeLessThanOrEqual(200);
    expect(s.draft.data.custom.name).toMatch(/^measurements-of-the-second-field-season-.*….csv$/);
    await expect(page.getByTestId('run-button')).toBeEnabled();
    await expect(page.getByTestId('link-notice')).toContainText('230 characters long, is kept as');
  });

  test('an experiment that cannot take custom data refuses a CSV before it is accepted, saying why', async ({ page }) => {
    await openPlayground(page, { preset: 'teacher-hacking', backend: 'wasm', autorun: '0' });
    const before = (await state(page)).draft;
    const sheet = await openCustomData(page);
    await sheet.getByTestId('custom-csv-input').setInputFiles(file('blobs.csv', blobs(['a', 'b'])));
    await expect(sheet.getByTestId('custom-data-error')).toContainText('the teacher-hacking experiment cannot run on your own data');
    await expect(sheet.getByTestId('custom-data-error')).not.toContainText('data.dataset');
    await expect(sheet.getByTestId('custom-use-csv')).toBeDisabled();
    await sheet.getByTestId('custom-data-close').click();
    const after = await state(page);
    expect(after.draft).toEqual(before);
    expect(after.problems).toEqual([]);
  });
});
