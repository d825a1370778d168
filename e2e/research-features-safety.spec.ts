/**
 * Feature distillation, the poisoned teacher and P(IK) in the page: each preset, made small and opened through a
 * share link, draws its characteristic plot while it trains (points arrive before the run is done), runs to
 * completion and shows every plot in the research panel.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import type { FeatureKdConfig } from '../src/core/experiments/feature-kd/spec';
import type { KnowWhatTheyKnowConfig } from '../src/core/experiments/know-what-they-know/spec';
import type { PoisonedTeacherConfig } from '../src/core/experiments/poisoned-teacher/spec';
import { presetConfig } from '../src/core/presets';
import { collectErrors, liveCharts, openPlayground, readState, recordLiveCharts, waitForStatus, type DistilleryWindow } from './pages';

const fk = presetConfig('feature-kd') as FeatureKdConfig;
const FEATURE_KD = parseConfig({
  ...fk,
  data: { ...fk.data, trainSize: 1000, labelledSize: 100, testSize: 300 },
  teacher: { ...fk.teacher, model: { type: 'mlp', width: 32, depth: 1 }, train: { ...fk.teacher.train, epochs: 2, evalEvery: 8 } },
  student: { ...fk.student, train: { ...fk.student.train, epochs: 2, evalEvery: 8 } },
});

const pt = presetConfig('poisoned-teacher') as PoisonedTeacherConfig;
const POISONED = parseConfig({
  ...pt,
  data: { ...pt.data, trainSize: 1000, testSize: 300 },
  teacher: { ...pt.teacher, train: { ...pt.teacher.train, epochs: 2, evalEvery: 4 } },
  student: { ...pt.student, train: { ...pt.student.train, epochs: 2, evalEvery: 4 } },
});

const kw = presetConfig('know-what-they-know') as KnowWhatTheyKnowConfig;
const KNOW = parseConfig({
  ...kw,
  data: { ...kw.data, trainSize: 500, calibrationSize: 500, testSize: 300, oodSize: 300 },
  student: { ...kw.student, train: { ...kw.student.train, epochs: 3 } },
  // Enough steps that the head trains across many of the page's frames: its curve must be seen growing, not only at the end.
  pik: { ...kw.pik, train: { ...kw.pik.train, epochs: 30, evalEvery: 8 } },
});

/** Points per series of each chart in the run's state. */
function chartPoints(page: Page): Promise<Record<string, Record<string, number>>> {
  return page.evaluate(() => {
    const { run } = (window as unknown as DistilleryWindow).distillery.getState();
    return Object.fromEntries(run.charts.map((c) => [c.info.id, Object.fromEntries(Object.entries(c.points).map(([key, points]) => [key, points.length]))]));
  });
}

/**
 * Opens the config as a link that runs it, waits until `chart` has points while the run is still training (drawn
 * live, not at the end), then until it is done; returns the finished stages' measurement counts.
 */
async function runLive(page: Page, config: ExperimentConfig, chart: string): Promise<Record<string, number>> {
  await recordLiveCharts(page);
  await page.goto(`./?backend=wasm${encodeLink(config, { run: true })}`);
  const done = await waitForStatus(page, 'done', { timeout: 120_000 });
  expect(done.error).toBeNull();
  expect(done.result?.kind).toBe(config.kind);
  expect((await liveCharts(page))[chart], `${chart} drawn while the run trained`).toBe(true);
  return Object.fromEntries(done.stages.map((s) => [s.name, s.points]));
}

test('feature-kd, small: runs from a link and draws accuracy per student and how like the teacher each one is', async ({ page }) => {
  const errors = collectErrors(page);
  const measured = await runLive(page, FEATURE_KD, 'feature-kd');
  expect(Object.keys(measured)).toEqual(['teacher', 'baseline', 'kd', 'hint', 'relational']);
  const points = await chartPoints(page);
  expect(points['feature-kd']).toEqual({ accuracy: 5, gap: 3 });
  expect(points['feature-similarity']).toEqual({ cka: 4 });
  await expect(page.getByTestId('research-chart-feature-kd')).toHaveAttribute('data-points', '8');
  await expect(page.getByTestId('research-chart-feature-similarity')).toHaveAttribute('data-points', '4');
  expect(errors).toEqual([]);
});

test('poisoned-teacher, small: runs from a link and draws the attack success rate of every model as it trains', async ({ page }) => {
  const errors = collectErrors(page);
  const measured = await runLive(page, POISONED, 'attack-success');
  expect(Object.keys(measured)).toEqual(['clean-teacher', 'teacher', 'student', 'student-triggered']);
  const points = await chartPoints(page);
  expect(points['attack-success']).toEqual(measured);
  expect(points['attack-bars']).toEqual({ asr: 4, accuracy: 4 });
  const total = Object.values(measured).reduce((a, b) => a + b, 0);
  await expect(page.getByTestId('research-chart-attack-success')).toHaveAttribute('data-points', String(total));
  await expect(page.getByTestId('research-chart-attack-bars')).toBeVisible();
  expect(errors).toEqual([]);
});

test("know-what-they-know, small: runs from a link and draws P(IK)'s AUROC as the head trains, then the reliability diagram", async ({ page }) => {
  const errors = collectErrors(page);
  const measured = await runLive(page, KNOW, 'pik-auroc');
  expect(Object.keys(measured)).toEqual(['student', 'pik']);
  const points = await chartPoints(page);
  expect(points['pik-auroc']).toEqual({ in: measured.pik, out: measured.pik, 'softmax-in': measured.pik, 'softmax-out': measured.pik });
  expect(points['pik-summary']).toEqual({ 'auroc-in': 2, 'auroc-out': 2, 'ece-in': 2, 'ece-out': 2 });
  expect(points.reliability.diagonal).toBe(2);
  expect(points.reliability['pik-in']).toBeGreaterThan(0);
  expect(points.reliability['pik-out']).toBeGreaterThan(0);
  await expect(page.getByTestId('research-chart-reliability')).toBeVisible();
  await expect(page.getByTestId('research-chart-pik-auroc')).toHaveAttribute('data-points', String(4 * measured.pik));
  expect(errors).toEqual([]);
});

test('the gallery lists each in its section, and a card starts its preset with its plot declared', async ({ page }) => {
  const errors = collectErrors(page);
  await openPlayground(page, { backend: 'wasm' });
  for (const [id, section, chart] of [
    ['feature-kd', 'Knowledge distillation', 'feature-kd'],
    ['poisoned-teacher', 'Safety', 'attack-success'],
    ['know-what-they-know', 'Safety', 'pik-auroc'],
  ] as const) {
    await page.getByTestId('open-gallery').click();
    const card = page.getByRole('region', { name: section }).getByTestId(`gallery-${id}`);
    await expect(card).toBeVisible();
    const before = (await readState(page)).runId;
    await card.click();
    await page.waitForFunction(
      ({ kind, chart, before }) => {
        const { run, draft } = (window as unknown as DistilleryWindow).distillery.getState();
        return run.runId > before && run.status === 'running' && run.start?.kind === kind && draft.kind === kind && run.charts.some((c) => c.info.id === chart);
      },
      { kind: id, chart, before },
      { timeout: 60_000 },
    );
    await page.getByTestId('stop-button').click();
    await waitForStatus(page, 'cancelled', { timeout: 10_000 });
  }
  expect(errors).toEqual([]);
});
