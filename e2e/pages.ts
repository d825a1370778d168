/**
 * Page helpers for the end-to-end tests: open the playground, wait on the run's status, read the state the
 * page exposes on `window.distillery` (read-only), and drive the config form.
 *
 * Functions passed to page.evaluate / waitForFunction run in the browser: they are serialized, so they may
 * use only their arguments, never variables from this module.
 */
import { expect, type Page } from '@playwright/test';
import type { AppState } from '../src/app/store/app-store';
import type { RunStatus } from '../src/app/store/run-state';

export type { RunStatus };
export type Backend = 'webgpu' | 'wasm' | 'webgl' | 'cpu';
export type Category = 'bothRight' | 'beats' | 'copies' | 'otherWrong' | 'regresses';
export const CATEGORIES: Category[] = ['bothRight', 'beats', 'copies', 'otherWrong', 'regresses'];

/** What `window.distillery` offers the tests. */
export interface DistilleryWindow {
  distillery: { getState(): AppState; subscribe(listener: (state: AppState) => void): () => void };
}

/**
 * Records, from the page's first script on, which research charts received points while their run was still
 * training (drawn live, not only at the end). A store subscription sees every change; polling can miss a short
 * run's whole training. Read the record with `liveCharts`.
 */
export async function recordLiveCharts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: Record<string, boolean> = {};
    let exposed: DistilleryWindow['distillery'] | undefined;
    Object.defineProperty(window, '__liveCharts', { value: seen });
    Object.defineProperty(window, 'distillery', {
      configurable: true,
      get: () => exposed,
      set: (value: DistilleryWindow['distillery']) => {
        exposed = value;
        value.subscribe(({ run }) => {
          if (run.status !== 'running') return;
          for (const chart of run.charts) if (Object.values(chart.points).some((points) => points.length > 0)) seen[chart.info.id] = true;
        });
      },
    });
  });
}

/** The charts that received points while their run trained (see recordLiveCharts). */
export function liveCharts(page: Page): Promise<Record<string, boolean>> {
  return page.evaluate(() => ({ ...(window as unknown as { __liveCharts: Record<string, boolean> }).__liveCharts }));
}

/** Opens the playground with query parameters (preset, backend, autorun) and waits for the app to mount. */
export async function openPlayground(page: Page, params: Record<string, string> = {}): Promise<void> {
  const query = new URLSearchParams(params).toString();
  await page.goto(query ? `./?${query}` : './');
  await page.waitForFunction(() => Boolean((window as unknown as Partial<DistilleryWindow>).distillery));
  await expect(page.getByTestId('config-panel')).toBeVisible();
}

/** A plain-data summary of the run (typed arrays and large data left out, so it crosses to Node cheaply). */
export interface RunSnapshot {
  status: RunStatus;
  runId: number;
  backend: { name: string; reason: string; skipped: string[] } | null;
  error: { kind: string; message: string } | null;
  kind: string | null;
  problems: string[];
  stages: { name: string; status: string; points: number; accuracy: number | null; bestAccuracy: number | null }[];
  result: {
    kind: string;
    dataset: string;
    pgrFinal: number | null;
    pgrBest: number | null;
    mistakes: Record<Category, number>;
    stages: string[];
  } | null;
}

export function readState(page: Page): Promise<RunSnapshot> {
  return page.evaluate(() => {
    const state = (window as unknown as DistilleryWindow).distillery.getState();
    const { run } = state;
    const m = run.result?.mistakes.test;
    return {
      status: run.status,
      runId: run.runId,
      backend: run.backend ? { name: run.backend.name, reason: run.backend.reason, skipped: [...run.backend.skipped] } : null,
      error: run.error ? { kind: run.error.kind, message: run.error.message } : null,
      kind: run.start?.kind ?? null,
      problems: [...state.problems],
      stages: run.stages.map((s) => ({
        name: s.name,
        status: s.status,
        points: s.history.length,
        accuracy: s.result?.accuracy ?? null,
        bestAccuracy: s.result?.bestAccuracy ?? null,
      })),
      result: run.result
        ? {
            kind: run.result.kind,
            dataset: run.result.config.data.dataset,
            pgrFinal: run.result.pgr.final,
            pgrBest: run.result.pgr.best,
            mistakes: { bothRight: m!.bothRight, beats: m!.beats, copies: m!.copies, otherWrong: m!.otherWrong, regresses: m!.regresses },
            stages: Object.keys(run.result.stages),
          }
        : null,
    };
  });
}

