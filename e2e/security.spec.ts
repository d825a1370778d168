/** What a page opened from a stranger's link may do: talk only to its own site, and run only its own code. */
import { expect, test } from '@playwright/test';

test('a full run of the default preset requests nothing outside the site', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto('/');
  await page.waitForFunction(
    () => (window as unknown as { distillery: { getState(): { run: { status: string } } } }).distillery.getState().run.status === 'done',
    undefined,
    { timeout: 120_000 },
  );
  expect(requests.length).toBeGreaterThan(5); // the page, its scripts, the worker, the wasm, the dataset, the encoder
  expect(requests.filter((url) => new URL(url).origin !== origin && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
  expect(requests.some((url) => url.includes('datasets/mnist.bin'))).toBe(true);
});

test('the Content-Security-Policy refuses scripts the site did not ship', async ({ page }) => {
  await page.goto('/?autorun=0');
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).toContain("connect-src 'self'");
  const outcome = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.body.appendChild(script);
    let fetchRefused = false;
    try {
      await fetch('https://example.invalid/steal');
    } catch {
      fetchRefused = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { injected: (window as unknown as { __injected?: boolean }).__injected === true, violations, fetchRefused };
  });
  expect(outcome.injected).toBe(false);
  expect(outcome.fetchRefused).toBe(true);
  expect(outcome.violations).toEqual(expect.arrayContaining(['script-src-elem', 'connect-src']));
});

test('when the wasm binaries cannot load, the run falls back to the next backend and says so', async ({ page }) => {
  await page.route('**/*.wasm', (route) => route.abort());
  await page.goto('/?preset=w2s-copying');
  await page.waitForFunction(
    () => {
      const s = (window as unknown as { distillery: { getState(): { run: { status: string } } } }).distillery.getState();
      return s.run.status === 'done' || s.run.status === 'error';
    },
    undefined,
    { timeout: 150_000 },
  );
  const { backend, status } = await page.evaluate(() => {
    const s = (
      window as unknown as { distillery: { getState(): { run: { status: string; backend: { name: string; skipped: string[] } } } } }
    ).distillery.getState();
    return { backend: s.run.backend, status: s.run.status };
  });
  expect(status).toBe('done');
  expect(backend.name).toBe('webgl');
  expect(backend.skipped.join(' ')).toMatch(/wasm failed to start/);
  await expect(page.getByTestId('backend-badge')).toContainText('webgl');
});
