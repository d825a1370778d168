/**
 * Model updates, teacher intervention, active distillation and progressive distillation in the page: each preset,
 * made small and opened through a share link, runs on wasm to the end, its plot filling in while it trains; and
 * each full preset starts from the gallery with its plot on screen.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import { reduced } from '../src/node/test-support';
import { collectErrors, liveCharts, openPlayground, recordLiveCharts, waitForStatus, type DistilleryWindow } from './pages';

const MODEL_UPDATE = parseConfig(
  reduced('model-update', { data: { oldSize: 300, newSize: 1000, testSize: 500 }, old: { train: { epochs: 4 } }, new: { train: { epochs: 3, evalEvery: 8 } } }),
);
const INTERVENTION = parseConfig(
  reduced('teacher-intervention', {
    data: { trainSize: 1000, labelledSize: 200, observedSize: 60, testSize: 300 },
    teacher: { model: { width: 64 }, train: { epochs: 2 } },
    student: { train: { epochs: 4 } },
    budgets: [0, 10, 100],
  }),
);
const ACTIVE = parseConfig(
  reduced('active-distillation', {
    data: { teacherSize: 500, poolSize: 800, testSize: 300 },
    teacher: { model: { width: 64 }, train: { epochs: 2 } },
    student: { train: { steps: 20, evalEvery: 10 } },
    seedSize: 20,
    budgets: [50, 200],
  }),
);
const students = [32, 8].map((width) => ({
  model: { type: 'mlp', width, depth: 1, activation: 'relu', dropout: 0 },
  train: { optimizer: 'adam', learningRate: 0.003, batchSize: 64, epochs: 2, evalEvery: 10 },
}));
const PROGRESSIVE = parseConfig(
  reduced('progressive-kd', {
    data: { trainSize: 800, labelledSize: 200, testSize: 300 },
    teacher: { model: { width: 64 }, train: { epochs: 2 } },
    chain: students,
  }),
);

/** Points per series of each chart, as the page holds them now. */
function charts(page: Page): Promise<Record<string, Record<string, number>>> {
  return page.evaluate(() => {
    const { run } = (window as unknown as DistilleryWindow).distillery.getState();
    return Object.fromEntries(run.charts.map((c) => [c.info.id, Object.fromEntries(Object.entries(c.points).map(([key, p]) => [key, p.length]))]));
  });
}

/**
 * Runs a config from a share link to the end. The chart must have received points while the run still trained,
 * or, for a chart whose points are measured only on the trained models, been on screen while they trained.
 */
async function runFromLink(
  page: Page,
  config: ExperimentConfig,
  chart: string,
  live: 'points' | 'on screen' = 'points',
): Promise<Record<string, Record<string, number>>> {
  await recordLiveCharts(page);
  await page.goto(`./?backend=wasm${encodeLink(config, { run: true })}`);
  if (live === 'on screen')
    await page.waitForFunction(
      (id) => {
        const { run } = (window as unknown as DistilleryWindow).distillery.getState();
        if (run.status === 'done') throw new Error(`the run ended before ${id} was on screen`);
        return run.status === 'running' && run.charts.some((c) => c.info.id === id);
      },
      chart,
      { timeout: 60_000, polling: 20 },
    );
  const done = await waitForStatus(page, 'done', { timeout: 120_000 });
  expect(done.error).toBeNull();
  expect(done.result?.kind).toBe(config.kind);
  if (live === 'points') expect((await liveCharts(page))[chart], `${chart} drawn while the run trained`).toBe(true);
  return charts(page);
}

test('model-update, small: runs from a link and draws the negative flips of both new models as they train', async ({ page }) => {
  const errors = collectErrors(page);
  const points = await runFromLink(page, MODEL_UPDATE, 'negative-flips');
  const state = await page.evaluate(() => (window as unknown as DistilleryWindow).distillery.getState().run.result!.stages.new.history.length);
  expect(points['negative-flips']).toEqual({ new: state, compatible: state });
  expect(points.flips).toEqual({ negative: 2, positive: 2 });
  await expect(page.getByTestId('research-chart-negative-flips')).toHaveAttribute('data-points', String(2 * state));
  await expect(page.getByTestId('research-chart-flips')).toContainText('Compatible update');
  expect(errors).toEqual([]);
});

