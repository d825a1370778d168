/**
 * Accessibility: axe-core finds no serious or critical violation on the main views, in normal and lecture mode;
 * charts are named images with a data table to switch to; dialogs take the focus, keep Tab inside and close on
 * Escape, giving the focus back; results edited out of date say so; the phone layout puts results first.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { presetConfig } from '../src/core/presets';
import { waitForStatus } from './pages';

async function seriousViolations(page: Page, view: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${view}: ${v.id} (${v.impact}) at ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 4)
          .join(', ')}: ${v.help}`,
    );
}

test('the main views have no serious or critical accessibility violation, in normal and lecture mode', async ({ page }) => {
  const found: string[] = [];
  for (const preset of ['w2s-mnist', 'w2s-copying']) {
    await page.goto(`/?backend=wasm${encodeLink(presetConfig(preset), { run: true })}`);
    await waitForStatus(page, 'done');
    await page.waitForTimeout(800);
    found.push(...(await seriousViolations(page, `${preset}, normal`)));
    await page.getByTestId('lecture-toggle').click();
    await page.waitForTimeout(500);
    found.push(...(await seriousViolations(page, `${preset}, lecture`)));
    await page.getByTestId('lecture-toggle').click();
  }
  await page.getByTestId('open-gallery').click();
  found.push(...(await seriousViolations(page, 'preset gallery')));
  await page.keyboard.press('Escape');
  await page.getByTestId('open-runs').click();
  found.push(...(await seriousViolations(page, 'runs')));
  await page.keyboard.press('Escape');
  // A chart switched to its data table.
  await page.getByTestId('chart-testAccuracy-table-toggle').click();
  found.push(...(await seriousViolations(page, 'data table')));
  expect(found).toEqual([]);
});

test('charts are named images with a data table to switch to', async ({ page }) => {
  await page.goto(`/?backend=wasm${encodeLink(presetConfig('w2s-copying'), { run: true })}`);
  await waitForStatus(page, 'done');
  const lesson = page.getByTestId('research-chart-beat-copy');
  await expect(lesson.getByRole('img')).toHaveAttribute(
    'aria-label',
    /^Beat or copy: .*against student's training step\. Last values: beats \(the student gets it right\) \d/,
  );
  await lesson.getByRole('button', { name: 'Table' }).click();
  const table = lesson.getByRole('table');
  await expect(table).toBeVisible();
  const state = await page.evaluate(
    () =>
      (
        window as unknown as { distillery: { getState(): { run: { charts: { info: { id: string }; points: Record<string, unknown[]> }[] } } } }
      ).distillery.getState().run.charts,
  );
  const points = state.find((c) => c.info.id === 'beat-copy')!.points.beat.length;
  // A header row, then one row per measurement.
  await expect(table.getByRole('row')).toHaveCount(1 + points);
  await expect(table.getByRole('columnheader')).toHaveText(["student's training step", 'beats (the student gets it right)', 'copies (the same mistake)']);
});

test('dialogs take the focus, keep Tab inside, and close on Escape, giving the focus back', async ({ page }) => {
  await page.goto('/?autorun=0');
  const opener = page.getByTestId('open-gallery');
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'Experiments' });
  await expect(dialog).toBeVisible();
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement)), `Tab ${i + 1} left the dialog`).toBe(true);
  }
  await page.keyboard.press('Shift+Tab');
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
  expect(await page.evaluate(() => (window as unknown as { distillery: { getState(): { run: { status: string } } } }).distillery.getState().run.status)).toBe(
    'idle',
  );
});

test('after an edit the results on screen are marked out of date until the next run', async ({ page }) => {
  await page.goto(`/?backend=wasm${encodeLink(presetConfig('w2s-copying'), { run: true })}`);
  await waitForStatus(page, 'done');
  await expect(page.getByTestId('stale-note')).toHaveCount(0);
  await page.locator('#field-data-noise').fill('0.2');
  await expect(page.getByTestId('stale-note')).toContainText('Out of date');
  await expect(page.getByTestId('stage-summary')).toHaveClass(/stale/);
  await page.getByTestId('run-button').click();
  await waitForStatus(page, 'done', { afterRunId: 1 });
  await expect(page.getByTestId('stale-note')).toHaveCount(0);
  await expect(page.getByTestId('stage-summary')).not.toHaveClass(/stale/);
});

test('on a phone the page fits the screen, results come first and the form folds away', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`./?backend=wasm${encodeLink(presetConfig('w2s-copying'), { run: true })}`);
  await waitForStatus(page, 'done');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expect(page.getByTestId('config-panel')).toBeHidden();
  const cards = await page.getByTestId('stage-summary').boundingBox();
  const toggle = await page.getByTestId('settings-toggle').boundingBox();
  expect(cards!.y).toBeLessThan(toggle!.y);
  await page.getByTestId('settings-toggle').click();
  await expect(page.getByTestId('config-panel')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await context.close();
});
