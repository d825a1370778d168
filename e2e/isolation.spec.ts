/**
 * The built site with and without cross-origin isolation. GitHub Pages cannot send COOP/COEP headers, so there
 * the wasm backend must run single-threaded SIMD; where a host sends them (vite preview/dev can) the page is
 * isolated and tfjs may load its multithreaded binary, whose thread workers crashed the training worker
 * before (a minifier renamed what their start-up code needs). Each case must finish, not hang, with the same
 * numbers as the plain page.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import { presetConfig } from '../src/core/presets';
import { serveStatic, type StaticSite } from './static-server';
import { collectErrors, waitForStatus, type DistilleryWindow } from './pages';

const copying = presetConfig('w2s-copying') as Extract<ExperimentConfig, { kind: 'weak-to-strong' }>;
const QUICK: ExperimentConfig = parseConfig({
  ...copying,
  supervisor: { ...copying.supervisor, train: { ...copying.supervisor.train, epochs: 3 } },
  student: { ...copying.student, train: { ...copying.student.train, epochs: 2 } },
});

// Ports beside the suite's own server (E2E_PORT), so checkouts running the suite side by side do not collide.
const BASE_PORT = Number(process.env.E2E_PORT ?? 4173) + 10;
let plain: StaticSite;
let isolated: StaticSite;

test.beforeAll(async () => {
  // dist/ is the build the suite's web server made before the tests started.
  plain = await serveStatic('dist', BASE_PORT, { isolated: false });
  isolated = await serveStatic('dist', BASE_PORT + 1, { isolated: true });
});

test.afterAll(async () => {
  await plain?.close();
  await isolated?.close();
});

interface Outcome {
  crossOriginIsolated: boolean;
  backend: string | null;
  threads: number | null;
  wasmFiles: string[];
  accuracies: Record<string, number>;
  pgr: number | null;
}

async function run(page: Page, site: StaticSite, extra = ''): Promise<Outcome> {
  const wasmFiles: string[] = [];
  page.context().on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasmFiles.push(new URL(request.url()).pathname.split('/').pop()!);
  });
  const errors = collectErrors(page);
  await page.goto(`${site.url}?backend=wasm${extra}${encodeLink(QUICK, { run: true })}`);
  // A hang (a thread that never starts) shows up as this timeout, well before the test's own.
  await waitForStatus(page, 'done', { timeout: 45_000 });
  expect(errors).toEqual([]);
  const state = await page.evaluate(() => {
    const { run } = (window as unknown as DistilleryWindow).distillery.getState();
    return {
      crossOriginIsolated: window.crossOriginIsolated,
      backend: run.backend?.name ?? null,
      threads: run.backend?.threads ?? null,
      accuracies: Object.fromEntries(Object.entries(run.result!.stages).map(([name, stage]) => [name, stage.accuracy])),
      pgr: run.result!.pgr.final,
    };
  });
  return { ...state, wasmFiles };
}

test('not isolated (as on GitHub Pages): single-threaded SIMD wasm', async ({ page }) => {
  const outcome = await run(page, plain);
  expect(outcome.crossOriginIsolated).toBe(false);
  expect(outcome.backend).toBe('wasm');
  expect(outcome.threads).toBe(1);
  expect(outcome.wasmFiles.some((f) => f.startsWith('tfjs-backend-wasm-simd-'))).toBe(true);
  expect(outcome.wasmFiles.some((f) => f.includes('threaded'))).toBe(false);
});

test('isolated, automatic choice: the run finishes with the same numbers as the plain page', async ({ browser }) => {
  const a = await browser.newPage();
  const reference = await run(a, plain);
  await a.close();
  const b = await browser.newPage();
  const outcome = await run(b, isolated);
  await b.close();
  expect(outcome.crossOriginIsolated).toBe(true);
  expect(outcome.backend).toBe('wasm');
  expect(outcome.accuracies).toEqual(reference.accuracies);
  expect(outcome.pgr).toBe(reference.pgr);
});

test('isolated with the multithreaded binary asked for: its threads start and give the same numbers', async ({ browser }) => {
  const a = await browser.newPage();
  const reference = await run(a, plain);
  await a.close();
  const b = await browser.newPage();
  const outcome = await run(b, isolated, '&wasm-threads=on');
  await b.close();
  expect(outcome.crossOriginIsolated).toBe(true);
  expect(outcome.wasmFiles.some((f) => f.startsWith('tfjs-backend-wasm-threaded-simd-'))).toBe(true);
  // tfjs computes with half the logical cores: 1 thread on a 2-core machine, still through the threaded binary.
  expect(outcome.threads).toBeGreaterThanOrEqual(1);
  expect(outcome.accuracies).toEqual(reference.accuracies);
  expect(outcome.pgr).toBe(reference.pgr);
});
