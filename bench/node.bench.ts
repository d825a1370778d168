/**
 * Node benchmark (not a test; `npm run bench:node`). Prints markdown tables, ready to paste into BENCHMARKS.md:
 *
 *   step     ms per training step of the issue-6 reference MLP and of every preset's models, per backend:
 *            this project's loop, tf.layers model.fit doing the same work, and PyTorch on the same shapes
 *            (bench/torch_reference.py, with 1 thread and the default thread count), side by side as ratios;
 *   presets  whole-experiment wall time of every preset per backend (the path the CLI takes);
 *   memory   tf.memory() tensors and bytes, JS heap and wasm heap every 1,000 steps of a 20,000-step run;
 *   bundle   sizes of the production build: initial JavaScript, worker, wasm, and the files the default page fetches.
 *
 * Every figure in a table comes from one run. Alternatives are interleaved (round r runs each measurer once, in
 * an order rotated every round) and the median of the rounds is reported, so the machine's load falls on all
 * of them alike. With --before REV the code of an earlier commit (checked out in a temporary worktree) is
 * measured in the same rounds: the "before" columns.
 *
 *   npm run bench:node
 *   npm run bench:node -- --before <commit> [--sections step,presets,memory,bundle] [--backends cpu,wasm]
 *       [--rounds 5] [--steps 200] [--presets id,id] [--max-seconds 180] [--preset-rounds 3]
 *       [--memory-steps 20000] [--memory-backends wasm] [--python /usr/bin/python3] [--torch-lib-path DIR]
 *       [--no-torch] [--no-reuse] [--write-cases FILE]
 *
 * --torch-lib-path puts DIR first on the PyTorch process's LD_LIBRARY_PATH: a folder holding OpenBLAS's
 * libblas.so.3, when the system's libblas.so.3 is the unoptimised reference BLAS (see bench/torch_reference.py).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/core/config/read';
import { DEFAULT_PRESET_ID, PRESETS } from '../src/core/presets';
import { REFERENCE_CASE, stepCases, type StepCase } from './cases';
import { withStudentChanged } from './reuse';
import {
  build,
  buildSizes,
  checkoutRevision,
  describeRevision,
  findTorchPython,
  JsonLineServer,
  kB,
  machineLines,
  median,
  nodeServer,
  ROOT,
  rotate,
  sum,
  type BuildSizes,
} from './support';

const { values } = parseArgs({
  options: {
    sections: { type: 'string', default: 'step,presets,memory,bundle' },
    backends: { type: 'string', default: 'cpu,wasm' },
    rounds: { type: 'string', default: '5' },
    steps: { type: 'string', default: '200' },
    'budget-ms': { type: 'string', default: '1500' },
    before: { type: 'string' },
    presets: { type: 'string' },
    'max-seconds': { type: 'string', default: '180' },
    'preset-rounds': { type: 'string', default: '3' },
    'memory-steps': { type: 'string', default: '20000' },
    'memory-backends': { type: 'string', default: 'wasm' },
    python: { type: 'string' },
    'torch-lib-path': { type: 'string' },
    'no-torch': { type: 'boolean', default: false },
    'no-reuse': { type: 'boolean', default: false },
    'write-cases': { type: 'string' },
  },
});

const sections = new Set(values.sections.split(','));
const backends = values.backends.split(',').filter(Boolean);
const ROUNDS = Number(values.rounds);
const MAX_STEPS = Number(values.steps);
const BUDGET_MS = Number(values['budget-ms']);
const presetFilter = values.presets?.split(',');
const log = (text: string) => process.stderr.write(`${text}\n`);
const print = (text = '') => console.log(text);

if (values['write-cases']) {
  writeFileSync(values['write-cases'], JSON.stringify(stepCases(presetFilter), null, 2));
  log(`wrote ${values['write-cases']}`);
  process.exit(0);
}

const beforeRoot = values.before ? checkoutRevision(values.before) : null;
const servers: JsonLineServer[] = [];
process.on('SIGINT', () => {
  servers.forEach((s) => s.close());
  process.exit(130);
});
function startServer(label: string, root: string, backend: string): JsonLineServer {
  const server = nodeServer(label, root, backend);
  servers.push(server);
  return server;
}

print(`# Node benchmarks, ${new Date().toISOString().slice(0, 10)}\n`);
print(`Command: \`npm run bench:node -- ${process.argv.slice(2).join(' ')}\``.replace(/ -- `$/, '`'));
print(`\nCode measured: this checkout at ${describeRevision(ROOT)}${beforeRoot ? `; "before": ${describeRevision(beforeRoot)} (${values.before})` : ''}.\n`);
machineLines()
  .slice(0, 2)
  .forEach((line) => print(line));
print();

// ---------------------------------------------------------------------------------------------------------
// Training step: this loop, model.fit, PyTorch (and the loop before), interleaved.

interface Measurer {
  label: string;
  run(c: StepCase, steps: number): Promise<number>;
}

async function stepSection(): Promise<void> {
  const cases = stepCases(presetFilter);
  const torch = values['no-torch'] ? { python: null, note: 'PyTorch skipped (--no-torch)' } : findTorchPython(values.python);
  let torchServer: JsonLineServer | null = null;
  let torchThreads: number[] = [];
  if (torch.python) {
    const libPath = values['torch-lib-path'];
    const env = libPath ? { ...process.env, LD_LIBRARY_PATH: [libPath, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : process.env;
    torchServer = new JsonLineServer('torch', torch.python, [path.join(ROOT, 'bench/torch_reference.py'), '--serve'], ROOT, env);
    servers.push(torchServer);
    const ready = (await torchServer.ready) as { defaultThreads: number; cpus: number; blas: string };
    if ('error' in ready) {
      torch.note = `the PyTorch reference did not start (${String((ready as { error: unknown }).error)}); PyTorch columns skipped`;
      torchServer = null;
    } else {
      torchThreads = [...new Set([1, ready.defaultThreads, os.cpus().length])].sort((a, b) => a - b);
      torch.note += `, default thread count ${ready.defaultThreads}, matrix products in ${ready.blas}`;
    }
  }
  print('## Training step\n');
  print(
    `Milliseconds per training step (median of ${ROUNDS} interleaved rounds; each round runs every column once, up to ${MAX_STEPS} steps or about ${BUDGET_MS / 1000} s, after a warm-up). ` +
      "The same network, batch size, optimizer and cross-entropy in each column, on random data of the same shape; a frozen encoder's student trains its probe on the 64 cached features, so that is its step. " +
      `${torch.note}.\n`,
  );
  for (const backend of backends) {
    const after = startServer(`loop ${backend}`, ROOT, backend);
    const before = beforeRoot ? startServer(`before ${backend}`, beforeRoot, backend) : null;
    const measurers: Measurer[] = [
      { label: 'loop', run: async (c, steps) => (await after.request<{ ms: number }>({ op: 'loop', case: c, steps })).ms },
      { label: 'fit', run: async (c, steps) => (await after.request<{ ms: number }>({ op: 'fit', case: c, steps })).ms },
      ...(before
        ? [{ label: 'before', run: async (c: StepCase, steps: number) => (await before.request<{ ms: number }>({ op: 'loop', case: c, steps })).ms }]
        : []),
      ...torchThreads.map((threads) => ({
        label: `torch${threads}`,
        run: async (c: StepCase, steps: number) => (await torchServer!.request<{ ms: number }>({ case: c, steps, threads })).ms,
      })),
    ];
    const torchHeads = torchThreads.map((t) => `PyTorch ${t} thread${t > 1 ? 's' : ''}`);
    const heads = [
      'model (used by)',
      ...(before ? ['loop before', 'loop now', 'speed-up'] : ['this loop']),
      'model.fit',
      'fit / loop',
      ...torchHeads.flatMap((h) => [h, `loop / ${h}`]),
    ];
    print(`### ${backend}\n`);
    print(`| ${heads.join(' | ')} |`);
    print(`|${heads.map(() => '---').join('|')}|`);
    for (const c of cases) {
      log(`step ${backend}: ${c.name}`);
      // Warm-up (kernels, shapes, allocations), which also sizes each measurer's run to the time budget.
      const stepsFor = new Map<string, number>();
      for (const m of measurers) {
        await m.run(c, 5);
        const ms = await m.run(c, 10);
        stepsFor.set(m.label, Math.max(5, Math.min(MAX_STEPS, Math.round(BUDGET_MS / Math.max(ms, 0.01)))));
      }
      const samples = new Map<string, number[]>(measurers.map((m) => [m.label, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const m of rotate(measurers, round)) samples.get(m.label)!.push(await m.run(c, stepsFor.get(m.label)!));
      }
      const med = (label: string) => median(samples.get(label)!);
      const loop = med('loop');
      const fmt = (ms: number) => (ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
      const cells = [
        `${c.name} (${c.usedBy.join('; ')})`,
        ...(before ? [fmt(med('before')), fmt(loop), `${(med('before') / loop).toFixed(2)}x`] : [fmt(loop)]),
        fmt(med('fit')),
        `${(med('fit') / loop).toFixed(2)}x`,
        ...torchThreads.flatMap((t) => [fmt(med(`torch${t}`)), `${(loop / med(`torch${t}`)).toFixed(1)}x`]),
      ];
      print(`| ${cells.join(' | ')} |`);
    }
    print();
    after.close();
    before?.close();
  }
  torchServer?.close();
  machineLines().forEach((line) => print(line));
  print();
}

// ---------------------------------------------------------------------------------------------------------
// Whole experiments, the CLI's path (runExperiment in Node), per backend.

interface PresetRun {
  ms: number;
  finished: boolean;
  reused?: string[];
  note?: string;
  pgr?: number | null;
  fingerprint?: string;
}

async function presetsSection(): Promise<void> {
  const presets = PRESETS.filter((p) => !presetFilter || presetFilter.includes(p.id));
  const maxSeconds = Number(values['max-seconds']);
  const rounds = Number(values['preset-rounds']);
  print('## Whole experiments\n');
  print(
    `Wall time of each preset run in Node through \`runExperiment\`, what \`npm run experiment -- --preset ID --backend B\` runs (without the process start), median of ${rounds} interleaved rounds; runs longer than ${maxSeconds} s are stopped. ` +
      (beforeRoot ? '"Same numbers" compares a fingerprint of every stage\'s curves, predictions and accuracies before and now. ' : '') +
      'Data, encoder weights and tfjs are loaded before the clock starts only for the first run of each process: the first round includes them. ' +
      '"Student changed": after the timed rounds, the preset runs once more keeping its stages in memory, then again with only the student\'s learning rate times 0.9 (timed): the stages that do not depend on the student are reused (`--no-reuse` leaves this out).\n',
  );
  const heads = [
    'preset',
    'backend',
    ...(beforeRoot ? ['before, s', 'now, s', 'speed-up', 'same numbers'] : ['wall time, s']),
    'student changed, s',
    'stages reused',
    'final PGR',
  ];
  print(`| ${heads.join(' | ')} |`);
  print(`|${heads.map(() => '---').join('|')}|`);
  for (const backend of backends) {
    const after = startServer(`presets ${backend}`, ROOT, backend);
    const before = beforeRoot ? startServer(`presets before ${backend}`, beforeRoot, backend) : null;
    for (const preset of presets) {
      const config = parseConfig(preset.config);
      const versions = [{ label: 'now', server: after }, ...(before ? [{ label: 'before', server: before }] : [])];
      const runs = new Map<string, PresetRun[]>(versions.map((v) => [v.label, []]));
      for (let round = 0; round < rounds; round++) {
        for (const v of rotate(versions, round)) {
          log(`preset ${preset.id} on ${backend} (${v.label}), round ${round + 1}/${rounds}`);
          const run = await v.server.request<PresetRun>({ op: 'preset', config, maxSeconds });
          runs.get(v.label)!.push(run);
        }
        // A run that hit the time limit is not repeated.
        if ([...runs.values()].some((r) => !r[r.length - 1].finished)) break;
      }
      // The rerun the stage cache is for: the preset once more with its stages kept, then with only the student changed.
      let changed: PresetRun | null = null;
      if (values['no-reuse'] !== true && runs.get('now')!.every((r) => r.finished)) {
        log(`preset ${preset.id} on ${backend} (now): kept, then the student changed`);
        await after.request<PresetRun>({ op: 'preset', config, maxSeconds, keep: true });
        changed = await after.request<PresetRun>({ op: 'preset', config: withStudentChanged(config), maxSeconds, keep: true });
      }
      const changedCells = changed
        ? [changed.finished ? (changed.ms / 1000).toFixed(1) : (changed.note ?? 'failed'), changed.reused?.join(', ') || 'none']
        : ['n/a', 'n/a'];
      const summary = (label: string) => {
        const r = runs.get(label)!;
        const finished = r.filter((x) => x.finished);
        if (finished.length < r.length) return { text: `${r.find((x) => !x.finished)!.note}`, s: NaN, run: r[0] };
        const s = median(finished.map((x) => x.ms)) / 1000;
        return { text: s.toFixed(1), s, run: finished[0] };
      };
      const now = summary('now');
      const pgr = now.run.pgr === null || now.run.pgr === undefined ? 'n/a' : now.run.pgr.toFixed(3);
      if (before) {
        const was = summary('before');
        const same =
          was.run.fingerprint && now.run.fingerprint
            ? was.run.fingerprint === now.run.fingerprint
              ? 'yes'
              : `**no** (PGR before ${was.run.pgr?.toFixed(3) ?? 'n/a'})`
            : 'n/a';
        const speedUp = Number.isFinite(was.s) && Number.isFinite(now.s) ? `${(was.s / now.s).toFixed(2)}x` : 'n/a';
        print(`| ${preset.id} | ${backend} | ${was.text} | ${now.text} | ${speedUp} | ${same} | ${changedCells.join(' | ')} | ${pgr} |`);
      } else {
        print(`| ${preset.id} | ${backend} | ${now.text} | ${changedCells.join(' | ')} | ${pgr} |`);
      }
    }
    after.close();
    before?.close();
  }
  print();
  machineLines().forEach((line) => print(line));
  print();
}

// ---------------------------------------------------------------------------------------------------------
// Memory over a long run.

interface MemorySample {
  step: number;
  tensors: number;
  bytes: number;
  heapMB: number;
  wasmHeapMB: number | null;
}

/** Least-squares slope of y against x. */
function slope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

