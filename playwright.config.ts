import { defineConfig, devices } from '@playwright/test';
import { launchOptions } from './e2e/browser';

// E2E_PORT lets two checkouts (or two developers' builds) run the suite on one machine at once.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const BASE_URL = `http://localhost:${PORT}/`;

export default defineConfig({
  testDir: 'e2e',
  // Training is CPU-bound and this suite runs on small machines: one test at a time, so timings stay honest.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  // The longest test trains two small experiments back to back (a few seconds each on wasm); the webgpu
  // test runs on a software adapter at ~100 ms a step. 180 s leaves room for slow CI machines.
  timeout: 180_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  webServer: {
    command: `npm run build && npx vite preview --port ${PORT} --strictPort`,
    url: BASE_URL,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
  use: {
    baseURL: BASE_URL,
    launchOptions,
    viewport: { width: 1280, height: 720 },
    trace: 'retain-on-failure',
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions, viewport: { width: 1280, height: 720 } } }],
});
