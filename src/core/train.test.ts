import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../node/node-backend';
import { parseConfig } from './config/read';
import type { TrainSpec } from './config/blocks';
import type { WeakToStrongConfig } from './experiments/weak-to-strong/spec';
import { generateToy } from './data/toy';
import { buildModel } from './models/model';
import { createRng } from './rng';
import { tf, type Tensor1D, type Tensor2D } from './tf';
import { hintLoss } from './losses';
import { CancelledError, DivergenceError, learningRateAt, stepsPerEpoch, train, type TrainOptions } from './train';

const baseSpec: TrainSpec = (parseConfig({ kind: 'weak-to-strong' }) as WeakToStrongConfig).student.train;

function moons(n: number, seed: number) {
  const set = generateToy('moons', n, 0.2, createRng(seed));
  const x = tf.tensor2d(set.x, [n, 2]);
  const y = tf.tensor1d(set.y, 'int32') as Tensor1D;
  const targets = tf.cast(tf.oneHot(y, 2), 'float32') as Tensor2D;
  return { x, y, targets, dispose: () => [x, y, targets].forEach((t) => t.dispose()) };
}

function options(data: ReturnType<typeof moons>, spec: Partial<TrainSpec>, extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    stage: 'test',
    model: buildModel({ type: 'mlp', width: 16, depth: 1, activation: 'relu', dropout: 0.1 }, { featureShape: [2], numClasses: 2, rng: createRng(1) }),
    spec: { ...baseSpec, ...spec },
    loss: { type: 'xent' },
    data: { inputs: data.x as Tensor2D, targets: data.targets },
    test: { inputs: data.x as Tensor2D, labels: data.y },
    validation: { inputs: data.x as Tensor2D, labels: data.y },
    rng: createRng(2),
    ...extra,
  };
}

beforeAll(async () => {
  await startNodeBackend('cpu');
});

