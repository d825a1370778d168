/** An invalid setting is named with its allowed range, blocks Run, and leaves the results on screen alone. */
import { expect, test } from '@playwright/test';
import { openPlayground, readState, setField, shrinkCopyingConfig, waitForStatus } from './pages';

test('an out-of-range learning rate is explained and blocks Run', async ({ page }) => {
  await openPlayground(page, { preset: 'w2s-copying', backend: 'wasm', autorun: '0' });
  const runButton = page.getByTestId('run-button');
  const problems = page.getByTestId('config-problems');
  const field = page.locator('#field-student-train-learningRate');
  // The range the form advertises on the input is the one the message must name.
  const min = await field.getAttribute('min');
  const max = await field.getAttribute('max');
  expect(Number(max)).toBeLessThan(5);

  // Idle: invalid blocks Run, fixing it unblocks Run.
  await expect(runButton).toHaveText('Run');
  await expect(runButton).toBeEnabled();
  await setField(page, 'field-student-train-learningRate', 5);
  await expect(problems).toContainText('student.train.learningRate');
  await expect(problems).toContainText(`allowed range ${min} to ${max}`);
  await expect(runButton).toBeDisabled();
  await setField(page, 'field-student-train-learningRate', 0.01);
  await expect(problems).toHaveCount(0);
  await expect(runButton).toBeEnabled();

  // With results on screen: a run to the end, then the invalid value again.
  await shrinkCopyingConfig(page);
  await runButton.click();
  const done = await waitForStatus(page, 'done');
  const shown = {
    weak: await page.getByTestId('accuracy-weak').textContent(),
    student: await page.getByTestId('accuracy-student').textContent(),
    gap: await page.getByTestId('gap-value').textContent(),
    beats: await page.getByTestId('count-beats').textContent(),
  };

  await setField(page, 'field-student-train-learningRate', 5);
  await expect(problems).toContainText('student.train.learningRate');
  await expect(problems).toContainText(`allowed range ${min} to ${max}`);
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(runButton).toBeDisabled();
  // The keyboard shortcut (Space) must not start the invalid config either.
  await page.locator('h1').click();
  await page.keyboard.press(' ');
  await page.waitForTimeout(300);

  const after = await readState(page);
  expect(after.runId).toBe(done.runId);
  expect(after.status).toBe('done');
  expect(after.problems.some((p) => p.startsWith('student.train.learningRate:'))).toBe(true);
  await expect(page.getByTestId('accuracy-weak')).toHaveText(shown.weak ?? '');
  await expect(page.getByTestId('accuracy-student')).toHaveText(shown.student ?? '');
  await expect(page.getByTestId('gap-value')).toHaveText(shown.gap ?? '');
  await expect(page.getByTestId('count-beats')).toHaveText(shown.beats ?? '');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});
