/**
 * A look inside: for image data, the first layer of a model that reads the pixels is drawn as one image per unit,
 * coloured by the sign of each pixel's weight, and redrawn as it trains; 2-D data has no such panel.
 */
import { expect, test } from '@playwright/test';
import { waitForStatus } from './pages';

interface LayerWindow {
  distillery: {
    getState(): { run: { stages: { name: string; firstLayer: { step: number; layer: { height: number; width: number; weights: Float32Array } } | null }[] } };
  };
}

test("the linear supervisor's first layer is drawn as one image per digit, blue where a pixel's weight is positive and orange where negative", async ({
  page,
}) => {
  await page.goto('/?preset=w2s-mnist&backend=wasm');
  await waitForStatus(page, 'done');
  const panel = page.getByTestId('look-inside');
  await expect(panel).toBeVisible();
  const units = panel.getByTestId('units').locator('figure');
  await expect(units).toHaveCount(10);
  await expect(units.locator('figcaption')).toHaveText(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  const sent = await page.evaluate(() => {
    const weak = (window as unknown as LayerWindow).distillery.getState().run.stages.find((s) => s.name === 'weak')!.firstLayer!;
    return { step: weak.step, size: weak.layer.height * weak.layer.width, weights: Array.from(weak.layer.weights) };
  });
  await expect(panel.locator('.look-inside-head')).toContainText(`step ${sent.step}`);
  expect(sent.step).toBeGreaterThan(0);
  // For digits 0 and 1: the pixel with the largest weight is drawn blue, the one with the most negative orange.
  for (const unit of [0, 1]) {
    const own = sent.weights.slice(unit * sent.size, (unit + 1) * sent.size);
    const [top, bottom] = [own.indexOf(Math.max(...own)), own.indexOf(Math.min(...own))];
    const drawn = await units
      .nth(unit)
      .locator('canvas')
      .evaluate(
        (canvas: HTMLCanvasElement, pixels) => {
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          return pixels.map((p) => [data[4 * p], data[4 * p + 1], data[4 * p + 2]]);
        },
        [top, bottom],
      );
    const [blue, orange] = drawn;
    expect(blue[2], `digit ${unit}: its strongest pixel is blue`).toBeGreaterThan(blue[0] + 100);
    expect(orange[0], `digit ${unit}: its most negative pixel is orange`).toBeGreaterThan(orange[2] + 100);
  }
});

test('2-D data has no look inside', async ({ page }) => {
  await page.goto('/?preset=w2s-copying&backend=wasm');
  await waitForStatus(page, 'done');
  await expect(page.getByTestId('matrix-panel')).toBeVisible();
  await expect(page.getByTestId('look-inside')).toHaveCount(0);
});
