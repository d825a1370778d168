/**
 * The default preset (weak-to-strong on MNIST) run to the end: what the page shows must agree with the
 * per-example data the run produced, and the run must leave no errors in the console.
 */
import { expect, test } from '@playwright/test';
import { CATEGORIES, collectErrors, displayedAccuracy, openPlayground, readPredictions, waitForStatus, type Category } from './pages';

/** The beat/copy category of one test example, written out here independently of the app's code. */
function categoryOf(truth: number, supervisor: number, student: number): Category {
  if (supervisor === truth && student === truth) return 'bothRight';
  if (supervisor !== truth && student === truth) return 'beats';
  if (supervisor !== truth && student === supervisor) return 'copies';
  if (supervisor !== truth) return 'otherWrong';
  return 'regresses';
}

test('the matrix, the PGR and the example gallery agree with the per-example data', async ({ page }) => {
  await openPlayground(page);
  const state = await waitForStatus(page, 'done');
  expect(state.kind).toBe('weak-to-strong');
  expect(state.stages.map((s) => s.name)).toEqual(['weak', 'ceiling', 'student']);

  // (a) Counts shown in the matrix = counts computed here from labels and the two models' final predictions.
  const { labels, supervisor, student } = await readPredictions(page, 'weak', 'student');
  expect(labels.length).toBe(2000);
  expect(supervisor.length).toBe(labels.length);
  expect(student.length).toBe(labels.length);
  const expected: Record<Category, number> = { bothRight: 0, beats: 0, copies: 0, otherWrong: 0, regresses: 0 };
  labels.forEach((y, i) => expected[categoryOf(y, supervisor[i], student[i])]++);
  for (const category of CATEGORIES) {
    await expect(page.getByTestId(`count-${category}`), `count-${category}`).toHaveText(String(expected[category]));
  }
  // The worker's own breakdown in the result must say the same.
  expect(state.result?.mistakes).toEqual(expected);

  // (b) The displayed PGR is the formula over the displayed accuracies (two-decimal percentages are exact:
  // 2000 test examples), and the result's final PGR rounds to the same three decimals.
  const weak = await displayedAccuracy(page, 'weak');
  const ceiling = await displayedAccuracy(page, 'ceiling');
  const studentAccuracy = await displayedAccuracy(page, 'student');
  for (const stage of state.stages) {
    await expect(page.getByTestId(`accuracy-${stage.name}`)).toHaveText(`${((stage.accuracy ?? NaN) * 100).toFixed(2)}%`);
  }
  expect(ceiling, 'the ceiling must beat the weak supervisor for PGR to be defined').toBeGreaterThan(weak);
  const pgr = ((studentAccuracy - weak) / (ceiling - weak)).toFixed(3);
  await expect(page.getByTestId('gap-value')).toHaveText(pgr);
  expect(state.result?.pgrFinal?.toFixed(3)).toBe(pgr);

  // (c) Clicking "copies" lists exactly those examples, at most 48 thumbnails of them.
  expect(expected.copies, 'the default preset should have copied mistakes to show').toBeGreaterThan(0);
  await page.getByTestId('cell-copies').click();
  await expect(page.getByTestId('cell-copies')).toHaveAttribute('aria-pressed', 'true');
  const panel = page.getByTestId('examples-panel');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('Examples: copies');
  // The count may stand alone ("191") or lead a phrase ("191 examples, first 48 shown").
  await expect(panel.getByTestId('example-count')).toHaveText(new RegExp(`^${expected.copies}(?!\\d)`));
  await expect(panel.getByTestId('example')).toHaveCount(Math.min(48, expected.copies));
});

test('a run of the default preset logs no console errors', async ({ page }) => {
  const errors = collectErrors(page);
  await openPlayground(page);
  await waitForStatus(page, 'done');
  // Let the last renders (charts, gallery) settle before judging.
  await page.waitForTimeout(500);
  expect(errors).toEqual([]);
});
