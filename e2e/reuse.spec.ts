/**
 * Never train the same model twice, in the page: a rerun reuses every stage (from the worker's memory), a rerun
 * after a reload reuses them from IndexedDB, and a rerun that changes only the student retrains only what depends
 * on it. A reused stage's card says so, its curve is drawn, and the numbers are those of the first run.
 */
import { expect, test, type Page, type Worker } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { DistillationConfig } from '../src/core/experiments/distillation/spec';
import { presetConfig } from '../src/core/presets';
import { collectErrors, readState, waitForStatus, type DistilleryWindow } from './pages';

const kd = presetConfig('kd-mnist') as DistillationConfig;
const SMALL = parseConfig({
  ...kd,
  data: { ...kd.data, trainSize: 1000, labelledSize: 100, testSize: 300 },
  teacher: { model: { type: 'mlp', width: 64, depth: 1 }, train: { ...kd.teacher.train, epochs: 2, evalEvery: 16 } },
  student: { ...kd.student, train: { ...kd.student.train, epochs: 2, evalEvery: 16 } },
}) as DistillationConfig;

/** Per stage: whether it was reused, its curve points, its accuracy; and the run's final PGR. */
function outcome(page: Page) {
  return page.evaluate(() => {
    const { run } = (window as unknown as DistilleryWindow).distillery.getState();
    return {
      stages: run.stages.map((s) => ({ name: s.name, reused: Boolean(s.result?.reused), points: s.history.length, accuracy: s.result?.accuracy ?? null })),
      pgr: run.result?.pgr.final ?? null,
    };
  });
}

async function runLink(page: Page, config: DistillationConfig, afterRunId = 0) {
  await page.goto(`./?backend=wasm&r=${Date.now()}${encodeLink(config, { run: true })}`);
  await waitForStatus(page, 'done', { timeout: 90_000, afterRunId });
  return outcome(page);
}

test("the page's wasm backend trains dense layers and Adam with this project's kernels", async ({ page }) => {
  const workers: Worker[] = [];
  page.on('worker', (w) => workers.push(w));
  await runLink(page, { ...SMALL, seed: 7 });
  const ready = await Promise.all(
    workers.map((w) => w.evaluate(() => (self as unknown as { distilleryWorker?: { denseKernels(): boolean } }).distilleryWorker?.denseKernels() ?? null)),
  );
  expect(ready.filter((r) => r !== null)).toEqual([true]);
});

test('a rerun reuses every stage, from memory and after a reload from IndexedDB, with the same numbers and curves', async ({ page }) => {
  const errors = collectErrors(page);
  const first = await runLink(page, SMALL);
  expect(first.stages.map((s) => s.reused)).toEqual([false, false, false]);

  // Run again in the same page: the worker still holds the stages.
  const before = await readState(page);
  await page.getByTestId('run-button').click();
  await waitForStatus(page, 'done', { afterRunId: before.runId });
  const again = await outcome(page);
  expect(again.stages.map((s) => s.reused)).toEqual([true, true, true]);
  expect(again.stages.map(({ points, accuracy }) => ({ points, accuracy }))).toEqual(first.stages.map(({ points, accuracy }) => ({ points, accuracy })));
  expect(again.pgr).toBe(first.pgr);
  for (const name of ['teacher', 'baseline', 'student']) await expect(page.getByTestId(`reused-${name}`)).toBeVisible();

  // A reload starts a new worker: the stages come from IndexedDB.
  const reloaded = await runLink(page, SMALL);
  expect(reloaded.stages.map((s) => s.reused)).toEqual([true, true, true]);
  expect(reloaded.pgr).toBe(first.pgr);

  // Only the student's loss changes: the teacher and the baseline are reused, the student trains.
  const changed = await runLink(page, { ...SMALL, student: { ...SMALL.student, loss: { type: 'kd', temperature: 2, alpha: 0.9 } } });
  expect(changed.stages.map((s) => [s.name, s.reused])).toEqual([
    ['teacher', true],
    ['baseline', true],
    ['student', false],
  ]);
  await expect(page.getByTestId('reused-student')).toHaveCount(0);
  expect(errors).toEqual([]);
});
