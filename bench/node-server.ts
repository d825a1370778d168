/**
 * Measurement server for bench/node.bench.ts (not run by hand). One process per (source tree, backend): it
 * loads the training code of the tree given by --root (this checkout, or a worktree of an earlier commit for a
 * before/after comparison), starts the backend, then answers requests read as JSON lines on stdin with lines
 * "@@bench <json>" on stdout. Anything else on stdout (tfjs notices) is not part of the protocol.
 *
 * Requests: {op:'loop'|'fit', case, steps}, {op:'preset', config, maxSeconds, keep?}, {op:'memory', case, steps, every},
 * {op:'assets', config}.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { StepCase } from './cases';

const { values } = parseArgs({ options: { root: { type: 'string' }, backend: { type: 'string', default: 'wasm' } } });
const root = path.resolve(values.root ?? path.join(import.meta.dirname, '..'));
const load = <T>(file: string): Promise<T> => import(pathToFileURL(path.join(root, file)).href) as Promise<T>;
/** Asset options for runExperiment, under the option's name now (`assets`) and before (`source`). */
const withAssets = (assets: import('../src/core/assets').AssetSource) => ({ assets, source: assets }) as { assets: import('../src/core/assets').AssetSource };
/** The first of `files` that exists under root: the benchmark also loads commits from before files moved. */
const loadMoved = <T>(...files: string[]): Promise<T> => load<T>(files.find((file) => existsSync(path.join(root, file))) ?? files[0]);

type Tf = (typeof import('../src/core/tf'))['tf'];
const { tf } = await load<typeof import('../src/core/tf')>('src/core/tf.ts');
const { startNodeBackend } = await loadMoved<typeof import('../src/node/node-backend')>('src/node/node-backend.ts', 'src/cli/node-backend.ts');
const { buildModel } = await load<typeof import('../src/core/models/model')>('src/core/models/model.ts');
const { train } = await load<typeof import('../src/core/train')>('src/core/train.ts');
const { createRng } = await load<typeof import('../src/core/rng')>('src/core/rng.ts');
const { runExperiment } = await loadMoved<typeof import('../src/core/experiments/registry')>(
  'src/core/experiments/registry.ts',
  'src/core/experiments/index.ts',
);
const { nodeAssetSource } = await loadMoved<typeof import('../src/node/node-assets')>('src/node/node-assets.ts', 'src/cli/node-assets.ts');
const { encoderId, loadEncoderWeights } = await load<typeof import('../src/core/models/encoder-weights')>('src/core/models/encoder-weights.ts');
/** Trained stages kept across this process's preset runs when a request asks (code before the stage cache has none). */
const stageCache = existsSync(path.join(root, 'src/core/experiments/stage-cache.ts'))
  ? new (await load<typeof import('../src/core/experiments/stage-cache')>('src/core/experiments/stage-cache.ts')).MemoryStageStore()
  : undefined;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

if (values.backend === 'webgpu') {
  // WebGPU in Node: Dawn's bindings (bench/dawn.ts), then the core's own backend start.
  const { installDawn } = await import('./dawn');
  process.stderr.write(`[webgpu] ${await installDawn()}\n`);
  const { useBackend } = await load<typeof import('../src/core/backend')>('src/core/backend.ts');
  await useBackend('webgpu');
} else {
  await startNodeBackend(values.backend as 'cpu' | 'wasm');
}

const reply = (value: unknown) => process.stdout.write(`@@bench ${JSON.stringify(value)}\n`);

/** Rows of synthetic data: a whole number of batches, at most about 4,096 rows (several epochs for long runs). */
function dataFor(c: StepCase, steps: number) {
  const perEpoch = Math.max(1, Math.min(steps, Math.ceil(4096 / c.train.batchSize)));
  const rows = perEpoch * c.train.batchSize;
  const epochs = Math.ceil(steps / perEpoch);
  const features = c.inputShape.reduce((a, b) => a * b, 1);
  const rng = createRng(1);
  const x = tf.tensor2d(
    new Float32Array(rows * features).map(() => rng.next()),
    [rows, features],
  );
  const labels = Int32Array.from({ length: rows }, () => rng.int(c.classes));
  const y = tf.tensor1d(labels, 'int32');
  const targets = tf.tidy(() => tf.cast(tf.oneHot(y, c.classes), 'float32')) as import('../src/core/tf').Tensor2D;
  return { x, y, targets, rows, epochs, stepsRun: epochs * perEpoch };
}