async function memorySection(): Promise<void> {
  const steps = Number(values['memory-steps']);
  print('## Memory over a long run\n');
  print(
    `One training run of ${steps.toLocaleString('en')} steps of ${REFERENCE_CASE.name}, measuring every 10 steps with a 256-row validation split (so best checkpoints are copied and released) and a 256-row test split; ` +
      'sampled every 1,000 steps after a garbage collection. Slope: least-squares change per 1,000 steps over all samples.\n',
  );
  const heads = ['code', 'backend', 'measure', 'first (step 1,000)', 'last', 'slope per 1,000 steps', 'flat'];
  print(`| ${heads.join(' | ')} |`);
  print(`|${heads.map(() => '---').join('|')}|`);
  const versions = [['now', ROOT], ...(beforeRoot ? [['before', beforeRoot]] : [])] as [string, string][];
  const sampleLines: string[] = [];
  for (const backend of values['memory-backends'].split(',').filter(Boolean)) {
    for (const [label, root] of versions) {
      const server = startServer(`memory ${backend} ${label}`, root, backend);
      log(`memory on ${backend}, ${label}: ${steps} steps`);
      const { samples, ms } = await server.request<{ samples: MemorySample[]; ms: number }>({ op: 'memory', case: REFERENCE_CASE, steps, every: 1000 });
      server.close();
      const used = samples.filter((s) => s.step >= 1000);
      const xs = used.map((s) => s.step / 1000);
      const rows: [string, number[], (v: number) => string, number][] = [
        ['tf.memory() tensors', used.map((s) => s.tensors), (v) => v.toFixed(0), 0.5],
        ['tf.memory() bytes', used.map((s) => s.bytes), (v) => kB(v), 1000],
        ['JS heap used', used.map((s) => s.heapMB), (v) => `${v.toFixed(1)} MB`, 0.5],
        ...(used[0]?.wasmHeapMB !== null && used[0]?.wasmHeapMB !== undefined
          ? [['wasm heap', used.map((s) => s.wasmHeapMB!), (v: number) => `${v.toFixed(1)} MB`, 0.01] as [string, number[], (v: number) => string, number]]
          : []),
      ];
      for (const [name, ys, format, tolerance] of rows) {
        const k = slope(xs, ys);
        const flat = Math.abs(k) <= tolerance;
        print(
          `| ${label} | ${backend} | ${name} | ${format(ys[0])} | ${format(ys[ys.length - 1])} (step ${used[used.length - 1].step.toLocaleString('en')}) | ${k >= 0 ? '+' : ''}${name.includes('bytes') ? kB(k) : k.toFixed(name.includes('tensors') ? 2 : 3)} | ${flat ? 'yes ✓' : 'no ✗'} |`,
        );
      }
      log(`  ${samples.length} samples in ${(ms / 1000).toFixed(0)} s`);
      sampleLines.push(
        `Samples on ${backend}, ${label} (step: tensors, JS heap MB): ${used.map((s) => `${s.step / 1000}k: ${s.tensors}, ${s.heapMB.toFixed(1)}`).join('; ')}.`,
      );
    }
  }
  print(`\n${sampleLines.join('\n\n')}\n`);
  print('Flat means a slope within ±0.5 tensors, ±1 kB of tensor bytes, ±0.5 MB of JS heap and ±0.01 MB of wasm heap per 1,000 steps.\n');
}