describe('training loop', () => {
  it('learns: an MLP fits two moons', async () => {
    const data = moons(400, 1);
    const opts = options(data, { learningRate: 0.02, epochs: 30, batchSize: 32, evalEvery: 50 });
    const result = await train(opts);
    expect(result.history.at(-1)!.testAccuracy).toBeGreaterThan(0.95);
    expect(result.totalSteps).toBe(30 * stepsPerEpoch(400, 32));
    result.bestWeights?.forEach((w) => w.dispose());
    opts.model.dispose();
    data.dispose();
  });

  it('keeps the tensor count flat over many steps (no leaks), with Adam, SGD, weight decay and cosine schedule', async () => {
    const data = moons(64, 2);
    for (const optimizer of ['adam', 'sgd'] as const) {
      const before = tf.memory().numTensors;
      let during = 0;
      const opts = options(
        data,
        { optimizer, epochs: 1000, batchSize: 16, evalEvery: 100, weightDecay: 0.01, schedule: 'cosine' },
        {
          onStep: (event) => {
            // Sample mid-run: live tensors must not grow with the step count.
            if (event.step === 1000) during = tf.memory().numTensors;
            if (event.step === 4000) expect(tf.memory().numTensors).toBe(during);
          },
        },
      );
      const result = await train(opts);
      expect(result.stepsRun).toBe(4000);
      result.bestWeights?.forEach((w) => w.dispose());
      opts.model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    data.dispose();
  });

  it('adds a feature term read from the hidden layer of the same pass, training its own variables with the model', async () => {
    const data = moons(128, 3);
    const before = tf.memory().numTensors;
    // Target features: a fixed function of the inputs (8 units); a learned 16 -> 8 projection maps the hidden layer onto them.
    const target = tf.tidy(
      () =>
        tf.relu(
          tf.matMul(
            data.x,
            tf.tensor2d(
              Float32Array.from({ length: 16 }, (_, i) => Math.sin(i + 1)),
              [2, 8],
            ),
          ),
        ) as Tensor2D,
    );
    const [kernel, bias] = tf.tidy(() => [tf.variable(tf.zeros([16, 8])), tf.variable(tf.zeros([8]))]);
    const hint = (hidden: Tensor2D, features: Tensor2D) => hintLoss(tf.add(tf.matMul(hidden, kernel), bias) as Tensor2D, features);
    const measured = async (model: TrainOptions['model']) => {
      const value = tf.tidy(() => hint(model.features!(data.x as Tensor2D), target));
      const result = (await value.data())[0];
      value.dispose();
      return result;
    };
    const opts = options(
      data,
      { learningRate: 0.01, epochs: 20, batchSize: 32, evalEvery: 40 },
      { featureTerm: { variables: [kernel, bias], loss: (hidden, batch) => tf.mul(hint(hidden, batch.teacherFeatures!), 10) } },
    );
    opts.data = { ...opts.data, teacherFeatures: target };
    const start = await measured(opts.model);
    const result = await train(opts);
    // The projection trained (it started at zero), and the hidden layer with it: the hint fell far below its start.
    expect(Math.max(...Array.from(await kernel.data()).map(Math.abs))).toBeGreaterThan(0.01);
    expect(await measured(opts.model)).toBeLessThan(0.2 * start);
    // The classification loss still trained the logits.
    expect(result.history.at(-1)!.testAccuracy).toBeGreaterThan(0.8);
    result.bestWeights?.forEach((w) => w.dispose());
    opts.model.dispose();
    [kernel, bias, target].forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);

    // A model without a hidden layer cannot take one.
    const linear = buildModel({ type: 'linear' }, { featureShape: [2], numClasses: 2, rng: createRng(1) });
    const refused = options(data, { epochs: 1 }, { model: linear, featureTerm: { variables: [], loss: () => tf.scalar(0) } });
    await expect(train(refused)).rejects.toThrow(/linear 2-2 has no hidden layer for a feature distillation term to read/);
    linear.dispose();
    data.dispose();
  });

  it('is deterministic: the same seed gives the same history', async () => {
    const data = moons(200, 3);
    const run = async () => {
      const opts = options(data, { epochs: 5, batchSize: 32, evalEvery: 10 });
      const result = await train(opts);
      result.bestWeights?.forEach((w) => w.dispose());
      opts.model.dispose();
      return result.history;
    };
    expect(await run()).toEqual(await run());
    data.dispose();
  });

  it('stops between steps when cancelled and releases its tensors', async () => {
    const data = moons(200, 4);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const opts = options(data, { epochs: 100, evalEvery: 5 }, { signal: controller.signal, onStep: (e) => e.step >= 20 && controller.abort() });
    await expect(train(opts)).rejects.toBeInstanceOf(CancelledError);
    opts.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  });

  it('stops a diverging run with a message naming the stage, step and learning rate', async () => {
    const data = moons(200, 5);
    const exploding = { ...data, x: tf.mul(data.x, 1e30) as Tensor2D };
    const opts = options(exploding, { learningRate: 1, optimizer: 'sgd', momentum: 0.99, epochs: 20, evalEvery: 5 });
    const error = await train(opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toMatch(/^test: the loss became NaN or infinite at step \d+ \(learning rate 1\)/);
    opts.model.dispose();
    exploding.x.dispose();
    data.dispose();
  });

  it('stops early when the validation accuracy stops improving, keeping the best checkpoint', async () => {
    const data = moons(200, 6);
    const opts = options(data, { learningRate: 0.05, epochs: 200, evalEvery: 5, patience: 3 });
    const result = await train(opts);
    expect(result.stoppedEarly).toBe(true);
    expect(result.stepsRun).toBeLessThan(result.totalSteps);
    const best = result.history.find((p) => p.step === result.bestStep)!;
    expect(Math.max(...result.history.map((p) => p.validationAccuracy!))).toBe(best.validationAccuracy);
    result.bestWeights?.forEach((w) => w.dispose());
    opts.model.dispose();
    data.dispose();
  });

  it('cosine schedule decays from the base rate to zero', () => {
    const spec = { ...baseSpec, learningRate: 0.1, schedule: 'cosine' as const };
    expect(learningRateAt(spec, 0, 100)).toBeCloseTo(0.1);
    expect(learningRateAt(spec, 50, 100)).toBeCloseTo(0.05);
    expect(learningRateAt(spec, 100, 100)).toBeCloseTo(0);
  });
});
