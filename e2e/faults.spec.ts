/**
 * What happens when things go wrong: a diverging learning rate, a worker that crashes, WebGPU missing or lost
 * mid-run, a page left mid-run, and a burst of clicks on a preset. Nothing already on screen may be lost, and
 * the next run must start cleanly.
 *
 * Faults are injected from the test side only: Playwright rewrites the worker script on its way to the page
 * (page.route), so a production build has no hook a link could reach. The worker's read-only figures
 * (`self.distilleryWorker`: runs training at once, the peak, live tensors) are read with worker.evaluate.
 */
import { expect, test } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import { presetConfig } from '../src/core/presets';
import { displayedAccuracy, openPlayground, readState, setField, waitForStatus, type DistilleryWindow } from './pages';
import { injectIntoWorker, trackWorkers, workerFigures } from './workers';

type W2S = Extract<ExperimentConfig, { kind: 'weak-to-strong' }>;
const copying = presetConfig('w2s-copying') as W2S;

/** w2s-copying made quick (seconds on wasm). */
const QUICK: W2S = parseConfig({
  ...copying,
  data: { ...copying.data, transferSize: 500 },
  supervisor: { ...copying.supervisor, train: { ...copying.supervisor.train, epochs: 3 } },
  student: { ...copying.student, train: { ...copying.student.train, epochs: 2 } },
}) as W2S;

/** The same, with a strong model and learning rate that blow up (SGD at rate 1, momentum 0.99, 4 layers of 256). */
const DIVERGING: W2S = parseConfig({
  ...QUICK,
  student: {
    ...QUICK.student,
    model: { type: 'mlp', width: 256, depth: 4, activation: 'relu', dropout: 0 },
    train: { ...QUICK.student.train, optimizer: 'sgd', learningRate: 1, momentum: 0.99, epochs: 3, evalEvery: 5 },
  },
}) as W2S;

/**
 * Calls `action` (worker-side source) right after the worker posts the first training step of `stage`; with
 * `silence`, the worker posts nothing after that (as a worker that died would).
 */
const onFirstStepOf = (stage: string, action: string, silence = false) => `
{
  const post = self.postMessage.bind(self);
  let fired = false;
  self.postMessage = (m, ...rest) => {
    if (fired && ${silence}) return;
    post(m, ...rest);
    if (!fired && m && m.type === 'progress' && m.event.type === 'step' && m.event.stage === ${JSON.stringify(stage)} && m.event.step > 0) {
      fired = true;
      ${action}
    }
  };
}`;