async function modelFor(c: StepCase) {
  const encoder = c.encoder ? await loadEncoderWeights(encoderId(c.encoder.dataset, c.encoder.kind), nodeAssetSource(path.join(root, 'public'))) : undefined;
  return buildModel(c.model, { featureShape: c.inputShape, numClasses: c.classes, rng: createRng(2), encoder });
}

const trainSpec = (c: StepCase, epochs: number, evalEvery: number) => ({
  ...c.train,
  schedule: 'constant' as const,
  weightDecay: 0,
  epochs,
  evalEvery,
  patience: 0,
});

/** This project's training loop: ms per step (one measurement at the start and one at the end, on 8 rows). */
async function loop(c: StepCase, steps: number) {
  const { x, y, targets, epochs } = dataFor(c, steps);
  const model = await modelFor(c);
  const test = { inputs: tf.slice(x, [0, 0], [8, -1]), labels: tf.slice(y, [0], [8]) };
  const started = performance.now();
  const result = await train({
    stage: 'bench',
    model,
    spec: trainSpec(c, epochs, 1_000_000),
    loss: { type: 'xent' },
    data: { inputs: x, targets },
    test,
    rng: createRng(3),
  });
  const ms = performance.now() - started;
  [x, y, targets, test.inputs, test.labels].forEach((t) => t.dispose());
  model.dispose();
  return { ms: ms / result.stepsRun, steps: result.stepsRun };
}

function twin(c: StepCase, tfl: Tf) {
  const model = tfl.sequential();
  const features = c.inputShape.reduce((a, b) => a * b, 1);
  const first = { inputShape: [features] };
  let started = false;
  const add = (layer: import('@tensorflow/tfjs').layers.Layer) => {
    model.add(layer);
    started = true;
  };
  if (c.inputShape.length === 3) add(tfl.layers.reshape({ targetShape: c.inputShape, ...first }));
  for (const layer of c.layers) {
    const input = started ? {} : first;
    switch (layer.type) {
      case 'dense':
        add(tfl.layers.dense({ units: layer.units, activation: layer.activation, ...input }));
        break;
      case 'dropout':
        add(tfl.layers.dropout({ rate: layer.rate }));
        break;
      case 'conv':
        add(tfl.layers.conv2d({ filters: layer.filters, kernelSize: 3, padding: 'same', activation: 'relu' }));
        break;
      case 'maxpool':
        add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same' }));
        break;
      case 'flatten':
        add(tfl.layers.flatten());
        break;
    }
  }
  return model;
}

/** The same network, batch, optimizer and steps through tf.layers `model.fit` (softmax + categorical cross-entropy). */
async function fit(c: StepCase, steps: number) {
  const { x, y, targets, epochs, stepsRun } = dataFor(c, steps);
  const model = twin(c, tf);
  model.add(tf.layers.softmax());
  const optimizer = c.train.optimizer === 'adam' ? tf.train.adam(c.train.learningRate) : tf.train.momentum(c.train.learningRate, c.train.momentum);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const started = performance.now();
  await model.fit(x, targets, { batchSize: c.train.batchSize, epochs, shuffle: true, verbose: 0 });
  const ms = performance.now() - started;
  [x, y, targets].forEach((t) => t.dispose());
  model.dispose();
  optimizer.dispose();
  return { ms: ms / stepsRun, steps: stepsRun };
}

/** A fingerprint of a result's numbers: equal fingerprints mean the same curves, predictions and accuracies. */
function fingerprint(result: import('../src/core/experiments/contract').ExperimentResult): string {
  const hash = createHash('sha256');
  for (const [name, stage] of Object.entries(result.stages)) {
    hash.update(name);
    hash.update(JSON.stringify(stage.history));
    hash.update(new Uint8Array(stage.testPredictions.buffer));
    hash.update(String(stage.accuracy));
  }
  hash.update(String(result.pgr.final));
  return hash.digest('hex').slice(0, 12);
}

