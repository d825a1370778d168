/**
 * Every backend trains the 2-D moons experiment (shrunk through the form) and learns it: a working backend
 * gets the student well above chance, a broken one (wrong gradients, garbage reads) stays near 50%.
 */
import { expect, test } from '@playwright/test';
import { openPlayground, readState, shrinkCopyingConfig, waitForStatus, type Backend, type DistilleryWindow } from './pages';

const BACKENDS: Backend[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

for (const backend of BACKENDS) {
  test(`backend ${backend} trains the moons experiment`, async ({ page }) => {
    await openPlayground(page, { preset: 'w2s-copying', backend, autorun: '0' });
    await expect(page.getByTestId('backend-select')).toHaveValue(backend);

    if (backend === 'webgpu') {
      // The browser itself must offer a WebGPU adapter, or "webgpu" below could only be a mislabelled fallback.
      const adapter = await page.evaluate(async () => {
        const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<object | null> } }).gpu;
        return gpu ? (await gpu.requestAdapter()) !== null : false;
      });
      expect(adapter, 'this Chromium offers no WebGPU adapter (is --enable-unsafe-webgpu set?)').toBe(true);
    }

    await shrinkCopyingConfig(page);
    await page.getByTestId('run-button').click();
    const state = await waitForStatus(page, 'done', { timeout: 150_000 });

    expect(state.backend?.name).toBe(backend);
    // An explicit choice that started needs no fallback: nothing was skipped.
    expect(state.backend?.reason).toBe('chosen by you');
    expect(state.backend?.skipped).toEqual([]);
    await expect(page.getByTestId('backend-badge')).toContainText(`running on ${backend}`);

    const student = state.stages.find((s) => s.name === 'student');
    expect(student?.accuracy, `student accuracy on ${backend}`).toBeGreaterThan(0.7);

    // The result records tf.getBackend() in the worker: the backend tfjs really ran on, not just the report.
    const recorded = await page.evaluate(() => (window as unknown as DistilleryWindow).distillery.getState().run.result?.backend);
    expect(recorded).toBe(backend);
    expect((await readState(page)).problems).toEqual([]);
  });
}
