/**
 * Bootstrapping and the loss study in the page: each preset, reduced through a share link, runs to completion on
 * wasm and draws its characteristic plots; the beat/copy matrix compares any of its students with the supervisor.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import { presetConfig } from '../src/core/presets';
import { waitForStatus, type DistilleryWindow } from './pages';

type Bootstrap = Extract<ExperimentConfig, { kind: 'bootstrap' }>;
type LossStudy = Extract<ExperimentConfig, { kind: 'loss-study' }>;
const DATA = { transferSize: 1000, validationSize: 200, testSize: 500 };
const epochs = <R extends { train: object }>(role: R, n: number): R => ({ ...role, train: { ...role.train, epochs: n } });

/** w2s-bootstrap with one link and a few epochs on 1,000 transfer digits. */
const boot = presetConfig('w2s-bootstrap') as Bootstrap;
const BOOTSTRAP = parseConfig({
  ...boot,
  data: { ...boot.data, ...DATA },
  supervisor: epochs(boot.supervisor, 10),
  chain: [epochs(boot.chain[0], 12)],
  student: epochs(boot.student, 3),
});

const losses = presetConfig('w2s-losses') as LossStudy;
const LOSS_STUDY = parseConfig({
  ...losses,
  data: { ...losses.data, ...DATA },
  supervisor: epochs(losses.supervisor, 10),
  student: epochs(losses.student, 12),
});

/** The finished run's students (stage, copy rate) and its charts' point counts, read from the page's state. */
function finished(page: Page) {
  return page.evaluate(() => {
    const { run } = (window as unknown as DistilleryWindow).distillery.getState();
    return {
      stages: run.stages.map((s) => s.name),
      students: (run.result?.students ?? []).map((s) => ({ stage: s.stage, copyRate: s.mistakes.copyRate })),
      charts: Object.fromEntries(run.charts.map((c) => [c.info.id, Object.values(c.points).reduce((n, p) => n + p.length, 0)])),
    };
  });
}

async function runLink(page: Page, config: ExperimentConfig): Promise<void> {
  await page.goto(`./?backend=wasm${encodeLink(config, { run: true })}`);
  const state = await waitForStatus(page, 'done', { timeout: 50_000 });
  expect(state.error).toBeNull();
}

test('bootstrapping runs in the page and draws the chain and its PGR against direct supervision', async ({ page }) => {
  await runLink(page, BOOTSTRAP);
  const run = await finished(page);
  expect(run.stages).toEqual(['weak', 'ceiling', 'direct', 'link-1', 'student']);
  // Chain: weak, link 1, the end; direct and ceiling as references (2 points each). Bars: direct, link 1, the end.
  expect(run.charts).toEqual({ chain: 7, 'chain-pgr': 6 });
  const chain = page.getByTestId('research-chart-chain');
  await expect(chain).toBeVisible();
  await expect(chain).toHaveAttribute('data-points', '7');
  await expect(chain.locator('canvas')).toHaveCount(1);
  const bars = page.getByTestId('research-chart-chain-pgr');
  await expect(bars).toHaveAttribute('data-points', '6');
  await expect(bars.locator('.bar-group-label')).toHaveText(['direct', 'link-1', "chain's end"]);

  // The matrix compares the chain's end by default, and the direct student on request.
  const select = page.getByTestId('matrix-student');
  await expect(select.locator('option')).toHaveText(["Chain's end", 'Direct student']);
  await select.selectOption('direct');
  const direct = run.students.find((s) => s.stage === 'direct')!;
  await expect(page.getByTestId('copy-rate')).toHaveText(`${(direct.copyRate! * 100).toFixed(1)}%`);
});

test('the loss study runs in the page and draws PGR and copy rate per loss', async ({ page }) => {
  await runLink(page, LOSS_STUDY);
  const run = await finished(page);
  expect(run.stages).toEqual(['weak', 'ceiling', 'xent', 'logconf', 'product']);
  expect(run.charts).toEqual({ losses: 6 });
  const chart = page.getByTestId('research-chart-losses');
  await expect(chart).toHaveAttribute('data-points', '6');
  await expect(chart.locator('.bar-group-label')).toHaveText(['xent', 'logconf', 'product']);

  // Each student's copy rate in the matrix is the one the result reports.
  const select = page.getByTestId('matrix-student');
  await expect(select.locator('option')).toHaveText(['Student: xent', 'Student: logconf', 'Student: product']);
  await expect(select).toHaveValue('logconf');
  for (const student of run.students) {
    await select.selectOption(student.stage);
    await expect(page.getByTestId('copy-rate')).toHaveText(`${(student.copyRate! * 100).toFixed(1)}%`);
  }
});
