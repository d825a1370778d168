import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../node/node-backend';
import { parseConfig } from './config/read';
import type { TrainSpec } from './config/blocks';
import type { WeakToStrongConfig } from './experiments/weak-to-strong/spec';
import { generateToy } from './data/toy';
import { buildModel } from './models/model';
import { createRng } from './rng';
import { tf, type Tensor1D, type Tensor2D } from './tf';
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