/** The per-example data of a finished weak-to-strong run: test labels and the final test predictions of two stages. */
export function readPredictions(page: Page, supervisor: string, student: string): Promise<{ labels: number[]; supervisor: number[]; student: number[] }> {
  return page.evaluate(
    ([sup, stu]) => {
      const { run } = (window as unknown as DistilleryWindow).distillery.getState();
      const predictions = (name: string) => {
        const result = run.stages.find((s) => s.name === name)?.result;
        if (!result) throw new Error(`stage ${name} has no result`);
        return Array.from(result.testPredictions);
      };
      if (!run.start) throw new Error('no experiment-start event');
      return { labels: Array.from(run.start.test.labels), supervisor: predictions(sup), student: predictions(stu) };
    },
    [supervisor, student] as const,
  );
}

/**
 * Waits until the run reaches one of `statuses` (optionally: a run newer than `afterRunId`). A run that ends
 * in 'error' (when not awaited) fails at once with the page's own message instead of timing out.
 */
export async function waitForStatus(
  page: Page,
  statuses: RunStatus | RunStatus[],
  options: { timeout?: number; afterRunId?: number } = {},
): Promise<RunSnapshot> {
  const wanted = Array.isArray(statuses) ? statuses : [statuses];
  const timeout = options.timeout ?? 120_000;
  try {
    const handle = await page.waitForFunction(
      ({ wanted, afterRunId }) => {
        const { run } = (window as unknown as DistilleryWindow).distillery.getState();
        if (run.runId <= afterRunId) return false;
        if (wanted.includes(run.status) || run.status === 'error') return run.status;
        return false;
      },
      { wanted, afterRunId: options.afterRunId ?? 0 },
      { timeout, polling: 100 },
    );
    await handle.dispose();
  } catch (error) {
    // Say where the run stands, not just that time ran out.
    const now = await readState(page).catch(() => null);
    const where = now
      ? `run ${now.runId} is '${now.status}' (${now.stages.map((s) => `${s.name}: ${s.status}, ${s.points} points`).join('; ')})`
      : 'the state could not be read';
    throw new Error(`waited ${timeout} ms for status ${wanted.join(' or ')}${options.afterRunId ? ` of a run after ${options.afterRunId}` : ''}: ${where}`, {
      cause: error,
    });
  }
  const state = await readState(page);
  if (state.status === 'error' && !wanted.includes('error')) {
    throw new Error(`the run ended in an error (${state.error?.kind}): ${state.error?.message}`);
  }
  return state;
}

/** Waits until some stage of the current run has drawn at least `points` curve points. */
export async function waitForCurvePoints(page: Page, points = 1, timeout = 60_000): Promise<void> {
  await page.waitForFunction((min) => (window as unknown as DistilleryWindow).distillery.getState().run.stages.some((s) => s.history.length >= min), points, {
    timeout,
    polling: 100,
  });
}

/** Types a value into a config field (by its input id) and leaves it, as a visitor would. */
export async function setField(page: Page, id: string, value: string | number): Promise<void> {
  const input = page.locator(`#${id}`);
  await input.fill(String(value));
  await input.press('Tab');
}

/** Parses a displayed percentage such as "70.05%" into a fraction; fails on anything else ("–"). */
export function parsePercent(text: string | null): number {
  const match = /^\s*(-?\d+(?:\.\d+)?)%\s*$/.exec(text ?? '');
  if (!match) throw new Error(`not a percentage: ${JSON.stringify(text)}`);
  return Number(match[1]) / 100;
}

/** The accuracy a stage card shows, as a fraction. */
export async function displayedAccuracy(page: Page, stage: string): Promise<number> {
  return parsePercent(await page.getByTestId(`accuracy-${stage}`).textContent());
}

/** Collects console errors and uncaught page errors from now on. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/**
 * Shrinks the w2s-copying preset through the form so that even the slow backends finish in seconds:
 * 2 epochs for the supervisor and the student, and a transfer split of 500 (the preset's 2000 takes over a
 * minute on software WebGPU, mostly in the first steps of each model). Fails if the form reports a problem.
 */
export async function shrinkCopyingConfig(page: Page): Promise<void> {
  await setField(page, 'field-supervisor-train-epochs', 2);
  await setField(page, 'field-student-train-epochs', 2);
  await setField(page, 'field-data-transferSize', 500);
  const draft = await page.evaluate(() => {
    const state = (window as unknown as DistilleryWindow).distillery.getState();
    if (state.draft.kind !== 'weak-to-strong') throw new Error(`expected a weak-to-strong draft, got ${state.draft.kind}`);
    return {
      problems: state.problems,
      epochs: [state.draft.supervisor.train.epochs, state.draft.student.train.epochs],
      transfer: state.draft.data.transferSize,
    };
  });
  expect(draft).toEqual({ problems: [], epochs: [2, 2], transfer: 500 });
}
