/**
 * Stop takes effect at once for the slowest configs a link may carry (src/core/experiments/worst-configs.ts), and
 * a worker that no longer answers does not take Stop, Reset or the presets down with it: the page shows the run
 * stopped, ends the worker, and the next run starts on a new one.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import { WORST_CONFIGS } from '../src/core/experiments/worst-configs';
import { presetConfig } from '../src/core/presets';
import { readState, waitForStatus, type DistilleryWindow } from './pages';
import { injectIntoWorker, trackWorkers, workerFigures } from './workers';

/** Clicks Stop and returns the milliseconds until the page reads the run as stopped (measured in the page). */
function stopAndTime(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const { getState } = (window as unknown as DistilleryWindow).distillery;
    const started = performance.now();
    (document.querySelector('[data-testid="stop-button"]') as HTMLButtonElement).click();
    while (getState().run.status !== 'cancelled' && performance.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 5));
    return performance.now() - started;
  });
}

/** Waits until `stage` has been training for `ms` (it has started and is not done). */
async function whileTraining(page: Page, stage: string, ms: number): Promise<void> {
  await page.waitForFunction(
    (name) => (window as unknown as DistilleryWindow).distillery.getState().run.stages.some((s) => s.name === name && s.status === 'training'),
    stage,
    {
      timeout: 120_000,
      polling: 50,
    },
  );
  await page.waitForTimeout(ms);
  expect((await readState(page)).stages.find((s) => s.name === stage)?.status).toBe('training');
}

const CASES = [
  // The case reported: a random-teacher probe of 500 epochs at batch 1 ran on after Stop for minutes.
  WORST_CONFIGS.find((c) => c.name.startsWith('random teacher: a probe of 500 epochs at batch 1 on 14,998 examples (')),
  // A measurement of the widest MLP on 7,000 images after every step: one used to take seconds.
  WORST_CONFIGS.find((c) => c.name.startsWith('weak-to-strong, MNIST: 7,000 images')),
];

// Every backend the automatic choice can pick (WebGL and WebGPU run on Chromium's software adapters here).
for (const backend of ['wasm', 'webgl', 'webgpu']) {
  for (const worst of CASES) {
    test(`Stop within a second on ${backend}: ${worst!.name}`, async ({ page }) => {
      const workers = trackWorkers(page);
      await page.goto(`./?backend=${backend}${encodeLink(parseConfig(worst!.config), { run: true })}`);
      await whileTraining(page, worst!.stop.stage, 1500);
      const before = await readState(page);
      expect(before.backend?.name).toBe(backend);
      const ms = await stopAndTime(page);
      console.log(`Stop read as stopped after ${ms.toFixed(0)} ms on ${backend}: ${worst!.name}`);
      expect(ms).toBeLessThan(1_000);
      const stopped = await readState(page);
      expect(stopped).toMatchObject({ status: 'cancelled', runId: before.runId });
      expect(stopped.stages.find((s) => s.name === worst!.stop.stage)?.status).toBe('stopped');
      // The worker itself let go (it was not replaced): nothing trains in it any more.
      await expect.poll(async () => (await workerFigures(workers.all[0])).stats.training, { timeout: 2_000 }).toBe(0);
      if (backend !== 'wasm') return; // a preset on a software GPU takes minutes

      await page.getByTestId('preset-w2s-copying').click();
      const done = await waitForStatus(page, 'done', { afterRunId: stopped.runId, timeout: 120_000 });
      expect(done.result?.kind).toBe('weak-to-strong');
      expect(workers.all).toHaveLength(1);
    });
  }
}

/** The first worker freezes for good when told to stop (a step or kernel that never ends): it answers nothing more. */
const FREEZE_ON_CANCEL = `{
  let handler = null;
  Object.defineProperty(self, 'onmessage', {
    configurable: true,
    get: () => handler,
    set: (h) => {
      handler = h;
      self.addEventListener('message', (event) => {
        if (event.data && event.data.type === 'cancel') for (;;) {}
        h(event);
      });
    },
  });
}`;

/** A long run: kd-mnist on wasm trains for minutes. */
const LONG = encodeLink(presetConfig('kd-mnist'), { run: true });

test('a worker that freezes on Stop: the run reads stopped, the worker is replaced, and a preset runs on the new one', async ({ page }) => {
  const workers = trackWorkers(page);
  await injectIntoWorker(page, FREEZE_ON_CANCEL);
  await page.goto(`./?backend=wasm${LONG}`);
  await whileTraining(page, 'teacher', 500);
  const ms = await stopAndTime(page);
  console.log(`Stop read as stopped after ${ms.toFixed(0)} ms with a frozen worker`);
  expect(ms).toBeLessThan(1_000);
  const stopped = await readState(page);
  expect(stopped.stages.find((s) => s.name === 'teacher')?.status).toBe('stopped');
  await expect(page.getByTestId('run-button')).toHaveText('Run');
  // The watchdog ends the frozen worker within a few seconds.
  await expect.poll(() => workers.closed.has(workers.all[0]), { timeout: 6_000 }).toBe(true);

  await page.getByTestId('preset-w2s-copying').click();
  const done = await waitForStatus(page, 'done', { afterRunId: stopped.runId, timeout: 120_000 });
  expect(done.result?.kind).toBe('weak-to-strong');
  expect(workers.all).toHaveLength(2);
});

test('a preset clicked while the worker freezes on the stop it sends does not stay on "Starting…"', async ({ page }) => {
  const workers = trackWorkers(page);
  await injectIntoWorker(page, FREEZE_ON_CANCEL);
  await page.goto(`./?backend=wasm${LONG}`);
  const first = await waitForStatus(page, 'running');
  await whileTraining(page, 'teacher', 500);
  await page.getByTestId('preset-w2s-copying').click();
  await expect(page.getByTestId('run-button')).toHaveText('Starting…');
  const done = await waitForStatus(page, 'done', { afterRunId: first.runId, timeout: 120_000 });
  expect(done.result?.kind).toBe('weak-to-strong');
  expect(workers.all).toHaveLength(2);
  expect(workers.closed.has(workers.all[0])).toBe(true);
});