test('a learning rate that makes the loss infinite stops that model with a clear message, keeps what finished, and the next run is clean', async ({ page }) => {
  await page.goto(`./?backend=wasm${encodeLink(DIVERGING, { run: true })}`);
  const failed = await waitForStatus(page, 'error', { timeout: 60_000 });
  expect(failed.error?.kind).toBe('divergence');
  expect(failed.error?.message).toMatch(
    /^Strong ceiling: the loss became NaN or infinite at step \d+ \(learning rate 1\); lower the learning rate and run again$/,
  );
  await expect(page.getByTestId('error-banner')).toContainText('Training diverged. Strong ceiling: the loss became NaN or infinite');

  // The supervisor finished before the ceiling diverged: its card, its result and its curve stay.
  expect(failed.stages.map((s) => [s.name, s.status])).toEqual([
    ['weak', 'done'],
    ['ceiling', 'stopped'],
    ['student', 'waiting'],
  ]);
  expect(failed.stages[0].accuracy).toBeGreaterThan(0.7);
  expect(await displayedAccuracy(page, 'weak')).toBeCloseTo(failed.stages[0].accuracy!, 4);
  await expect(page.getByTestId('best-weak')).toBeVisible();
  await expect(page.getByTestId('stopped-ceiling')).toContainText('stopped at step');
  const curves = page.getByTestId('chart-testAccuracy').locator('path.recharts-line-curve');
  await expect
    .poll(async () => (await curves.evaluateAll((paths) => paths.map((p) => (p.getAttribute('d') ?? '').length))).filter((d) => d > 0).length)
    .toBeGreaterThanOrEqual(1);

  // Lower the learning rate and run again: the same worker trains every model to the end.
  await setField(page, 'field-student-train-learningRate', 0.01);
  expect((await readState(page)).problems).toEqual([]);
  await page.getByTestId('run-button').click();
  const done = await waitForStatus(page, 'done', { afterRunId: failed.runId, timeout: 60_000 });
  expect(done.stages.map((s) => s.status)).toEqual(['done', 'done', 'done']);
  expect(done.stages[1].accuracy).toBeGreaterThan(0.8);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

test('a crashed worker: the page keeps what finished, says so, and a new worker reruns the experiment', async ({ page }) => {
  const workers = trackWorkers(page);
  // The first worker throws an uncaught error once the ceiling starts training; the next one is as built.
  await injectIntoWorker(page, onFirstStepOf('ceiling', "setTimeout(() => { throw new Error('injected fault: the worker fell over'); });", true));
  await page.goto(`./?backend=wasm${encodeLink(QUICK, { run: true })}`);
  const crashed = await waitForStatus(page, 'error', { timeout: 60_000 });
  expect(crashed.error?.kind).toBe('crash');
  expect(crashed.error?.message).toMatch(/^The training worker crashed: .*injected fault: the worker fell over/);
  expect(crashed.stages[0]).toMatchObject({ name: 'weak', status: 'done' });
  expect(crashed.stages[1]).toMatchObject({ name: 'ceiling', status: 'stopped' });
  await expect(page.getByTestId('error-banner')).toContainText('The training worker crashed');
  expect(await displayedAccuracy(page, 'weak')).toBeCloseTo(crashed.stages[0].accuracy!, 4);
  await expect.poll(() => workers.closed.has(workers.all[0])).toBe(true);

  await page.getByTestId('rerun-button').click();
  const done = await waitForStatus(page, 'done', { afterRunId: crashed.runId, timeout: 60_000 });
  expect(workers.all).toHaveLength(2);
  expect(done.stages.map((s) => s.status)).toEqual(['done', 'done', 'done']);
  // The rerun is the same experiment: the supervisor's numbers come back exactly.
  expect(done.stages[0].accuracy).toBe(crashed.stages[0].accuracy);
});

const NO_WEBGPU = {
  'navigator.gpu is absent': "Object.defineProperty(WorkerNavigator.prototype, 'gpu', { get: () => undefined, configurable: true });",
  'requestAdapter() returns null':
    "Object.defineProperty(WorkerNavigator.prototype, 'gpu', { get: () => ({ requestAdapter: async () => null }), configurable: true });",
};

for (const [fault, code] of Object.entries(NO_WEBGPU)) {
  test(`WebGPU chosen but ${fault}: the run falls back to wasm, says why, and finishes`, async ({ page }) => {
    await injectIntoWorker(page, code);
    await page.goto(`./?backend=webgpu${encodeLink(QUICK, { run: true })}`);
    const done = await waitForStatus(page, 'done', { timeout: 60_000 });
    expect(done.backend?.name).toBe('wasm');
    expect(done.backend?.reason).toMatch(/^webgpu could not start; WebAssembly: (this browser has no WebGPU|no WebGPU adapter is available)$/);
    expect(done.backend?.skipped[0]).toMatch(/^webgpu failed to start/);
    await expect(page.getByTestId('backend-badge')).toContainText('running on wasm');
    await expect(page.getByTestId('backend-badge')).toContainText('webgpu could not start');
    expect(done.stages.map((s) => s.status)).toEqual(['done', 'done', 'done']);
  });
}

test('a WebGPU device lost mid-run: the run starts again on the next backend, says so, and finishes; the next run gets a new device', async ({ page }) => {
  const workers = trackWorkers(page);
  // Keep the device tfjs asks for, and destroy it at the supervisor's first measurement after it started training.
  await injectIntoWorker(
    page,
    `{
      const request = GPUAdapter.prototype.requestDevice;
      GPUAdapter.prototype.requestDevice = async function (...args) {
        const device = await request.apply(this, args);
        self.__device = device;
        return device;
      };
    }
    ${onFirstStepOf('weak', 'self.__device.destroy();')}`,
  );
  await page.goto(`./?backend=webgpu${encodeLink(QUICK, { run: true })}`);
  const done = await waitForStatus(page, 'done', { timeout: 120_000 });
  expect(done.backend?.name).toBe('wasm');
  expect(done.backend?.reason).toMatch(/^the WebGPU device was lost mid-run \(.+\); the run started again on wasm$/);
  await expect(page.getByTestId('backend-badge')).toContainText('running on wasm');
  await expect(page.getByTestId('backend-badge')).toContainText('WebGPU device was lost mid-run');
  expect(done.stages.map((s) => s.status)).toEqual(['done', 'done', 'done']);
  expect(done.result?.stages.sort()).toEqual(['ceiling', 'student', 'weak']);
  const recorded = await page.evaluate(() => (window as unknown as DistilleryWindow).distillery.getState().run.result?.backend);
  expect(recorded).toBe('wasm');
  const figures = await workerFigures(workers.all[0]);
  expect(figures.stats.deviceLosses).toBe(1);
  expect(figures.stats.training).toBe(0);

  // The lost device is not reused: the next run asks WebGPU for a new one and trains on it. So does a run
  // after a device lost while nothing trained.
  let last = done.runId;
  for (const lostWhileIdle of [false, true]) {
    if (lostWhileIdle) await workers.all[0].evaluate(() => (self as unknown as { __device: { destroy(): void } }).__device.destroy());
    await page.getByTestId('run-button').click();
    await page.waitForFunction(
      (after) => {
        const { run } = (window as unknown as DistilleryWindow).distillery.getState();
        return run.runId > after && run.backend?.name === 'webgpu' && run.stages.some((s) => s.history.length > 1);
      },
      last,
      { timeout: 60_000 },
    );
    expect((await readState(page)).backend, lostWhileIdle ? 'after a device lost while idle' : 'after a device lost mid-run').toEqual({
      name: 'webgpu',
      reason: 'chosen by you',
      skipped: [],
    });
    // A new device from the start: no loss met during this run.
    expect((await workerFigures(workers.all[0])).stats.deviceLosses).toBe(1);
    await page.getByTestId('stop-button').click();
    last = (await waitForStatus(page, 'cancelled', { afterRunId: last })).runId;
  }
  expect(workers.all).toHaveLength(1);
});

test('leaving the page mid-run ends the worker; a page put in the back/forward cache stops its run too', async ({ page }) => {
  let workers = trackWorkers(page);
  await openPlayground(page, { preset: 'kd-mnist', backend: 'wasm' });
  await waitForStatus(page, 'running');
  await expect.poll(() => workers.all.length).toBe(1);
  // A page kept for the back/forward cache gets pagehide (persisted) and is not unloaded: only the page ends its worker.
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
  await expect.poll(() => workers.closed.has(workers.all[0]), { timeout: 5_000 }).toBe(true);
  const hidden = await readState(page);
  expect(hidden.status).toBe('cancelled');
  await expect(page.getByTestId('run-button')).toHaveText('Run');

  // Navigating away for real.
  workers = trackWorkers(page);
  await page.getByTestId('run-button').click();
  await waitForStatus(page, 'running', { afterRunId: hidden.runId });
  await expect.poll(() => workers.all.length).toBe(1);
  await page.goto('about:blank');
  await expect.poll(() => workers.closed.has(workers.all[0]), { timeout: 5_000 }).toBe(true);
});

test('ten clicks on a preset within a second leave exactly one run training, and no tensors behind', async ({ page }) => {
  const workers = trackWorkers(page);
  await openPlayground(page, { backend: 'wasm', autorun: '0' });
  const button = page.getByTestId('preset-w2s-copying');
  await button.click();
  const first = await waitForStatus(page, 'done', { timeout: 60_000 });
  expect(workers.all).toHaveLength(1);
  const afterOne = await workerFigures(workers.all[0]);
  expect(afterOne.stats.peakTraining).toBe(1);

  // Ten real clicks dispatched in the page (Playwright's own clicks take ~100 ms each): five back to back, so
  // that starts queue up while a cancelled run is still releasing its tensors, then five 100 ms apart.
  const elapsed = await button.evaluate(async (element) => {
    const started = performance.now();
    for (let i = 0; i < 10; i++) {
      (element as HTMLButtonElement).click();
      if (i >= 4) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return performance.now() - started;
  });
  // About 0.6 s on a quiet machine; the bound only says the clicks came faster than a run finishes (a loaded
  // machine stretches each click's handling, not the behaviour under test).
  expect(elapsed).toBeLessThan(5_000);
  const last = await waitForStatus(page, 'done', { afterRunId: first.runId + 9, timeout: 90_000 });
  expect(last.runId).toBe(first.runId + 10);
  expect(workers.all).toHaveLength(1);
  const after = await workerFigures(workers.all[0]);
  // Each click cancelled the run before it; the worker never trained two at once.
  expect(after.stats.peakTraining).toBe(1);
  expect(after.stats.training).toBe(0);
  expect(after.stats.started).toBeLessThanOrEqual(11);
  // The cancelled runs released everything: the same tensors live as after the single run.
  expect(after.memory.numTensors).toBe(afterOne.memory.numTensors);
  expect(last.result?.pgrFinal).toBe(first.result?.pgrFinal);
});

test('Stop pressed while a new run waits for the old one to let go: neither trains on', async ({ page }) => {
  const workers = trackWorkers(page);
  await openPlayground(page, { preset: 'kd-mnist', backend: 'wasm' });
  const first = await waitForStatus(page, 'running');
  await expect.poll(() => workers.all.length).toBe(1);
  // In one go: a preset click (cancels the running experiment, starts another), then Stop.
  await page.evaluate(() => {
    (document.querySelector('[data-testid="preset-w2s-copying"]') as HTMLButtonElement).click();
    (document.querySelector('[data-testid="stop-button"]') as HTMLButtonElement).click();
  });
  const stopped = await waitForStatus(page, 'cancelled', { afterRunId: first.runId, timeout: 15_000 });
  expect(stopped.runId).toBe(first.runId + 1);
  await page.waitForTimeout(1_000);
  const figures = await workerFigures(workers.all[0]);
  expect(figures.stats.training, 'a run is still training in the worker').toBe(0);
  expect(figures.stats.peakTraining).toBe(1);
  expect((await readState(page)).status).toBe('cancelled');
});
