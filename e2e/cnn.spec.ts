/**
 * A CNN trains on every backend, the automatic choice included. tfjs 4.22's wasm backend has no
 * Conv2DBackpropFilter; where the WebGPU adapter is a software fallback (as here) the automatic choice is wasm,
 * and every CNN stopped at its first step with "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'",
 * and again on "Run again". The config is tiny: WebGPU here is SwiftShader, about 100 ms a step.
 */
import { expect, test } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import { collectErrors, readState, waitForStatus, type Backend, type DistilleryWindow, type RunSnapshot } from './pages';

/** Distillation on the 8x8 digits with a CNN student (and baseline): 30 CNN steps. */
const TINY_CNN: ExperimentConfig = parseConfig({
  kind: 'distillation',
  seed: 1,
  data: { dataset: 'digits', trainSize: 300, labelledSize: 100, validationSize: 0, testSize: 200 },
  teacher: { model: { type: 'linear' }, train: { learningRate: 0.05, batchSize: 32, epochs: 3, evalEvery: 10 } },
  student: {
    model: { type: 'cnn', filters: 2, denseWidth: 0 },
    train: { learningRate: 0.03, batchSize: 32, epochs: 3, evalEvery: 10 },
    loss: { type: 'kd', temperature: 2, alpha: 0.5 },
  },
});

function accuracies(state: RunSnapshot): Record<string, number | null> {
  return Object.fromEntries(state.stages.map((s) => [s.name, s.accuracy]));
}

function expectTrainedCnn(state: RunSnapshot, backend: string): void {
  expect(state.error, `error on ${backend}`).toBeNull();
  expect(state.stages.map((s) => s.status)).toEqual(['done', 'done', 'done']);
  // Ten classes: chance is 10%. The distilled CNN reaches about 48% in its 30 steps, the teacher about 91%.
  const { teacher, student } = accuracies(state);
  expect(teacher, `teacher on ${backend}`).toBeGreaterThan(0.8);
  expect(student, `CNN student on ${backend}`).toBeGreaterThan(0.3);
}

for (const backend of ['auto', 'wasm', 'cpu', 'webgl', 'webgpu'] as const satisfies readonly ('auto' | Backend)[]) {
  test(`a CNN trains on ${backend === 'auto' ? 'the automatic choice' : backend}${backend === 'auto' ? ', and again on Run' : ''}`, async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto(`./?backend=${backend}${encodeLink(TINY_CNN, { run: true })}`);
    const done = await waitForStatus(page, 'done', { timeout: 150_000 });
    expectTrainedCnn(done, backend);
    const ran = done.backend!.name;
    if (backend === 'auto') {
      // Here the WebGPU adapter is SwiftShader, so the choice is wasm; on a real GPU it is WebGPU.
      if (done.backend!.skipped.some((s) => s.includes('software fallback'))) expect(ran).toBe('wasm');
    } else {
      expect(done.backend).toEqual({ name: backend, reason: 'chosen by you', skipped: [] });
    }
    await expect(page.getByTestId('backend-badge')).toContainText(`running on ${ran}`);
    // The backend tfjs really ran on, as the worker recorded it.
    expect(await page.evaluate(() => (window as unknown as DistilleryWindow).distillery.getState().run.result?.backend)).toBe(ran);

    if (backend === 'auto') {
      await page.getByTestId('run-button').click();
      const again = await waitForStatus(page, 'done', { timeout: 150_000, afterRunId: done.runId });
      expectTrainedCnn(again, `${ran}, run again`);
      expect(again.backend?.name).toBe(ran);
      // Same seed, same backend: the same numbers.
      expect(accuracies(again)).toEqual(accuracies(done));
    }
    expect((await readState(page)).problems).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test("a CNN trains on wasm's multithreaded binary (shared memory) with the single-threaded binary's numbers", async ({ page }) => {
  const errors = collectErrors(page);
  const wasmFiles: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasmFiles.push(new URL(request.url()).pathname.split('/').pop()!);
  });
  await page.goto(`./?backend=wasm&wasm-threads=off${encodeLink(TINY_CNN, { run: true })}`);
  const single = await waitForStatus(page, 'done', { timeout: 60_000 });
  await page.goto('about:blank');
  await page.goto(`./?backend=wasm&wasm-threads=on${encodeLink(TINY_CNN, { run: true })}`);
  const threaded = await waitForStatus(page, 'done', { timeout: 60_000 });
  // The preview server sends COOP/COEP, so the page is cross-origin isolated and may load the threaded binary.
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  expect(wasmFiles.some((f) => f.startsWith('tfjs-backend-wasm-threaded-simd-'))).toBe(true);
  expectTrainedCnn(threaded, 'threaded wasm');
  expect(accuracies(threaded)).toEqual(accuracies(single));
  expect(errors).toEqual([]);
});
