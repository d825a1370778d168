/**
 * Sharing, teaching and comparing: links that reproduce a run, damaged links, lecture mode, runs kept across
 * reloads, exports, and the built site served from a sub-path.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { decodeLink, encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import { presetConfig } from '../src/core/presets';

/** w2s-copying made quick: a few epochs are enough to show the same numbers twice. */
const copying = presetConfig('w2s-copying') as Extract<ExperimentConfig, { kind: 'weak-to-strong' }>;
const QUICK: ExperimentConfig = parseConfig({
  ...copying,
  supervisor: { ...copying.supervisor, train: { ...copying.supervisor.train, epochs: 3 } },
  student: { ...copying.student, train: { ...copying.student.train, epochs: 2 } },
});

const state = (page: Page) => page.evaluate(() => (window as unknown as { distillery: { getState(): any } }).distillery.getState());

async function runDone(page: Page, runs = 1): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const s = (window as unknown as { distillery: { getState(): any } }).distillery.getState();
      return s.run.status === 'done' && s.run.runId >= n;
    },
    runs,
    { timeout: 120_000 },
  );
}

async function headline(page: Page) {
  const s = await state(page);
  return {
    accuracies: Object.fromEntries(Object.entries(s.run.result.stages).map(([name, stage]: [string, any]) => [name, stage.accuracy])),
    pgr: s.run.result.pgr.final,
  };
}

test('a link copied from the UI reproduces the same accuracies and PGR in a new page', async ({ page, context }) => {
  await page.goto(`/?backend=wasm${encodeLink(QUICK, { run: true })}`);
  await runDone(page);
  const original = await headline(page);
  await page.getByTestId('link-autostart').check();
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(decodeLink(new URL(link).hash).config).toEqual(QUICK);

  const second = await context.newPage();
  await second.goto(link.replace(/#/, '?backend=wasm#'));
  await runDone(second);
  expect(await headline(second)).toEqual(original);
});

test('a damaged link shows a notice and the default page, which runs the default preset', async ({ page }) => {
  const good = encodeLink(QUICK, { run: true });
  await page.goto(`/?backend=wasm${good.slice(0, 40)}%%%${good.slice(60)}`);
  await expect(page.getByTestId('link-notice')).toContainText('could not be read');
  await runDone(page);
  const s = await state(page);
  expect(s.presetId).toBe('w2s-mnist');
  expect(s.run.config).toEqual(presetConfig('w2s-mnist'));
});

test('invalid values in a link are replaced by defaults, each named in the notice', async ({ page }) => {
  const bad = { ...QUICK, seed: -1 } as ExperimentConfig;
  await page.goto(`/?backend=wasm&autorun=0${encodeLink(bad)}`);
  await expect(page.getByTestId('link-notice')).toContainText('Replaced by its default: seed: must be at least 0');
  expect((await state(page)).draft.seed).toBe(1);
});

test('lecture mode hides the controls the link names and tells the story of the preset', async ({ page }) => {
  await page.goto(`/?autorun=0${encodeLink(presetConfig('w2s-mnist'), { lecture: true, hide: ['student.loss', 'supervisor', 'backend', 'matrix'] })}`);
  await expect(page.locator('.app.lecture')).toBeVisible();
  await expect(page.getByTestId('narrative')).toContainText('1/6');
  await page.getByLabel('Next caption').click();
  await expect(page.getByTestId('narrative')).toContainText('2/6');
  await expect(page.getByTestId('role-supervisor')).toHaveCount(0);
  await expect(page.locator('#field-student-loss-type')).toHaveCount(0);
  await expect(page.getByTestId('backend-select')).toHaveCount(0);
  await expect(page.getByTestId('matrix-panel')).toHaveCount(0);
  // What the link did not name stays.
  await expect(page.locator('#field-student-train-epochs')).toBeVisible();
  await expect(page.getByTestId('examples-panel')).toBeVisible();
});

test('finished runs persist across a reload, and two can be overlaid', async ({ page }) => {
  await page.goto(`/?backend=wasm${encodeLink(QUICK, { run: true })}`);
  await runDone(page);
  await page.getByTestId('run-button').click();
  await runDone(page, 2);
  // A fresh load of the page (without the link, so nothing new runs while we look).
  await page.goto('/?autorun=0');
  await page.waitForFunction(() => (window as unknown as { distillery: { getState(): any } }).distillery.getState().savedRuns.length === 2);
  await page.getByTestId('open-runs').click();
  const rows = page.getByTestId('saved-run');
  await expect(rows).toHaveCount(2);
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(1).getByRole('checkbox').check();
  // Two runs x three models: six curves.
  await expect(page.getByTestId('runs-overlay').getByTestId('overlay-curve')).toHaveCount(6);
  expect(Number(await page.getByTestId('runs-overlay-chart').getAttribute('data-points'))).toBeGreaterThan(6);
});

test('the curves CSV holds one row per step and model', async ({ page }) => {
  await page.goto(`/?backend=wasm${encodeLink(QUICK, { run: true })}`);
  await runDone(page);
  await page.getByTestId('export-menu').locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-curves-csv').click()]);
  const lines = readFileSync((await download.path())!, 'utf8')
    .trim()
    .split('\n');
  const s = await state(page);
  const points = s.run.stages.reduce((n: number, stage: any) => n + stage.history.length, 0);
  expect(lines[0]).toBe('stage,step,epoch,loss,test_accuracy,validation_accuracy,learning_rate');
  expect(lines).toHaveLength(1 + points);
  const keys = new Set(lines.slice(1).map((line) => line.split(',').slice(0, 2).join(',')));
  expect(keys.size).toBe(points);
});

test('a chart exports as a PNG of the chart itself', async ({ page }) => {
  await page.goto(`/?backend=wasm${encodeLink(QUICK, { run: true })}`);
  await runDone(page);
  await page.getByTestId('export-menu').locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-accuracy-png').click()]);
  const png = readFileSync((await download.path())!);
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  // Width and height from the IHDR chunk: twice the on-screen chart, far bigger than a legend icon.
  expect(png.readUInt32BE(16)).toBeGreaterThan(400);
  expect(png.readUInt32BE(20)).toBeGreaterThan(150);
});

test.describe('served from a sub-path', () => {
  let server: ChildProcess;
  test.beforeAll(async () => {
    // vite itself, not through npx, so that kill() ends the server.
    server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--port', '4174', '--strictPort', '--base', '/distillery/'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch('http://localhost:4174/distillery/')).ok) return;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the sub-path server did not start');
  });
  test.afterAll(() => {
    server?.kill();
  });

  test('the built site runs the default preset from /distillery/', async ({ page }) => {
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith('http://localhost:4174/distillery/')) outside.push(request.url());
    });
    await page.goto('http://localhost:4174/distillery/?backend=wasm');
    await runDone(page);
    const s = await state(page);
    expect(s.run.result.pgr.final).toBeGreaterThan(0.3);
    expect(outside).toEqual([]);
  });
});