// ---------------------------------------------------------------------------------------------------------
// Bundle sizes.

async function bundleSection(): Promise<void> {
  const builds: { label: string; sizes: BuildSizes }[] = [];
  for (const [label, root] of [['now', ROOT], ...(beforeRoot ? [['before', beforeRoot]] : [])] as [string, string][]) {
    const out = path.join(os.tmpdir(), `distillery-bench-dist-${label}-${process.pid}`);
    log(`building ${label} (${root}) into ${out}`);
    build(root, out);
    builds.push({ label, sizes: buildSizes(out) });
  }
  const server = startServer('assets', ROOT, 'wasm');
  const { files } = await server.request<{ files: string[] }>({ op: 'assets', config: parseConfig(PRESETS.find((p) => p.id === DEFAULT_PRESET_ID)!.config) });
  server.close();
  const { readFileSync } = await import('node:fs');
  const { gzipSync } = await import('node:zlib');
  const data = files.map((file) => {
    const content = readFileSync(path.join(ROOT, 'public', file));
    return { file, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length };
  });

  print('## Bundle sizes\n');
  print(
    'From `vite build` (gzip level 9, as a static host would serve them). Initial JavaScript is what index.html loads before anything runs: its module scripts, their modulepreloads and their static imports.\n',
  );
  const cols = builds.map((b) => b.label);
  print(`| what | ${cols.map((c) => `${c}: raw | ${c}: gzip`).join(' | ')} | files (now) |`);
  print(`|---|${cols.map(() => '---|---').join('|')}|---|`);
  const line = (what: string, pick: (s: BuildSizes) => { bytes: number; gzip: number }, filesText: string) =>
    print(`| ${what} | ${builds.map((b) => `${kB(pick(b.sizes).bytes)} | ${kB(pick(b.sizes).gzip)}`).join(' | ')} | ${filesText} |`);
  const now = builds[0].sizes;
  const both = (files: { bytes: number; gzip: number }[]) => ({ bytes: sum(files as never, 'bytes'), gzip: sum(files as never, 'gzip') });
  line('**initial JavaScript** (target < 250 kB gzip)', (s) => both(s.initial), now.initial.map((f) => f.file).join(', '));
  line('initial CSS', (s) => both(s.css), now.css.map((f) => f.file).join(', '));
  line('worker (with its static imports)', (s) => both(s.worker), now.worker.map((f) => f.file).join(', '));
  const ON_DEMAND: Record<string, string> = {
    'wasm backend': 'wasm backend',
    'wasm threads': 'wasm threads (the unminified thread start-up code; isolated pages with the threaded binary only)',
    'webgpu backend': 'webgpu backend',
  };
  for (const holds of Object.keys(ON_DEMAND)) {
    line(
      `worker, on demand: ${ON_DEMAND[holds]}`,
      (s) => both(s.workerOnDemand.filter((f) => f.holds === holds)),
      now.workerOnDemand
        .filter((f) => f.holds === holds)
        .map((f) => f.file)
        .join(', '),
    );
  }
  for (const variant of ['simd', 'threaded-simd']) {
    const pick = (s: BuildSizes) => both(s.wasm.filter((f) => new RegExp(`wasm-${variant}-`).test(f.file)));
    line(
      `wasm binary, ${variant} (${variant === 'simd' ? 'fetched by the wasm backend' : 'fetched instead by a cross-origin isolated page with 4 or more cores, or ?wasm-threads=on'})`,
      pick,
      now.wasm
        .filter((f) => new RegExp(`wasm-${variant}-`).test(f.file))
        .map((f) => f.file)
        .join(', '),
    );
  }
  print();
  print(
    `tfjs in the initial JavaScript: ${builds.map((b) => `${b.label}: ${b.sizes.initialHoldsTfjs ? 'yes' : 'no'}`).join('; ')} (it loads with the worker).\n`,
  );
  print(
    `Data the default preset (${DEFAULT_PRESET_ID}) fetches, found by running it in Node with a recording asset source (the worker asks for the same paths):\n`,
  );
  print('| file | raw | gzip |');
  print('|---|---|---|');
  for (const f of data) print(`| ${f.file} | ${kB(f.bytes)} | ${kB(f.gzip)} |`);
  print(`| **total** | ${kB(sum(data, 'bytes'))} | ${kB(sum(data, 'gzip'))} |`);
  print();
}

try {
  if (sections.has('step')) await stepSection();
  if (sections.has('presets')) await presetsSection();
  if (sections.has('memory')) await memorySection();
  if (sections.has('bundle')) await bundleSection();
} finally {
  servers.forEach((s) => s.close());
}
