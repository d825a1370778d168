/**
 * GPU benchmark (not a test): every preset's models on WebGPU against wasm, for a machine with a real GPU.
 *
 *   npm run bench:gpu [-- --no-build] [--presets all|id,id] [--rounds 1] [--port 4190] [--allow-fallback] [--no-node]
 *                     [--chromium-flag=--use-angle=vulkan ...]
 *
 * 1. Headless Chromium with its GPU (the test suite's flags without --disable-gpu, plus Vulkan and WebGPU): the
 *    adapter is read first; without a hardware adapter (none, or the SwiftShader fallback) the browser part stops
 *    there unless --allow-fallback. Then each preset runs on ?backend=webgpu and ?backend=wasm, interleaved, in a
 *    fresh context each: the whole run in seconds, and each stage's milliseconds per training step (its seconds
 *    over its steps, the measurements along the way included).
 * 2. Node through Dawn (bench/dawn.ts: `npm i --no-save webgpu@0.6.2`), when installed: bench:node's training-step
 *    section on webgpu and wasm (every preset's models, the same cases as the wasm and cpu tables).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, launchOptions } from '../e2e/browser';
import { serveStatic } from '../e2e/static-server';
import { PRESETS } from '../src/core/presets';
import { measure, type Measurement } from './browser-measure';
import { build, describeRevision, machineLines, median, ROOT, rotate } from './support';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string, fallback: string) => {
  const at = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (at < 0) return fallback;
  return args[at].includes('=') ? args[at].split('=').slice(1).join('=') : args[at + 1];
};
const presetIds = option('--presets', 'all').split(',');
const rounds = Number(option('--rounds', '1'));
const port = Number(option('--port', '4190'));
const extraFlags = args.filter((a) => a.startsWith('--chromium-flag=')).map((a) => a.slice('--chromium-flag='.length));
const GPU_FLAGS = [
  ...CHROMIUM_ARGS.filter((f) => f !== '--disable-gpu'),
  '--enable-features=Vulkan,WebGPU',
  '--use-angle=vulkan',
  '--ignore-gpu-blocklist',
  '--enable-gpu-rasterization',
  ...extraFlags,
];
const BACKENDS = ['webgpu', 'wasm'] as const;
const TIMEOUT_S = 900;

async function browserPart(): Promise<void> {
  const dist = path.join(ROOT, 'dist');
  if (!flag('--no-build') || !existsSync(path.join(dist, 'index.html'))) build(ROOT, dist);
  const site = await serveStatic(dist, port, { isolated: false });
  const browser = await chromium.launch({ ...launchOptions, args: GPU_FLAGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${site.url}?autorun=0`);
    const adapter = await page.evaluate(async () => {
      type Adapter = { info?: Record<string, string | boolean>; isFallbackAdapter?: boolean };
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
      const found = gpu ? await gpu.requestAdapter() : null;
      if (!found) return null;
      const info = found.info ?? {};
      const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
      // The page's own test (worker/backend-choice.ts), and SwiftShader by name: some Chromium builds do not flag it.
      return { text, fallback: Boolean(info.isFallbackAdapter ?? found.isFallbackAdapter) || /swiftshader/i.test(text) };
    });
    await page.close();
    console.log(`## WebGPU in headless Chromium ${browser.version()}\n`);
    console.log(`Built from ${describeRevision(ROOT)}. Flags: ${GPU_FLAGS.join(' ')}\n`);
    console.log(
      `- adapter: ${adapter ? `${adapter.text || 'unnamed'}${adapter.fallback ? ' (a fallback adapter: software, SwiftShader)' : ' (hardware)'}` : 'none'}`,
    );
    if (!adapter || (adapter.fallback && !flag('--allow-fallback'))) {
      console.log('- no hardware adapter: the browser part stops here (--allow-fallback runs it on the software adapter anyway)\n');
      return;
    }
    const presets = PRESETS.filter((p) => presetIds.includes('all') || presetIds.includes(p.id));
    const runs = new Map<string, Measurement[]>();
    const jobs = presets.flatMap((p) => BACKENDS.map((backend) => ({ preset: p.id, backend })));
    for (let round = 0; round < rounds; round++) {
      for (const job of rotate(jobs, round)) {
        process.stderr.write(`round ${round + 1}/${rounds}: ${job.preset} on ${job.backend}…\n`);
        const result = await measure(browser, `${site.url}?backend=${job.backend}&preset=${job.preset}`, TIMEOUT_S).catch((error: unknown): Measurement => ({
          finished: false,
          note: `the page failed: ${(error as Error).message.split('\n')[0]}`,
        }));
        process.stderr.write(`  ${result.finished ? `done in ${(result.wallMs! / 1000).toFixed(1)} s on ${result.ranOn}` : result.note}\n`);
        const key = `${job.preset} ${job.backend}`;
        runs.set(key, [...(runs.get(key) ?? []), result]);
      }
    }
    const wall = (r: Measurement[]) => (r.every((m) => m.finished) ? median(r.map((m) => m.wallMs!)) / 1000 : NaN);
    console.log(`\nWhole presets, medians of ${rounds} interleaved round(s), navigation start to the end of the run:\n`);
    console.log('| preset | wasm, s | webgpu, s | webgpu ran on | wasm / webgpu |');
    console.log('|---|---|---|---|---|');
    for (const p of presets) {
      const [gpu, wasm] = [runs.get(`${p.id} webgpu`)!, runs.get(`${p.id} wasm`)!];
      const [g, w] = [wall(gpu), wall(wasm)];
      const text = (s: number, r: Measurement[]) => (Number.isFinite(s) ? s.toFixed(1) : (r.find((m) => !m.finished)?.note ?? 'failed'));
      console.log(
        `| ${p.id} | ${text(w, wasm)} | ${text(g, gpu)} | ${gpu[0]?.ranOn ?? '–'} | ${Number.isFinite(g) && Number.isFinite(w) ? `${(w / g).toFixed(2)}x` : 'n/a'} |`,
      );
    }
    console.log("\nTraining steps in the page (a stage's seconds over its steps, measurements included), first round:\n");
    console.log('| preset | stage | model | wasm, ms/step | webgpu, ms/step |');
    console.log('|---|---|---|---|---|');
    for (const p of presets) {
      const [gpu, wasm] = [runs.get(`${p.id} webgpu`)![0], runs.get(`${p.id} wasm`)![0]];
      for (const [stage, t] of Object.entries(wasm?.stageTimes ?? {})) {
        const g = gpu?.stageTimes?.[stage];
        const ms = (x?: { seconds: number; steps: number }) => (x && x.steps > 0 ? ((1000 * x.seconds) / x.steps).toFixed(2) : 'n/a');
        console.log(`| ${p.id} | ${stage} | ${t.model} | ${ms(t)} | ${ms(g)} |`);
      }
    }
    console.log('');
  } finally {
    await browser.close();
    await site.close();
  }
}

function nodePart(): void {
  console.log('## WebGPU in Node through Dawn\n');
  const check = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./bench/dawn.ts').then((m) => m.installDawn()).then(console.log)"], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (check.status !== 0) {
    console.log(`- not measured: ${(check.stderr.split('\n').find((l) => /^Error: /.test(l)) ?? check.stderr.trim()).slice(0, 300)}\n`);
    return;
  }
  console.log(`- adapter: ${check.stdout.trim()}\n`);
  const step = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/node.bench.ts', '--sections', 'step', '--backends', 'webgpu,wasm', '--no-torch', '--rounds', String(Math.max(3, rounds))],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (step.status !== 0) console.log(`- the step benchmark exited with ${step.status}`);
}

await browserPart();
if (!flag('--no-node')) nodePart();
machineLines().forEach((line) => console.log(line));
