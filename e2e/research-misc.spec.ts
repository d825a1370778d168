/**
 * Random teachers, synthetic supervisors and early stopping in the page: each preset, reduced through a share
 * link, runs to completion on wasm and draws its characteristic plot; the cards show the probes' accuracies.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import { presetConfig } from '../src/core/presets';
import { displayedAccuracy, openPlayground, waitForStatus, type DistilleryWindow } from './pages';

type W2S = Extract<ExperimentConfig, { kind: 'weak-to-strong' }>;
type RandomTeacher = Extract<ExperimentConfig, { kind: 'random-teacher' }>;

const rt = presetConfig('random-teacher') as RandomTeacher;
/** 2,000 unlabelled digits, 3 epochs: 96 steps, probed at 0, 48 and 96. */
const RANDOM_TEACHER = parseConfig({ ...rt, data: { ...rt.data, trainSize: 2000, probeSize: 300, testSize: 1000 }, probeEvery: 48 });

const reducedW2s = (id: string, data: Partial<W2S['data']>, epochs: number): ExperimentConfig => {
  const preset = presetConfig(id) as W2S;
  return parseConfig({ ...preset, data: { ...preset.data, ...data }, student: { ...preset.student, train: { ...preset.student.train, epochs } } });
};
const FLIPS = reducedW2s('w2s-flips', { transferSize: 1000, validationSize: 200, testSize: 1000 }, 10);
const SYSTEMATIC = reducedW2s('w2s-systematic', { transferSize: 1000, validationSize: 200, testSize: 1000 }, 10);
const EARLY_STOP = reducedW2s('w2s-early-stop', { transferSize: 500, validationSize: 200, testSize: 500 }, 40);

async function runLink(page: Page, config: ExperimentConfig): Promise<void> {
  await page.goto(`./?backend=wasm${encodeLink(config, { run: true })}`);
  const state = await waitForStatus(page, 'done', { timeout: 50_000 });
  expect(state.error).toBeNull();
}

/** The finished run's stage accuracies and its charts' point counts, read from the page's state. */
function finished(page: Page) {
  return page.evaluate(() => {
    const { run } = (window as unknown as DistilleryWindow).distillery.getState();
    const stages = run.result!.stages;
    return {
      accuracy: Object.fromEntries(Object.entries(stages).map(([name, s]) => [name, s.accuracy])),
      best: Object.fromEntries(Object.entries(stages).map(([name, s]) => [name, s.bestAccuracy])),
      oracle: Object.fromEntries(Object.entries(stages).map(([name, s]) => [name, s.oracleBestAccuracy])),
      charts: Object.fromEntries(run.charts.map((c) => [c.info.id, Object.values(c.points).reduce((n, p) => n + p.length, 0)])),
      mistakes: run.result!.mistakes.test,
    };
  });
}

test("a random teacher runs in the page: the student's probe beats the teacher's, drawn against its dashed line", async ({ page }) => {
  await runLink(page, RANDOM_TEACHER);
  const run = await finished(page);
  expect(run.accuracy.student).toBeGreaterThan(run.accuracy.teacher);
  // Three probes of the student, and the teacher's line beside them.
  expect(run.charts).toEqual({ 'probe-accuracy': 6 });
  const chart = page.getByTestId('research-chart-probe-accuracy');
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAttribute('data-points', '6');
  await expect(chart).toContainText('random teacher (frozen)');
  // The cards show the probes' accuracies.
  expect(await displayedAccuracy(page, 'teacher')).toBeCloseTo(run.accuracy.teacher, 3);
  expect(await displayedAccuracy(page, 'student')).toBeCloseTo(run.accuracy.student, 3);
});

test('the start-near-teacher slider sets eps in the config', async ({ page }) => {
  await openPlayground(page, { preset: 'random-teacher', autorun: '0' });
  const slider = page.getByTestId('slider-initNearTeacher');
  await expect(slider).toBeVisible();
  await slider.fill('0.3');
  await expect(page.locator('#field-initNearTeacher')).toHaveValue('0.3');
  const eps = await page.evaluate(() => {
    const { draft } = (window as unknown as DistilleryWindow).distillery.getState();
    return draft.kind === 'random-teacher' ? draft.initNearTeacher : null;
  });
  expect(eps).toBe(0.3);
});

test('synthetic supervisors in the page: random flips get beaten, systematic errors at the same rate get copied', async ({ page }) => {
  await runLink(page, FLIPS);
  await expect(page.locator('#field-supervisor-source-type')).toHaveValue('flips');
  const flips = await finished(page);
  // The lesson plot: beats and copies of the supervisor's mistakes at each of the student's measurements (the
  // checkpoints chart is drawn only where the choice of checkpoint changed the outcome, as in w2s-early-stop).
  const measurements = await page.evaluate(
    () => (window as unknown as DistilleryWindow).distillery.getState().run.stages.find((s) => s.name === 'student')!.history.length,
  );
  await expect(page.getByTestId('research-chart-beat-copy')).toHaveAttribute('data-points', String(2 * measurements));
  await expect(page.getByTestId('research-chart-checkpoints')).toHaveCount(0);
  await runLink(page, SYSTEMATIC);
  await expect(page.locator('#field-supervisor-source-type')).toHaveValue('systematic');
  const systematic = await finished(page);
  expect(Math.abs(flips.accuracy.weak - systematic.accuracy.weak)).toBeLessThan(0.03);
  expect(flips.mistakes.beatRate!).toBeGreaterThan(systematic.mistakes.beatRate!);
  expect(systematic.mistakes.copyRate!).toBeGreaterThan(flips.mistakes.copyRate!);
  await expect(page.getByTestId('copy-rate')).toHaveText(`${(systematic.mistakes.copyRate! * 100).toFixed(1)}%`);
});

test('early stopping in the page: the checkpoints chart sets final, best on weak labels and the oracle side by side', async ({ page }) => {
  await runLink(page, EARLY_STOP);
  const run = await finished(page);
  expect(run.best.student).toBeGreaterThan(run.accuracy.student);
  expect(run.oracle.student).toBeGreaterThanOrEqual(run.best.student);
  const chart = page.getByTestId('research-chart-checkpoints');
  await expect(chart).toHaveAttribute('data-points', '9');
  await expect(chart.locator('.bar-group-label')).toHaveText(['Weak supervisor', 'Strong ceiling', 'Student']);
  // The oracle is drawn apart: outlined bars, and a legend that says what it is.
  await expect(chart.locator('.bar-reference')).toHaveCount(3);
  await expect(chart).toContainText('Oracle: best on test (not available in practice)');
});
