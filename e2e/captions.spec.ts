/**
 * Captions bound to the run on screen: their numbers are the cards' numbers, they follow a change of seed, they
 * never quote results made with other settings, they follow the run's stages, and a presentation clicker's keys
 * step through them.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { presetConfig } from '../src/core/presets';
import { displayedAccuracy, parsePercent, setField, waitForStatus } from './pages';

const caption = (page: Page) => page.getByTestId('caption');
const step = (page: Page) => page.getByTestId('narrative-step');

/** The one percentage a caption quotes first, as a fraction. */
async function quoted(page: Page): Promise<number> {
  const text = (await caption(page).textContent()) ?? '';
  const match = /(\d+\.\d)%/.exec(text);
  if (!match) throw new Error(`no percentage in the caption: ${text}`);
  return parsePercent(`${match[1]}%`);
}

/** Goes to caption n (1-based) with the keys a clicker sends. */
async function goTo(page: Page, n: number, total: number) {
  for (let i = 0; i < total; i++) await page.keyboard.press('PageUp');
  await expect(step(page)).toHaveText(`1/${total}`);
  for (let i = 1; i < n; i++) await page.keyboard.press('PageDown');
  await expect(step(page)).toHaveText(`${n}/${total}`);
}

/** The supervisor's and the ceiling's accuracies as the captions state them, and as the cards do. */
async function captionsAndCards(page: Page) {
  await goTo(page, 1, 5);
  const weak = await quoted(page);
  await goTo(page, 2, 5);
  const ceiling = await quoted(page);
  await goTo(page, 4, 5);
  const copyRate = /Copy rate: (\d+\.\d)%/.exec((await caption(page).textContent()) ?? '')?.[1];
  return {
    captions: { weak, ceiling, copyRate },
    cards: {
      weak: await displayedAccuracy(page, 'weak'),
      ceiling: await displayedAccuracy(page, 'ceiling'),
      copyRate: (await page.getByTestId('copy-rate').textContent())?.replace('%', ''),
    },
  };
}

test("a caption's numbers are the run's: change the seed, and they follow the cards", async ({ page }) => {
  await page.goto(`/?backend=wasm${encodeLink(presetConfig('w2s-copying'), { run: true, lecture: true })}`);
  await waitForStatus(page, 'done');
  // Following the run, the captions stand at the last one whose stage the run reached.
  await expect(step(page)).toHaveText('4/5');
  const first = await captionsAndCards(page);
  // One decimal in the caption, two on the card: the same number.
  expect(Math.abs(first.captions.weak - first.cards.weak)).toBeLessThanOrEqual(0.0005 + 1e-9);
  expect(Math.abs(first.captions.ceiling - first.cards.ceiling)).toBeLessThanOrEqual(0.0005 + 1e-9);
  expect(first.captions.copyRate).toBe(first.cards.copyRate);

  // A new seed: until it runs, the results on screen are marked out of date and the captions quote none of them.
  await setField(page, 'field-seed', 2);
  await expect(page.getByTestId('stale-note')).toBeVisible();
  await goTo(page, 1, 5);
  await expect(caption(page)).not.toContainText('%');
  await page.getByTestId('stale-note').getByRole('button').click();
  await waitForStatus(page, 'done', { afterRunId: 1 });
  await expect(page.getByTestId('stale-note')).toHaveCount(0);
  const second = await captionsAndCards(page);
  expect(Math.abs(second.captions.weak - second.cards.weak)).toBeLessThanOrEqual(0.0005 + 1e-9);
  expect(Math.abs(second.captions.ceiling - second.cards.ceiling)).toBeLessThanOrEqual(0.0005 + 1e-9);
  expect(second.captions.copyRate).toBe(second.cards.copyRate);
  // The seed changed the run, and the captions with it.
  expect(second.cards).not.toEqual(first.cards);
  expect(second.captions).not.toEqual(first.captions);
});

test('caption keys: PageDown, arrows, N and P step; never a key that a focused field or button owns', async ({ page }) => {
  await page.goto(`/?autorun=0${encodeLink(presetConfig('w2s-mnist'), { lecture: true })}`);
  await expect(step(page)).toHaveText('1/6');
  await page.keyboard.press('PageDown');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('n');
  await expect(step(page)).toHaveText('4/6');
  await page.keyboard.press('PageUp');
  await page.keyboard.press('p');
  await expect(step(page)).toHaveText('2/6');
  // Typing in a field: the arrow moves the cursor, not the caption.
  await page.locator('#field-seed').focus();
  await page.keyboard.press('ArrowRight');
  await expect(step(page)).toHaveText('2/6');
  // Space on a focused button presses that button; it does not start the run.
  await page.getByTestId('lecture-toggle').focus();
  await page.keyboard.press('Space');
  await expect(page.locator('.app.lecture')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { distillery: { getState(): { run: { status: string } } } }).distillery.getState().run.status)).toBe(
    'idle',
  );
});

test('a copied link keeps the speed and starts the run only when asked', async ({ page }) => {
  await page.goto(`/?autorun=0${encodeLink(presetConfig('w2s-copying'), { speed: 10 })}`);
  await expect(page.locator('.controls select')).toHaveValue('10');
  await page.getByTestId('copy-link').click();
  const still = await page.getByTestId('share-link').inputValue();
  expect(still).toContain('speed=10');
  expect(still).not.toContain('run=1');
  await page.getByTestId('link-autostart').check();
  await page.getByTestId('copy-link').click();
  expect(await page.getByTestId('share-link').inputValue()).toContain('run=1');
});
