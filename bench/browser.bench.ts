/**
 * Browser benchmark: the default preset (w2s-mnist) on each tfjs backend, side by side, in headless Chromium.
 *
 *   npm run bench:browser [-- --no-build] [--backends wasm,webgl,cpu,webgpu] [--port 4173]
 *
 * For each backend it opens /?backend=<name> and measures
 *   - the whole experiment: navigation start to the page's `distillery:run-done` mark;
 *   - the first curve point: the `distillery:first-point` mark (ms after navigation start);
 *   - frames per second while training: requestAnimationFrame callbacks between the two marks;
 *   - main-thread long tasks while training (PerformanceObserver 'longtask'). Chrome reports only tasks of
 *     50 ms or more, so "none" means every task was under 50 ms.
 * It prints a markdown table and the machine it ran on. Not a test: it never fails on a missed target.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright';
import { launchOptions } from '../e2e/browser';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ALL_BACKENDS = ['wasm', 'webgl', 'cpu', 'webgpu'] as const;
type Backend = (typeof ALL_BACKENDS)[number];

// Software WebGPU (SwiftShader) takes ~100 ms a step and the preset has ~1000 steps: allow it 10 minutes.
const TIMEOUT_S: Record<Backend, number> = { wasm: 300, webgl: 300, cpu: 300, webgpu: 600 };

const TARGETS = { longTaskMs: 50, fps: 50, wallS: 30 };

interface Options {
  build: boolean;
  backends: Backend[];
  port: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { build: true, backends: [...ALL_BACKENDS], port: 4173 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--no-build') options.build = false;
    else if (flag === '--backends') {
      const names = value().split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = names.filter((n) => !(ALL_BACKENDS as readonly string[]).includes(n));
      if (unknown.length) throw new Error(`unknown backend(s) ${unknown.join(', ')}; choose from ${ALL_BACKENDS.join(', ')}`);
      options.backends = names as Backend[];
    } else if (flag === '--port') options.port = Number(value());
    else throw new Error(`unknown option ${argv[i]}; options: --no-build, --backends a,b, --port N`);
  }
  return options;
}

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

interface Measurement {
  backend: Backend;
  finished: boolean;
  note?: string;
  ranOn?: string;
  wallMs?: number;
  firstPointMs?: number;
  fps?: number;
  worstFrameMs?: number;
  longestTaskMs?: number | null;
  longTasks?: number | null;
  pgr?: number | null;
  student?: number | null;
}

async function measure(browser: Browser, baseUrl: string, backend: Backend): Promise<Measurement> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // tsx (esbuild, keepNames) wraps named inner functions in __name(...): give the page a no-op one, since
  // functions sent to the page lose the helper that lives in this module.
  await page.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((fn) => fn);' });
  await page.addInitScript(instrument);
  const timeoutS = TIMEOUT_S[backend];
  try {
    await page.goto(`${baseUrl}?backend=${backend}`);
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
        const { run } = (window as unknown as { distillery: { getState(): { run: { stages: { name: string; history: unknown[]; totalSteps: number }[] } } } }).distillery.getState();
        return run.stages.map((s) => `${s.name} ${s.history.length} points`).join(', ');
      });
      return { backend, finished: false, note: `did not finish in ${timeoutS} s (${progress || 'no stage started'})` };
    }
    const data = await page.evaluate(() => {
      const bench = (window as unknown as { __bench: { frames: number[]; longTasks: { start: number; duration: number }[] | null } }).__bench;
      const mark = (name: string) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? null;
      const state = (
        window as unknown as {
          distillery: { getState(): { run: { status: string; error: { message: string } | null; backend: { name: string } | null; result: { pgr: { final: number | null }; stages: Record<string, { accuracy: number }> } | null } } };
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
        pgr: state.run.result?.pgr.final ?? null,
        student: state.run.result?.stages.student?.accuracy ?? null,
      };
    });
    if (data.status === 'error' || data.runDone === null || data.firstPoint === null) {
      return { backend, finished: false, ranOn: data.backend ?? undefined, note: `the run ended in ${data.status}: ${data.error ?? (pageErrors.join('; ') || 'no message')}` };
    }
    const { firstPoint, runDone } = data;
    // Frames and long tasks inside the training window (first curve point to the end of the run).
    const frames = data.frames.filter((t) => t >= firstPoint && t <= runDone);
    let worstFrameMs = 0;
    for (let i = 1; i < frames.length; i++) worstFrameMs = Math.max(worstFrameMs, frames[i] - frames[i - 1]);
    const tasks = data.longTasks?.filter((t) => t.start + t.duration >= firstPoint && t.start <= runDone) ?? null;
    return {
      backend,
      finished: true,
      ranOn: data.backend ?? '?',
      wallMs: runDone,
      firstPointMs: firstPoint,
      fps: frames.length / ((runDone - firstPoint) / 1000),
      worstFrameMs,
      longestTaskMs: tasks === null ? null : tasks.reduce((max, t) => Math.max(max, t.duration), 0),
      longTasks: tasks === null ? null : tasks.filter((t) => t.duration > TARGETS.longTaskMs).length,
      pgr: data.pgr,
      student: data.student,
    };
  } finally {
    await context.close();
  }
}

const mark = (ok: boolean) => (ok ? '✓' : '✗');

function row(m: Measurement): string {
  if (!m.finished) return `| ${m.backend} | ${m.ranOn ?? '–'} | ${m.note} | | | | | | |`;
  const wall = m.wallMs! / 1000;
  const tasks =
    m.longTasks === null || m.longestTaskMs === null
      ? 'n/a (no Long Tasks API)'
      : m.longTasks === 0
        ? `none ${mark(true)}`
        : `${m.longTasks}, longest ${m.longestTaskMs!.toFixed(0)} ms ${mark(false)}`;
  return [
    '',
    m.backend,
    m.ranOn,
    `${wall.toFixed(1)} ${mark(wall < TARGETS.wallS)}`,
    (m.firstPointMs! / 1000).toFixed(2),
    `${m.fps!.toFixed(1)} ${mark(m.fps! >= TARGETS.fps)}`,
    m.worstFrameMs!.toFixed(0),
    tasks,
    m.pgr === null || m.pgr === undefined ? 'n/a' : m.pgr.toFixed(3),
    m.student === null || m.student === undefined ? 'n/a' : `${(m.student * 100).toFixed(2)}%`,
    '',
  ].join(' | ').trim();
}

async function waitForServer(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`vite preview exited with code ${server.exitCode} (is the port taken? try --port)`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`vite preview did not answer at ${url} within ${timeoutMs / 1000} s`);
}

function tfjsVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../node_modules/@tensorflow/tfjs/package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '4.22.0 (from package.json)';
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.build) {
    // Build output goes to stderr: stdout carries only the report.
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status})`);
  }
  const baseUrl = `http://localhost:${options.port}/`;
  // Its own process group, so the whole server (and anything it spawned) is ended at the end.
  const server = spawn('node_modules/.bin/vite', ['preview', '--port', String(options.port), '--strictPort'], { cwd: ROOT, detached: true, stdio: ['ignore', 'ignore', 2] });
  const stopServer = () => {
    if (server.pid !== undefined && server.exitCode === null) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  process.on('SIGINT', () => {
    stopServer();
    process.exit(130);
  });

  let browser: Browser | null = null;
  try {
    await waitForServer(baseUrl, server, 30_000);
    browser = await chromium.launch(launchOptions);
    const results: Measurement[] = [];
    for (const backend of options.backends) {
      process.stderr.write(`benchmarking ${backend}…\n`);
      const result = await measure(browser, baseUrl, backend);
      process.stderr.write(`  ${result.finished ? `done in ${(result.wallMs! / 1000).toFixed(1)} s` : result.note}\n`);
      results.push(result);
    }

    const cpus = os.cpus();
    console.log('## Browser benchmark: default preset (w2s-mnist), headless Chromium, 1280x720\n');
    console.log(
      `| backend | ran on | whole run, s (target < ${TARGETS.wallS}) | first curve point, s | fps while training (target ≥ ${TARGETS.fps}) | worst frame gap, ms | main-thread tasks > ${TARGETS.longTaskMs} ms while training (target: none) | final PGR | student accuracy |`,
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const result of results) console.log(row(result));
    console.log('');
    console.log('Times are from navigation start (the page starts the preset on load). Chrome reports only tasks of 50 ms or more: "none" means every main-thread task while training was under 50 ms.');
    console.log('');
    console.log(`- CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`);
    console.log(`- Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; OS: ${os.type()} ${os.release()} (${os.arch()})`);
    console.log(`- Browser: Chromium ${browser.version()} (headless${launchOptions.executablePath ? `, ${launchOptions.executablePath}` : ''}); flags: ${launchOptions.args.join(' ')}`);
    console.log(`- tfjs ${tfjsVersion()}; Node ${process.version}`);
  } finally {
    await browser?.close();
    stopServer();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
