/**
 * Seeds and sweeps in the page, run in the pool of workers: seeds show mean ± sd with each seed's value on hover
 * (checked against the values themselves) and export the command line's seeds file; a two-axis sweep lists its
 * refused cell before starting, draws its labelled figures, survives a reload (Resume runs only the cells left) and
 * each cell opened as a run gives the cell's own numbers.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import { presetConfig } from '../src/core/presets';
import { collectErrors, waitForStatus, type DistilleryWindow } from './pages';

type Any = Record<string, any>;

const copying = presetConfig('w2s-copying') as Any;
/** w2s-copying shrunk to a second or two a cell on wasm. */
const TINY: ExperimentConfig = parseConfig({
  ...copying,
  data: { ...copying.data, supervisorSize: 100, transferSize: 300, validationSize: 50, testSize: 300 },
  supervisor: { ...copying.supervisor, train: { ...copying.supervisor.train, epochs: 4, evalEvery: 5 } },
  student: { ...copying.student, model: { ...copying.student.model, width: 16, depth: 1 }, train: { ...copying.student.train, epochs: 3, evalEvery: 5 } },
});

async function openStudy(page: Page): Promise<void> {
  await page.goto(`./?backend=wasm${encodeLink(TINY)}`);
  await page.waitForFunction(() => Boolean((window as unknown as Partial<DistilleryWindow>).distillery));
  await page.getByTestId('open-study').click();
  await expect(page.getByTestId('study-panel')).toBeVisible();
}

/** Mean and sample sd, as METHODS.md section 5 defines them. */
function meanSd(values: number[]): [number, number] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return [mean, Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1))];
}

test('seeds: a bad list is refused with the reason; three seeds show mean ± sd of their own values, per-seed values on hover, and the seeds file', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openStudy(page);
  const seeds = page.getByTestId('study-seeds');
  await seeds.fill('3-1');
  await expect(page.getByTestId('study-problem')).toContainText('runs backwards');
  await expect(page.getByTestId('study-start')).toBeDisabled();
  await seeds.fill('1-3');
  await expect(page.getByTestId('study-start')).toHaveText('Run 3 cells');
  await page.getByTestId('study-start').click();
  await expect(page.getByTestId('study-status')).toContainText('3 of 3 cells done', { timeout: 120_000 });

  const card = page.getByTestId('seed-card-student');
  const title = (await card.getAttribute('title')) ?? '';
  const perSeed = [...title.matchAll(/seed (\d): ([\d.]+)%/g)].map((m) => [Number(m[1]), Number(m[2])]);
  expect(perSeed.map(([seed]) => seed)).toEqual([1, 2, 3]);
  const [mean, sd] = meanSd(perSeed.map(([, v]) => v));
  await expect(card.getByTestId('seed-mean')).toHaveText(`${mean.toFixed(2)}% ± ${sd.toFixed(2)}`);
  await expect(page.getByTestId('seed-curves').locator('.recharts-area')).toHaveCount(3);

  // Pooled beat/copy counts are the sums of the seeds' own.
  const beats = async () => Number(await page.getByTestId('seed-count-beats').textContent());
  const pooled = await beats();
  let sum = 0;
  for (const seed of ['1', '2', '3']) {
    await page.getByTestId('seed-matrix-choice').selectOption(seed);
    sum += await beats();
  }
  expect(pooled).toBe(sum);

  const download = page.waitForEvent('download');
  await page.getByTestId('study-export-json').click();
  const file = JSON.parse(readFileSync((await (await download).path())!, 'utf8'));
  expect(file).toMatchObject({ format: 'distillery-seeds', formatVersion: 1, seeds: [1, 2, 3] });
  expect(file.results.map((r: Any) => r.config.seed)).toEqual([1, 2, 3]);
  expect(file.summary.stages.student.accuracy.values.map((v: number) => Number((v * 100).toFixed(2)))).toEqual(perSeed.map(([, v]) => v));
  expect(errors).toEqual([]);
});

test('a two-axis sweep lists its refused cells, survives a reload, draws labelled figures, and a cell opened as a run gives its numbers', async ({ page }) => {
  const errors = collectErrors(page);
  await openStudy(page);
  await page.getByTestId('study-seeds').fill('1-2');
  await page.getByTestId('study-axis-path-0').selectOption('supervisor.model');
  await page.getByTestId('study-axis-values-0').fill('linear,mlp:8');
  await page.getByTestId('study-axis-path-1').selectOption('student.model.width');
  await page.getByTestId('study-axis-values-1').fill('4,16,5000000');
  await expect(page.getByTestId('study-would-refuse')).toContainText('5000000');
  await expect(page.getByTestId('study-would-refuse')).toContainText('student.model.width: must be at most');
  await expect(page.getByTestId('study-start')).toHaveText('Run 8 cells');
  await page.getByTestId('study-start').click();
  await expect(page.getByTestId('study-status')).toContainText(/[1-7] of 8 cells done/, { timeout: 120_000 });

  // A reload mid-sweep: the cells finished so far were kept; Resume runs the rest.
  await page.reload();
  await page.getByTestId('open-study').click();
  const resume = page.getByTestId('study-resume');
  await expect(resume).toBeVisible();
  const kept = Number(/\((\d) of 8 cells done\)/.exec((await resume.textContent()) ?? '')?.[1]);
  expect(kept).toBeGreaterThanOrEqual(1);
  expect(kept).toBeLessThan(8);
  // The setup is the kept sweep's.
  await expect(page.getByTestId('study-seeds')).toHaveValue('1,2');
  await expect(page.getByTestId('study-axis-values-1')).toHaveValue('4,16,5000000');
  await resume.click();
  await expect(page.getByTestId('study-status')).toContainText('8 of 8 cells done', { timeout: 150_000 });

  const accuracy = page.getByTestId('study-accuracy-figure');
  await expect(accuracy).toContainText('supervisor.model');
  await expect(accuracy).toContainText('student.model.width=16');
  await expect(accuracy.locator('.recharts-errorBar')).not.toHaveCount(0);
  await expect(page.getByTestId('study-pgr-figure')).toContainText('PGR');
  const heat = page.getByTestId('study-heat-cell');
  await expect(heat).toHaveCount(6);
  await expect(heat.first()).toContainText(/PGR -?\d\.\d{3} ± \d\.\d{3}/);
  await expect(page.getByTestId('study-refused')).toContainText('5000000');

  const download = page.waitForEvent('download');
  await page.getByTestId('study-export-json').click();
  const file = JSON.parse(readFileSync((await (await download).path())!, 'utf8'));
  expect(file.format).toBe('distillery-sweep');
  expect(file.cells.filter((c: Any) => c.status === 'done')).toHaveLength(8);
  expect(file.cells.filter((c: Any) => c.status === 'refused')).toHaveLength(4);

  // The third cell (supervisor linear, student width 16, seed 1) opened as a run gives the cell's numbers.
  const cell = file.cells.find((c: Any) => c.values.join() === 'linear,16' && c.seed === 1);
  const rows = page.getByTestId('study-cell');
  await rows.nth(cell.index).getByTestId('study-open-cell').click();
  const run = await waitForStatus(page, 'done');
  for (const stage of run.stages) expect(stage.accuracy, stage.name).toBe(cell.result.stages[stage.name].accuracy);
  expect(run.result!.pgrFinal).toBe(cell.result.pgr.final);
  expect(errors).toEqual([]);
});
