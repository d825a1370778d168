/**
 * The training worker seen from the tests: every worker a page starts, its read-only figures
 * (`self.distilleryWorker`: runs training at once, the peak, live tensors, read with worker.evaluate), and faults
 * injected into its script. Faults come from the test side only: Playwright rewrites the worker script on its way
 * to the page (page.route), so a production build has no hook a link could reach.
 */
import type { Page, Worker } from '@playwright/test';

export interface WorkerFigures {
  stats: { training: number; peakTraining: number; started: number; deviceLosses: number };
  memory: { numTensors: number; numBytes: number };
}

export function workerFigures(worker: Worker): Promise<WorkerFigures> {
  return worker.evaluate(() => {
    const w = (self as unknown as { distilleryWorker: { stats: WorkerFigures['stats']; memory(): WorkerFigures['memory'] } }).distilleryWorker;
    return { stats: { ...w.stats }, memory: w.memory() };
  });
}

/** Records every worker the page starts. */
export function trackWorkers(page: Page): { all: Worker[]; closed: Set<Worker> } {
  const tracked = { all: [] as Worker[], closed: new Set<Worker>() };
  page.on('worker', (worker) => {
    tracked.all.push(worker);
    worker.on('close', () => tracked.closed.add(worker));
  });
  return tracked;
}

/**
 * Puts `code` in front of the training worker's script for the next `times` workers the page starts (later ones
 * get the script as built). Module scripts run their imports first, so the code runs before the worker's first
 * message and may wrap globals it uses later (postMessage, navigator.gpu, GPUAdapter).
 */
export async function injectIntoWorker(page: Page, code: string, times = 1): Promise<void> {
  let left = times;
  await page.route(/\/training\.worker-[\w-]+\.js$/, async (route) => {
    if (left <= 0) return route.continue();
    left--;
    const response = await route.fetch();
    await route.fulfill({ response, body: `${code}\n${await response.text()}` });
  });
}
