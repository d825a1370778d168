/** Stopping a run, starting another, and Reset: what stays on screen and what must not leak between runs. */
import { expect, test, type Page } from '@playwright/test';
import { openPlayground, readState, shrinkCopyingConfig, waitForCurvePoints, waitForStatus, type DistilleryWindow } from './pages';

/** Lengths of the drawn accuracy lines (SVG path data, once the run has stopped): non-zero once a curve is on screen. */
async function drawnCurves(page: Page): Promise<number[]> {
  return page
    .getByTestId('chart-testAccuracy')
    .locator('path.recharts-line-curve')
    .evaluateAll((paths) => paths.map((p) => (p.getAttribute('d') ?? '').length));
}

/** Points on the live (canvas) accuracy chart while training. */
async function livePoints(page: Page): Promise<number> {
  return Number((await page.getByTestId('live-testAccuracy').getAttribute('data-points')) ?? 0);
}

test('Stop keeps the curves drawn so far, and the next preset starts clean', async ({ page }) => {
  // kd-mnist takes minutes: it is certainly still training when we stop it.
  await openPlayground(page, { preset: 'kd-mnist', backend: 'wasm' });
  await waitForCurvePoints(page, 2);
  const before = await readState(page);
  expect(before.status).toBe('running');
  expect(before.kind).toBe('distillation');
  await expect.poll(async () => livePoints(page)).toBeGreaterThan(0);

  await page.getByTestId('stop-button').click();
  // A stop is honoured at the next training step; seconds, not the rest of the run.
  const stopped = await waitForStatus(page, ['cancelled', 'done'], { timeout: 15_000 });
  expect(stopped.status, 'Stop must cancel the run (it ran to the end instead)').toBe('cancelled');
  expect(stopped.runId).toBe(before.runId);
  // The curves drawn so far stay: the stages keep their history, the chart keeps its lines.
  const points = (s: typeof before) => s.stages.reduce((n, stage) => n + stage.points, 0);
  expect(points(stopped)).toBeGreaterThanOrEqual(points(before));
  expect(stopped.stages.map((s) => s.name)).toEqual(['teacher', 'baseline', 'student']);
  await page.waitForTimeout(500);
  expect((await drawnCurves(page)).some((d) => d > 0)).toBe(true);
  expect((await readState(page)).status).toBe('cancelled');
  await expect(page.getByTestId('run-button')).toHaveText('Run');

  // A preset button loads the preset and starts it at once.
  await page.getByTestId('preset-w2s-copying').click();
  const done = await waitForStatus(page, 'done', { afterRunId: stopped.runId });
  expect(done.kind).toBe('weak-to-strong');
  expect(done.stages.map((s) => s.name)).toEqual(['weak', 'ceiling', 'student']);
  expect(done.result?.kind).toBe('weak-to-strong');
  expect(done.result?.dataset).toBe('moons');
  expect(done.result?.stages.sort()).toEqual(['ceiling', 'student', 'weak']);
  const testSize = await page.evaluate(() => (window as unknown as DistilleryWindow).distillery.getState().run.start?.test.labels.length);
  expect(testSize).toBe(1000); // the moons preset's test split, not MNIST's 2000
  // Nothing from the cancelled run arrives late and overwrites the finished one.
  await page.waitForTimeout(1000);
  const later = await readState(page);
  expect(later.status).toBe('done');
  expect(later.runId).toBe(done.runId);
  expect(later.stages.map((s) => s.name)).toEqual(['weak', 'ceiling', 'student']);
  await expect(page.getByTestId('stage-teacher')).toHaveCount(0);
});

test('Reset runs the same experiment again and gets identical numbers', async ({ page }) => {
  await openPlayground(page, { preset: 'w2s-copying', backend: 'wasm', autorun: '0' });
  await shrinkCopyingConfig(page);
  await page.getByTestId('run-button').click();
  const first = await waitForStatus(page, 'done');
  const firstStudent = first.stages.find((s) => s.name === 'student')?.accuracy;
  expect(first.result?.pgrFinal).not.toBeNull();
  expect(firstStudent).not.toBeNull();
  const shownPgr = await page.getByTestId('gap-value').textContent();

  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  const second = await waitForStatus(page, 'done', { afterRunId: first.runId });
  expect(second.runId).toBeGreaterThan(first.runId);
  expect(second.result?.pgrFinal).toBe(first.result?.pgrFinal);
  expect(second.stages.find((s) => s.name === 'student')?.accuracy).toBe(firstStudent);
  // Everything else the run reports is identical too: every stage's accuracy and the matrix.
  expect(second.stages).toEqual(first.stages);
  expect(second.result?.mistakes).toEqual(first.result?.mistakes);
  await expect(page.getByTestId('gap-value')).toHaveText(shownPgr ?? '');
});
