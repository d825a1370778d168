/**
 * A link or a file whose values carry markup and script: the page shows them as text, creates no element from
 * them, runs nothing, and keeps a working experiment. (The Content-Security-Policy would block an inline script
 * anyway; these tests check that nothing even tries: no element is made, no policy violation is reported.)
 */
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';
import { presetConfig } from '../src/core/presets';
import { openPlayground, readState, type DistilleryWindow } from './pages';

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';
const SVG = '<svg onload="window.__pwned=3">';

/** Collects Content-Security-Policy violations from the start of the page. */
async function watchViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (window as unknown as { __violations: string[] }).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __violations: string[] }).__violations.push(
        `${e.violatedDirective}: ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      ),
    );
  });
}

/** Elements the hostile values would have made, anywhere in the page, and whether anything ran. */
function injected(page: Page) {
  return page.evaluate(() => ({
    elements: document.querySelectorAll('#root img[src="x"], #root svg[onload], #root script, [onerror], [onload]').length,
    ran: (window as unknown as { __pwned?: number }).__pwned ?? null,
    violations: (window as unknown as { __violations: string[] }).__violations,
  }));
}

test('a link whose values carry markup and script shows them as text and runs nothing', async ({ page }) => {
  await watchViolations(page);
  const config = presetConfig('w2s-copying') as unknown as Record<string, any>;
  const hostile = {
    ...config,
    v: 1,
    seed: IMG,
    data: { ...config.data, dataset: SCRIPT },
    student: { ...config.student, model: { type: SVG } },
    [SCRIPT]: IMG, // an unknown key: ignored
  };
  const hash = `#c=${LZString.compressToEncodedURIComponent(JSON.stringify(hostile))}&run=1&lecture=1&hide=${encodeURIComponent(`${SCRIPT},student.loss`)}`;
  await page.goto(`./?backend=wasm&autorun=0${hash}`);
  await page.waitForFunction(() => Boolean((window as unknown as Partial<DistilleryWindow>).distillery));

  const notice = page.getByTestId('link-notice');
  await expect(notice).toBeVisible();
  // Each value is quoted in the notice as the characters it is.
  await expect(notice).toContainText(`seed: expected number (got ${JSON.stringify(IMG)})`);
  await expect(notice).toContainText(`data.dataset: must be one of`);
  await expect(notice).toContainText(JSON.stringify(SCRIPT));
  await expect(notice).toContainText('student.model.type: Invalid discriminator value');
  expect(await notice.locator('img, script, svg').count()).toBe(0);

  // The page works on with repaired values: the defaults where the link was bad, the rest as linked.
  const state = await page.evaluate(() => {
    const s = (window as unknown as DistilleryWindow).distillery.getState();
    return { draft: s.draft, problems: s.problems, hidden: s.hidden };
  });
  expect(state.problems).toEqual([]);
  expect(state.draft.seed).toBe(1);
  expect(state.draft.data.dataset).toBe('mnist');
  expect(state.hidden).toEqual(['student.loss']); // the markup was not taken as a control name

  await page.waitForTimeout(300);
  expect(await injected(page)).toEqual({ elements: 0, ran: null, violations: [] });
});

test('an imported file carrying markup, or made of it, is shown as text and runs nothing', async ({ page }) => {
  await watchViolations(page);
  await openPlayground(page, { backend: 'wasm', autorun: '0' });
  await page.getByTestId('export-menu').locator('summary').click();
  const input = page.getByTestId('import-config');

  // A file of markup: the problem is reported, quoting the start of the file as text.
  await input.setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(`${SCRIPT}${IMG}`) });
  const problem = page.getByTestId('export-menu').getByRole('alert');
  await expect(problem).toContainText('That file is not JSON');
  await expect(problem).toContainText('<script>');
  expect(await problem.locator('script, img').count()).toBe(0);

  // A config whose values are markup: replaced by defaults, each named, quoted as text.
  const config = { ...(presetConfig('kd-mnist') as unknown as Record<string, any>), seed: SVG, data: { ...presetConfig('kd-mnist').data, dataset: IMG } };
  await input.setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(config)) });
  const notice = page.getByTestId('link-notice');
  await expect(notice).toContainText(`seed: expected number (got ${JSON.stringify(SVG)})`);
  await expect(notice).toContainText(JSON.stringify(IMG));
  const s = await readState(page);
  expect(s.problems).toEqual([]);
  await page.waitForTimeout(300);
  expect(await injected(page)).toEqual({ elements: 0, ran: null, violations: [] });
});