test('a sweep runs every cell, draws PGR as a heat map, and a cell opens as a run', async ({ page }) => {
  await page.goto(`/?backend=wasm&autorun=0${encodeLink(QUICK)}`);
  await page.getByTestId('open-sweep').click();
  // Supervisor: linear only; student: linear and width 64 (the defaults are linear and 16 / linear and 64).
  await page.getByRole('group', { name: 'Supervisor sizes' }).getByLabel('width 16').uncheck();
  await page.getByTestId('start-sweep').click();
  await page.waitForFunction(
    () => {
      const s = (window as unknown as { distillery: { getState(): any } }).distillery.getState();
      return s.sweep && !s.sweep.running && s.sweep.cells.every((c: any) => c.status === 'done');
    },
    undefined,
    { timeout: 150_000 },
  );
  const cells = page.getByTestId('sweep-cell');
  await expect(cells).toHaveCount(2);
  const sweep = (await state(page)).sweep;
  await expect(cells.nth(1)).toContainText(sweep.cells[1].pgr.toFixed(3));
  await expect(page.getByTestId('sweep-scatter').locator('.recharts-scatter-symbol')).toHaveCount(2);
  await cells.nth(1).click();
  await runDone(page, 3);
  const s = await state(page);
  expect(s.run.config).toEqual(sweep.cells[1].config);
  expect(s.run.result.pgr.final).toBeCloseTo(sweep.cells[1].pgr, 10);
});
