/**
 * Slide-ready exports: every chart, research plots included, downloads as an SVG with its title, legend and axis
 * names in the page's font, and as a PNG at twice the SVG's size.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { presetConfig } from '../src/core/presets';
import { waitForStatus } from './pages';

async function downloaded(page: Page, testId: string): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return readFileSync((await download.path())!);
}

test('every chart exports as an SVG with title, legend and axis names in the page font, and as a 2x PNG', async ({ page }) => {
  await page.goto(`/?backend=wasm${encodeLink(presetConfig('w2s-copying'), { run: true })}`);
  await waitForStatus(page, 'done');
  const font = await page.evaluate(() => getComputedStyle(document.documentElement).fontFamily);
  const charts = [
    { id: 'chart-testAccuracy', title: 'Test accuracy', legend: ['Weak supervisor', 'Strong ceiling', 'Student'], axes: ['training step', 'test accuracy'] },
    { id: 'chart-loss', title: 'Training loss', legend: ['Weak supervisor', 'Student'], axes: ['training step', 'training loss'] },
    {
      id: 'research-chart-beat-copy',
      title: 'Beat or copy',
      legend: ['beats (the student gets it right)', 'copies (the same mistake)'],
      axes: ["student's training step"],
    },
  ];
  for (const chart of charts) {
    const svg = (await downloaded(page, `${chart.id}-svg`)).toString('utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const text of [chart.title, ...chart.legend, ...chart.axes]) expect(svg, `${chart.id}: ${text}`).toContain(`>${text.replace(/'/g, '&apos;')}`);
    expect(svg).toContain(`font-family="${font.replace(/"/g, '&quot;').replace(/'/g, '&apos;')}"`);
    expect(svg).toMatch(/<path d="M[\d.]+,[\d.]+L/);
    const png = await downloaded(page, `${chart.id}-png`);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    const size = /width="(\d+)" height="(\d+)"/.exec(svg)!;
    expect([width, height]).toEqual([2 * Number(size[1]), 2 * Number(size[2])]);
  }
});