async function preset(config: unknown, maxSeconds: number, keep: boolean) {
  const controller = new AbortController();
  const started = performance.now();
  // Checked before every step: on cpu and wasm a run never yields to timers, so a setTimeout would fire only
  // after it. (A measurement in progress still finishes first.)
  const beforeStep = () => {
    if (performance.now() - started > maxSeconds * 1000) controller.abort();
  };
  try {
    const result = await runExperiment(config, {
      ...withAssets(nodeAssetSource(path.join(root, 'public'))),
      signal: controller.signal,
      beforeStep,
      ...(keep ? { stageCache } : {}),
    });
    const stages = Object.fromEntries(Object.entries(result.stages).map(([name, s]) => [name, s.accuracy]));
    const reused = Object.entries(result.stages)
      .filter(([, s]) => (s as { reused?: unknown }).reused)
      .map(([name]) => name);
    return { ms: performance.now() - started, finished: true, pgr: result.pgr.final, stages, reused, fingerprint: fingerprint(result) };
  } catch (error) {
    if (controller.signal.aborted) return { ms: performance.now() - started, finished: false, note: `stopped after ${maxSeconds} s` };
    return { ms: performance.now() - started, finished: false, note: (error as Error).message.split('\n')[0] };
  }
}

/** Tensors, bytes and JS heap every `every` steps of one long training run (measurements every 10 steps). */
async function memory(c: StepCase, steps: number, every: number) {
  const { x, y, targets, rows } = dataFor(c, 1_000_000);
  const perEpoch = rows / c.train.batchSize;
  const model = await modelFor(c);
  const split = (start: number) => ({ inputs: tf.slice(x, [start, 0], [256, -1]), labels: tf.slice(y, [start], [256]) });
  const test = split(0);
  const validation = split(256);
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } };
  const samples: { step: number; tensors: number; bytes: number; heapMB: number; wasmHeapMB: number | null }[] = [];
  const sample = (step: number) => {
    gc();
    const m = tf.memory();
    samples.push({
      step,
      tensors: m.numTensors,
      bytes: m.numBytes,
      heapMB: process.memoryUsage().heapUsed / 2 ** 20,
      wasmHeapMB: backend.wasm ? backend.wasm.HEAPU8.byteLength / 2 ** 20 : null,
    });
  };
  const started = performance.now();
  await train({
    stage: 'memory',
    model,
    spec: trainSpec(c, Math.ceil(steps / perEpoch), 10),
    loss: { type: 'xent' },
    data: { inputs: x, targets },
    test,
    validation,
    rng: createRng(4),
    onStep: (event) => {
      if (event.step % every === 0) sample(event.step);
    },
  }).then((r) => r.bestWeights?.forEach((w) => w.dispose()));
  const ms = performance.now() - started;
  [x, y, targets, test.inputs, test.labels, validation.inputs, validation.labels].forEach((t) => t.dispose());
  model.dispose();
  return { samples, ms };
}

/** Files the core reads while it runs a config (the datasets and encoders a page fetches for it). */
async function assets(config: unknown) {
  const source = nodeAssetSource(path.join(root, 'public'));
  const files = new Set<string>();
  await runExperiment(config, withAssets({ json: (p) => (files.add(p), source.json(p)), binary: (p) => (files.add(p), source.binary(p)) }));
  return { files: [...files] };
}

reply({ ready: true, tfjs: tf.version.tfjs, backend: tf.getBackend() });
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const request = JSON.parse(line) as { op: string; case: StepCase; steps: number; every: number; config: unknown; maxSeconds: number; keep?: boolean };
  try {
    switch (request.op) {
      case 'loop':
        reply(await loop(request.case, request.steps));
        break;
      case 'fit':
        reply(await fit(request.case, request.steps));
        break;
      case 'preset':
        reply(await preset(request.config, request.maxSeconds, request.keep ?? false));
        break;
      case 'memory':
        reply(await memory(request.case, request.steps, request.every));
        break;
      case 'assets':
        reply(await assets(request.config));
        break;
      default:
        reply({ error: `unknown op ${request.op}` });
    }
  } catch (error) {
    reply({ error: (error as Error).message });
  }
}
