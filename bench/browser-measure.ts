/**
 * One measured run in headless Chromium, shared by the browser benchmarks: open a URL that starts a run, wait for
 * the page's `distillery:run-done` mark, and read what the page and its worker did meanwhile.
 */
import type { Browser, BrowserContext } from '@playwright/test';

/** Main-thread tasks longer than this count as long (issue 6's target). */
export const LONG_TASK_MS = 50;

/** Runs in the page before its own scripts: frame timestamps, long tasks and the two marks. */
function instrument(): void {
  interface Bench {
    frames: number[];
    longTasks: { start: number; duration: number }[];
  }
  const bench: Bench = { frames: [], longTasks: [] };
  (window as unknown as { __bench: Bench }).__bench = bench;
  const frame = (time: number) => {
    bench.frames.push(time);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No Long Tasks API in this browser: the table says "n/a".
    (bench as { longTasks: unknown }).longTasks = null;
  }
}

export interface Measurement {
  finished: boolean;
  note?: string;
  ranOn?: string;
  /** wasm threads. */
  threads?: number;
  wallMs?: number;
  firstPointMs?: number;
  fps?: number;
  worstFrameMs?: number;
  longestTaskMs?: number | null;
  longTasks?: number | null;
  pgr?: number | null;
  student?: number | null;
  crossOriginIsolated?: boolean;
  /** Final test accuracy of every stage (the same numbers before and now say the same training). */
  accuracies?: Record<string, number>;
  /** Stages the run reused instead of training them. */
  reused?: string[];
  /** Each stage's training: seconds (measurements included), steps and model. */
  stageTimes?: Record<string, { seconds: number; steps: number; model: string }>;
  /** Bytes fetched, by kind (script, wasm, data, other). */
  fetched?: Record<string, number>;
}

function kindOf(url: string): string {
  const pathname = new URL(url).pathname;
  if (pathname.endsWith('.js')) return 'script';
  if (pathname.endsWith('.wasm')) return 'wasm';
  if (/\/(datasets|models)\//.test(pathname)) return 'data';
  return 'other';
}

/**
 * Opens `url` (which starts a run) and measures it. In `shared` (a browser context kept by the caller: its
 * IndexedDB holds what earlier runs kept) or in a fresh context, closed afterwards.
 */
export async function measure(browser: Browser, url: string, timeoutS: number, shared?: BrowserContext): Promise<Measurement> {
  const context = shared ?? (await browser.newContext({ viewport: { width: 1280, height: 720 } }));
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const fetched: Record<string, number> = {};
  const sizes: Promise<void>[] = [];
  context.on('requestfinished', (request) => {
    sizes.push(
      request.sizes().then(
        (s) => {
          const kind = kindOf(request.url());
          fetched[kind] = (fetched[kind] ?? 0) + s.responseBodySize;
        },
        () => undefined,
      ),
    );
  });
  // tsx (esbuild, keepNames) wraps named inner functions in __name(...): give the page a no-op one, since
  // functions sent to the page lose the helper that lives in this module.
  await page.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((fn) => fn);' });
  await page.addInitScript(instrument);
  try {
    await page.goto(url);
    try {
      await page.waitForFunction(
        () => {
          const state = (window as unknown as { distillery?: { getState(): { run: { status: string } } } }).distillery?.getState();
          return performance.getEntriesByName('distillery:run-done').length > 0 || state?.run.status === 'error';
        },
        null,
        { timeout: timeoutS * 1000, polling: 250 },
      );
    } catch {
      const progress = await page.evaluate(() => {
        const { run } = (
          window as unknown as { distillery: { getState(): { run: { stages: { name: string; history: unknown[]; totalSteps: number }[] } } } }
        ).distillery.getState();
        return run.stages.map((s) => `${s.name} ${s.history.length} points`).join(', ');
      });
      return { finished: false, note: `did not finish in ${timeoutS} s (${progress || 'no stage started'})` };
    }
    const data = await page.evaluate(() => {
      const bench = (window as unknown as { __bench: { frames: number[]; longTasks: { start: number; duration: number }[] | null } }).__bench;
      const mark = (name: string) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? null;
      const state = (
        window as unknown as {
          distillery: {
            getState(): {
              run: {
                status: string;
                error: { message: string } | null;
                backend: { name: string; reason: string; threads?: number } | null;
                result: {
                  pgr: { final: number | null };
                  stages: Record<string, { accuracy: number; reused?: unknown; seconds: number; stepsRun: number; model: string }>;
                } | null;
              };
            };
          };
        }
      ).distillery.getState();
      return {
        firstPoint: mark('distillery:first-point'),
        runDone: mark('distillery:run-done'),
        frames: bench.frames,
        longTasks: bench.longTasks,
        status: state.run.status,
        error: state.run.error?.message ?? null,
        backend: state.run.backend?.name ?? null,
        threads: state.run.backend?.threads ?? null,
        pgr: state.run.result?.pgr.final ?? null,
        student: state.run.result?.stages.student?.accuracy ?? null,
        accuracies: Object.fromEntries(Object.entries(state.run.result?.stages ?? {}).map(([name, s]) => [name, s.accuracy])),
        stageTimes: Object.fromEntries(
          Object.entries(state.run.result?.stages ?? {}).map(([name, s]) => [name, { seconds: s.seconds, steps: s.stepsRun, model: s.model }]),
        ),
        reused: Object.entries(state.run.result?.stages ?? {})
          .filter(([, s]) => s.reused)
          .map(([name]) => name),
        crossOriginIsolated: window.crossOriginIsolated,
      };
    });
    await Promise.all(sizes);
    if (data.status === 'error' || data.runDone === null || data.firstPoint === null) {
      return {
        finished: false,
        ranOn: data.backend ?? undefined,
        note: `the run ended in ${data.status}: ${data.error ?? (pageErrors.join('; ') || 'no message')}`,
      };
    }
    const { firstPoint, runDone } = data;
    // Frames and long tasks inside the training window (first curve point to the end of the run).
    const frames = data.frames.filter((t) => t >= firstPoint && t <= runDone);
    let worstFrameMs = 0;
    for (let i = 1; i < frames.length; i++) worstFrameMs = Math.max(worstFrameMs, frames[i] - frames[i - 1]);
    const tasks = data.longTasks?.filter((t) => t.start + t.duration >= firstPoint && t.start <= runDone) ?? null;
    return {
      finished: true,
      ranOn: data.backend ?? '?',
      threads: data.threads ?? undefined,
      wallMs: runDone,
      firstPointMs: firstPoint,
      fps: frames.length / ((runDone - firstPoint) / 1000),
      worstFrameMs,
      longestTaskMs: tasks === null ? null : tasks.reduce((max, t) => Math.max(max, t.duration), 0),
      longTasks: tasks === null ? null : tasks.filter((t) => t.duration > LONG_TASK_MS).length,
      pgr: data.pgr,
      student: data.student,
      accuracies: data.accuracies,
      reused: data.reused,
      stageTimes: data.stageTimes,
      crossOriginIsolated: data.crossOriginIsolated,
      fetched,
    };
  } finally {
    if (shared) await page.close();
    else await context.close();
  }
}