test('teacher-intervention, small: runs from a link and draws accuracy against the budget for every strategy', async ({ page }) => {
  const errors = collectErrors(page);
  // The plot is on screen while the pair trains; its points come when the trained pair is measured at each budget.
  const points = await runFromLink(page, INTERVENTION, 'intervention', 'on screen');
  const stages = await page.evaluate(() => Object.keys((window as unknown as DistilleryWindow).distillery.getState().run.result!.stages));
  expect(stages).toEqual(['teacher', 'student']);
  expect(points.intervention).toEqual({ random: 3, 'least-confident': 3, 'mental-model': 3, misaligned: 3, student: 3, teacher: 3 });
  expect(points.targeting).toEqual({ wrong: 3, auroc: 3 });
  await expect(page.getByTestId('research-chart-intervention')).toHaveAttribute('data-points', '18');
  await expect(page.getByTestId('research-chart-targeting')).toContainText("teacher's mental model");
  expect(errors).toEqual([]);
});

test('active-distillation, small: runs from a link and draws accuracy and teacher mistakes against the queries, on a log axis', async ({ page }) => {
  const errors = collectErrors(page);
  const points = await runFromLink(page, ACTIVE, 'accuracy');
  const stages = await page.evaluate(() => Object.keys((window as unknown as DistilleryWindow).distillery.getState().run.result!.stages));
  expect(stages).toHaveLength(2 + 2 * 4);
  const perStrategy = { random: 3, uncertainty: 3, 'confident-uncertain': 3, 'k-center': 3 };
  expect(points.accuracy).toEqual({ ...perStrategy, teacher: 2 });
  expect(points['teacher-mistakes']).toEqual({ ...perStrategy, pool: 2 });
  const chart = page.getByTestId('research-chart-accuracy');
  await expect(chart).toHaveAttribute('data-points', '14');
  await expect(chart).toContainText('log scale');
  // The students count their training in steps, and the form offers them.
  await expect(page.locator('#field-student-train-steps')).toHaveValue('20');
  expect(errors).toEqual([]);
});

test('progressive-kd, small: runs from a link and draws each student at its forward cost as it finishes', async ({ page }) => {
  const errors = collectErrors(page);
  const points = await runFromLink(page, PROGRESSIVE, 'accuracy-cost');
  const stages = await page.evaluate(() => Object.keys((window as unknown as DistilleryWindow).distillery.getState().run.result!.stages));
  expect(stages).toEqual(['teacher', 'alone-1', 'direct-1', 'alone-2', 'direct-2', 'chain-2']);
  expect(points['accuracy-cost']).toEqual({ alone: 2, direct: 2, chain: 2, teacher: 1 });
  expect(points.links).toEqual({ alone: 2, direct: 2, chain: 1 });
  await expect(page.getByTestId('research-chart-accuracy-cost')).toHaveAttribute('data-points', '7');
  await expect(page.getByTestId('research-chart-links')).toContainText('8 units');
  expect(errors).toEqual([]);
});

test('each full preset starts from the gallery with its plot on screen', async ({ page }) => {
  const errors = collectErrors(page);
  await openPlayground(page, { backend: 'wasm', autorun: '0' });
  const plots = {
    'model-update': 'negative-flips',
    'teacher-intervention': 'intervention',
    'active-distillation': 'accuracy',
    'progressive-kd': 'accuracy-cost',
  };
  let after = 0;
  for (const [preset, chart] of Object.entries(plots)) {
    await page.getByTestId('open-gallery').click();
    await page.getByTestId(`gallery-${preset}`).click();
    const running = await waitForStatus(page, 'running', { afterRunId: after, timeout: 30_000 });
    expect(running.kind).toBe(preset);
    await expect(page.getByTestId(`research-chart-${chart}`)).toBeVisible();
    await page.getByTestId('stop-button').click();
    after = (await waitForStatus(page, ['cancelled', 'done'], { afterRunId: after })).runId;
  }
  expect(errors).toEqual([]);
});
