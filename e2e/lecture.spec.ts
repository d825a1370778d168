/**
 * The lecture hall: lecture mode at 1920x1080 has no text under 18 px (chart ticks and canvases included) and puts
 * each preset's lesson (cards, lesson plot, matrix) in view without scrolling; at 1280x720, in both modes, no card
 * text overflows its card.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import { presetConfig } from '../src/core/presets';
import { waitForStatus } from './pages';

/** Presets chosen for their layouts: images and a matrix, 2-D regions, seven cards with three plots; kd-variants made small. */
const kdVariants = presetConfig('kd-variants') as Extract<ExperimentConfig, { kind: 'kd-variants' }>;
const CASES: { name: string; config: ExperimentConfig }[] = [
  { name: 'w2s-mnist', config: presetConfig('w2s-mnist') },
  { name: 'w2s-copying', config: presetConfig('w2s-copying') },
  {
    name: 'kd-variants (small)',
    config: parseConfig({
      ...kdVariants,
      data: { ...kdVariants.data, trainSize: 2000, labelledSize: 300 },
      teacher: { ...kdVariants.teacher, train: { ...kdVariants.teacher.train, epochs: 1 } },
      student: { ...kdVariants.student, train: { ...kdVariants.student.train, epochs: 2 } },
    }),
  },
];

async function runInLecture(page: Page, config: ExperimentConfig, size: { width: number; height: number }) {
  await page.setViewportSize(size);
  await page.goto(`/?backend=wasm${encodeLink(config, { run: true, lecture: true })}`);
  await waitForStatus(page, 'done', { timeout: 170_000 });
  // Recharts takes over from the canvas after the run, a deferred render later.
  await page.waitForTimeout(1000);
}

/** Every piece of text on the screen with its computed size; canvases draw their ticks at their box's size. */
function textSizes(page: Page) {
  return page.evaluate(() => {
    const found: { size: number; text: string; where: string }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const element = node.parentElement;
      if (!text || !element) continue;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden') continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const shown = [...range.getClientRects()].some(
        (r) => r.width > 1 && r.height > 1 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
      );
      if (shown) found.push({ size: parseFloat(style.fontSize), text: text.slice(0, 40), where: `${element.tagName}.${element.getAttribute('class') ?? ''}` });
    }
    for (const box of document.querySelectorAll<HTMLElement>('.live-chart')) {
      const r = box.getBoundingClientRect();
      if (r.width > 0 && r.height > 0)
        found.push({ size: parseFloat(getComputedStyle(box).fontSize), text: '(canvas ticks)', where: box.dataset.testid ?? '' });
    }
    return found;
  });
}

/** Text in a stage card that runs past its own box or past the card's edges. */
function cardOverflows(page: Page) {
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const card of document.querySelectorAll<HTMLElement>('[data-testid="stage-summary"] .stage-card')) {
      const edge = card.getBoundingClientRect();
      for (const element of [card, ...card.querySelectorAll<HTMLElement>('*')]) {
        const style = getComputedStyle(element);
        if (style.display === 'none' || !element.textContent?.trim()) continue;
        if (element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0)
          problems.push(`"${element.textContent.trim().slice(0, 30)}" is ${element.scrollWidth} px wide in a ${element.clientWidth} px box`);
        const r = element.getBoundingClientRect();
        if (element !== card && (r.left < edge.left - 1 || r.right > edge.right + 1 || r.bottom > edge.bottom + 1))
          problems.push(`"${element.textContent.trim().slice(0, 30)}" runs past its card (${Math.round(r.right)} > ${Math.round(edge.right)})`);
      }
    }
    return problems;
  });
}

for (const { name, config } of CASES) {
  test(`lecture mode at 1920x1080, ${name}: no text under 18 px, the lesson in view without scrolling`, async ({ page }) => {
    await runInLecture(page, config, { width: 1920, height: 1080 });
    const sizes = await textSizes(page);
    expect(sizes.length).toBeGreaterThan(50);
    const small = sizes.filter((s) => s.size < 18);
    expect(small, 'text under 18 px').toEqual([]);
    expect(Math.min(...sizes.map((s) => s.size))).toBeGreaterThanOrEqual(18);
    // The lesson: cards, the lesson plot with its takeaway, the matrix, all inside the window.
    for (const part of [page.getByTestId('stage-summary'), page.locator('.lesson-plot'), page.getByTestId('takeaway'), page.getByTestId('matrix-panel')]) {
      const box = await part.boundingBox();
      expect(box, 'a part of the lesson is missing').not.toBeNull();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(1080);
      expect(box!.x + box!.width).toBeLessThanOrEqual(1920);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1920);
  });
}

test('at 1280x720 no card text overflows its card, in normal and in lecture mode', async ({ page }) => {
  for (const { config } of CASES.slice(0, 2)) {
    await runInLecture(page, config, { width: 1280, height: 720 });
    expect(await cardOverflows(page), 'lecture mode').toEqual([]);
    await page.getByTestId('lecture-toggle').click();
    await expect(page.locator('.app.lecture')).toHaveCount(0);
    expect(await cardOverflows(page), 'normal mode').toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  }
});
