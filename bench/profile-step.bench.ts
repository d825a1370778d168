/**
 * Profile of one training step (not a test): which kernels a step of this project's training loop runs, how
 * many of each, and how much of the step's time is spent inside kernels versus around them (tfjs's engine,
 * the gradient tape, tidy, JavaScript).
 *
 *   npm run bench:profile -- [--backend wasm] [--steps 200] [--model 784-128-10] [--batch 64] [--optimizer adam|sgd] [--dropout 0]
 *
 * --model is input-hidden...-classes for a ReLU MLP (784-10 is a linear model), or cnn-FILTERS[-DENSE] for the
 * project's CNN on 10 classes of --image HxWxC images (default 28x28x1).
 */
import { parseArgs } from 'node:util';
import { startNodeBackend, type NodeBackend } from '../src/node/node-backend';
import type { ModelSpec, TrainSpec } from '../src/core/config/blocks';
import { buildModel } from '../src/core/models/model';
import { createRng } from '../src/core/rng';
import { tf, type Tensor1D, type Tensor2D } from '../src/core/tf';
import { train } from '../src/core/train';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    steps: { type: 'string', default: '200' },
    model: { type: 'string', default: '784-128-10' },
    batch: { type: 'string', default: '64' },
    optimizer: { type: 'string', default: 'adam' },
    dropout: { type: 'string', default: '0' },
    image: { type: 'string', default: '28x28x1' },
  },
});
const steps = Number(values.steps);
const batchSize = Number(values.batch);
const cnn = /^cnn-(\d+)(?:-(\d+))?$/.exec(values.model);
const sizes = cnn ? [] : values.model.split('-').map(Number);
const featureShape = cnn ? values.image.split('x').map(Number) : [sizes[0]];
const [inputSize, classes] = cnn ? [featureShape.reduce((a, b) => a * b), 10] : [sizes[0], sizes[sizes.length - 1]];
const hidden = sizes.slice(1, -1);
const spec: ModelSpec = cnn
  ? { type: 'cnn', filters: Number(cnn[1]), denseWidth: Number(cnn[2] ?? 0) }
  : hidden.length === 0
    ? { type: 'linear' }
    : { type: 'mlp', width: hidden[0], depth: hidden.length, activation: 'relu', dropout: Number(values.dropout) };
if (hidden.some((h) => h !== hidden[0])) throw new Error('--model: every hidden layer must have the same width');
const trainSpec: TrainSpec = {
  optimizer: values.optimizer as 'adam' | 'sgd',
  learningRate: 0.001,
  schedule: 'constant',
  weightDecay: 0,
  momentum: 0.9,
  batchSize,
  epochs: 1,
  evalEvery: 1_000_000,
  patience: 0,
};

await startNodeBackend(values.backend as NodeBackend);

async function run(stepCount: number): Promise<number> {
  const rows = batchSize * stepCount;
  const rng = createRng(1);
  const x = tf.tensor2d(
    new Float32Array(rows * inputSize).map(() => rng.next()),
    [rows, inputSize],
  );
  const y = tf.tensor1d(
    Int32Array.from({ length: rows }, () => rng.int(classes)),
    'int32',
  ) as Tensor1D;
  const targets = tf.oneHot(y, classes).toFloat() as Tensor2D;
  const test = { inputs: tf.slice(x, [0, 0], [8, -1]) as Tensor2D, labels: tf.slice(y, [0], [8]) as Tensor1D };
  const model = buildModel(spec, { featureShape, numClasses: classes, rng: createRng(2) });
  const started = performance.now();
  await train({ stage: 'profile', model, spec: trainSpec, loss: { type: 'xent' }, data: { inputs: x, targets }, test, rng: createRng(3) });
  const ms = performance.now() - started;
  [x, y, targets, test.inputs, test.labels].forEach((t) => t.dispose());
  model.dispose();
  return ms;
}

/**
 * Kernel timing: every kernel registered for the backend is wrapped in a timer. wasm and cpu kernels run
 * synchronously, so the wrapper's wall time is the kernel's time. (tf.profile is not used: it reads every
 * kernel's output back to check it for NaN, which distorts the times.)
 */
const kernelStats = new Map<string, { count: number; ms: number }>();
let timing = false;
for (const config of tf.getKernelsForBackend(values.backend)) {
  const inner = config.kernelFunc;
  (config as { kernelFunc: typeof inner }).kernelFunc = (args) => {
    if (!timing) return inner(args);
    const started = performance.now();
    const out = inner(args);
    const entry = kernelStats.get(config.kernelName) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += performance.now() - started;
    kernelStats.set(config.kernelName, entry);
    return out;
  };
}

await run(Math.min(20, steps));
// Wall time per step with the timers off, then a timed run (the timers themselves add well under a microsecond).
const wallMs = (await run(steps)) / steps;
timing = true;
await run(steps);
timing = false;
const rowsOut = [...kernelStats.entries()].sort((a, b) => b[1].ms - a[1].ms);
const kernelMs = rowsOut.reduce((sum, [, e]) => sum + e.ms, 0) / steps;
const kernels = rowsOut.reduce((sum, [, e]) => sum + e.count, 0) / steps;
console.log(
  `# One training step on ${values.backend}: ${cnn ? `CNN ${values.model} on ${values.image} images` : `MLP ${values.model}`}${spec.type === 'mlp' && spec.dropout > 0 ? ` (dropout ${spec.dropout})` : ''}, batch ${batchSize}, ${values.optimizer}, ${steps} steps (Node ${process.version}, tfjs ${tf.version.tfjs})\n`,
);
console.log(
  `- wall time: ${wallMs.toFixed(3)} ms/step; inside kernels: ${kernelMs.toFixed(3)} ms/step (${((100 * kernelMs) / wallMs).toFixed(0)}%); kernels: ${kernels.toFixed(1)} per step`,
);
console.log(
  `- outside kernels (engine, tape, tidy, JavaScript): ${(wallMs - kernelMs).toFixed(3)} ms/step, ${(((wallMs - kernelMs) / kernels) * 1000).toFixed(1)} µs per kernel\n`,
);
console.log('| kernel | per step | ms/step | share of kernel time |');
console.log('|---|---|---|---|');
for (const [name, e] of rowsOut) {
  console.log(`| ${name} | ${(e.count / steps).toFixed(2)} | ${(e.ms / steps).toFixed(3)} | ${((100 * e.ms) / steps / kernelMs).toFixed(1)}% |`);
}
