/**
 * Benchmark (not a test): milliseconds per training step of each preset's models in Node, on cpu and wasm,
 * through this project's training loop and through tf.layers `model.fit` doing the same work (same layer sizes,
 * batch size, optimizer, loss and number of steps), side by side in one run.
 *
 *   npm run bench            (writes the markdown table to stdout)
 *   npm run bench -- --steps 300 --backends wasm
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { startNodeBackend, type NodeBackend } from '../src/cli/node-backend';
import { parseConfig, type ModelSpec, type TrainSpec } from '../src/core/config';
import { buildModel } from '../src/core/models/model';
import { PRESETS } from '../src/core/presets';
import { createRng } from '../src/core/rng';
import { tf, type Tensor1D, type Tensor2D } from '../src/core/tf';
import { train } from '../src/core/train';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '200' }, backends: { type: 'string', default: 'cpu,wasm' } } });
const STEPS = Number(values.steps);
const WARMUP_STEPS = 20;

interface Case {
  name: string;
  inputSize: number;
  classes: number;
  spec: ModelSpec;
  train: TrainSpec;
  /** Layer sizes for the tf.layers twin. */
  layers: number[];
  activation: 'relu' | 'linear';
  dropout: number;
}

/** The models each preset trains, as the step sees them (a frozen encoder's probe trains on 64 features). */
function cases(): Case[] {
  const out: Case[] = [];
  for (const preset of PRESETS) {
    const config = parseConfig(preset.config);
    if (config.kind !== 'weak-to-strong' && config.kind !== 'distillation') continue;
    const roles = config.kind === 'weak-to-strong' ? { supervisor: config.supervisor, student: config.student } : { teacher: config.teacher, student: config.student };
    const inputSize = config.data.dataset === 'mnist' ? 784 : 2;
    const classes = config.data.dataset === 'mnist' ? 10 : 2;
    for (const [role, { model, train: trainSpec }] of Object.entries(roles)) {
      let spec: ModelSpec = model;
      let size = inputSize;
      let hidden: number[] = [];
      let dropout = 0;
      if (model.type === 'pretrained') {
        // Frozen encoder: the step trains a linear probe on the 64 cached features.
        spec = { type: 'linear' };
        size = 64;
      } else if (model.type === 'mlp') {
        hidden = Array<number>(model.depth).fill(model.width);
        dropout = model.dropout;
      }
      const name = `${preset.id} ${role}: ${model.type === 'pretrained' ? 'probe 64' : size}-${[...hidden, classes].join('-')}, batch ${trainSpec.batchSize}`;
      out.push({ name, inputSize: size, classes, spec, train: { ...trainSpec, evalEvery: 1_000_000 }, layers: [...hidden, classes], activation: 'relu', dropout });
    }
  }
  return out;
}

function syntheticData(c: Case, rows: number) {
  const rng = createRng(1);
  const x = new Float32Array(rows * c.inputSize).map(() => rng.next());
  const y = Int32Array.from({ length: rows }, () => rng.int(c.classes));
  return { x: tf.tensor2d(x, [rows, c.inputSize]), y: tf.tensor1d(y, 'int32') as Tensor1D };
}

async function timeOwnLoop(c: Case, steps: number): Promise<number> {
  const rows = c.train.batchSize * steps;
  const { x, y } = syntheticData(c, rows);
  const targets = tf.cast(tf.oneHot(y, c.classes), 'float32') as Tensor2D;
  const small = { inputs: tf.slice(x, [0, 0], [8, -1]) as Tensor2D, labels: tf.slice(y, [0], [8]) as Tensor1D };
  const model = buildModel(c.spec, { featureShape: [c.inputSize], numClasses: c.classes, rng: createRng(1) });
  const started = performance.now();
  const result = await train({ stage: 'bench', model, spec: { ...c.train, epochs: 1 }, loss: { type: 'xent' }, data: { inputs: x, targets }, test: small, rng: createRng(2) });
  const ms = (performance.now() - started) / result.stepsRun;
  [x, y, targets, small.inputs, small.labels].forEach((t) => t.dispose());
  model.dispose();
  return ms;
}

async function timeLayersFit(c: Case, steps: number): Promise<number> {
  const rows = c.train.batchSize * steps;
  const { x, y } = syntheticData(c, rows);
  const targets = tf.oneHot(y, c.classes);
  const model = tf.sequential();
  c.layers.forEach((units, i) => {
    const last = i === c.layers.length - 1;
    model.add(tf.layers.dense({ units, activation: last ? 'softmax' : c.activation, ...(i === 0 ? { inputShape: [c.inputSize] } : {}) }));
    if (!last && c.dropout > 0) model.add(tf.layers.dropout({ rate: c.dropout }));
  });
  const optimizer = c.train.optimizer === 'adam' ? tf.train.adam(c.train.learningRate) : tf.train.momentum(c.train.learningRate, c.train.momentum);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const started = performance.now();
  await model.fit(x, targets, { batchSize: c.train.batchSize, epochs: 1, shuffle: true, verbose: 0 });
  const ms = (performance.now() - started) / steps;
  [x, y, targets].forEach((t) => t.dispose());
  model.dispose();
  return ms;
}

const backends = values.backends.split(',') as NodeBackend[];
console.log(`# Training step, Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} x${os.cpus().length}, tfjs ${tf.version.tfjs}, ${STEPS} steps after ${WARMUP_STEPS} warm-up steps\n`);
console.log('| model | backend | this loop (ms/step) | tf.layers fit (ms/step) | fit / loop |');
console.log('|---|---|---|---|---|');
for (const backend of backends) {
  await startNodeBackend(backend);
  for (const c of cases()) {
    await timeOwnLoop(c, WARMUP_STEPS);
    await timeLayersFit(c, WARMUP_STEPS);
    const own = await timeOwnLoop(c, STEPS);
    const fit = await timeLayersFit(c, STEPS);
    console.log(`| ${c.name} | ${backend} | ${own.toFixed(2)} | ${fit.toFixed(2)} | ${(fit / own).toFixed(2)}x |`);
  }
}
