/**
 * A long run keeps its footprint flat: 20,000 steps of the training loop the worker runs, with live tensors,
 * their bytes and the JS heap (after a forced collection) sampled at every measurement. A single tensor left
 * behind per step, or a per-step JS allocation kept alive, would grow them by thousands.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../node/node-backend';
import { parseConfig } from './config/read';
import type { TrainSpec } from './config/blocks';
import type { KindConfig } from './config/schema';
import { generateToy } from './data/toy';
import { buildModel } from './models/model';
import { createRng } from './rng';
import { tf, type Tensor1D, type Tensor2D } from './tf';
import { train } from './train';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface Sample {
  step: number;
  tensors: number;
  bytes: number;
  heap: number;
}

describe('a run of 20,000 training steps (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('keeps the tensor count, tensor bytes and JS heap flat, and releases everything at the end', async () => {
    const before = tf.memory().numTensors;
    const set = generateToy('moons', 500, 0.3, createRng(3));
    const x = tf.tensor2d(set.x, [500, 2]);
    const y = tf.tensor1d(set.y, 'int32') as Tensor1D;
    const targets = tf.tidy(() => tf.cast(tf.oneHot(y, 2), 'float32') as Tensor2D);
    const model = buildModel({ type: 'mlp', width: 16, depth: 1, activation: 'relu', dropout: 0.1 }, { featureShape: [2], numClasses: 2, rng: createRng(4) });
    // One example per step, 40 epochs of 500: 20,000 steps, measured every 500; Adam, weight decay and the
    // cosine schedule each touch the optimizer's state every step.
    const spec: TrainSpec = {
      ...(parseConfig({ kind: 'weak-to-strong' }) as KindConfig<'weak-to-strong'>).student.train,
      patience: 0,
      learningRate: 0.001,
      batchSize: 1,
      epochs: 40,
      evalEvery: 500,
      weightDecay: 0.01,
      schedule: 'cosine' as const,
    };
    const samples: Sample[] = [];
    const result = await train({
      stage: 'long',
      model,
      spec,
      loss: { type: 'xent' },
      data: { inputs: x as Tensor2D, targets },
      test: { inputs: x as Tensor2D, labels: y },
      validation: { inputs: x as Tensor2D, labels: y },
      rng: createRng(5),
      onStep: (event) => {
        if (event.step === 0) return;
        collectGarbage();
        const memory = tf.memory();
        samples.push({ step: event.step, tensors: memory.numTensors, bytes: memory.numBytes, heap: process.memoryUsage().heapUsed });
      },
    });
    expect(result.stepsRun).toBe(20_000);
    expect(samples.map((s) => s.step)).toEqual(Array.from({ length: 40 }, (_, i) => 500 * (i + 1)));
    expect(result.history.at(-1)!.testAccuracy).toBeGreaterThan(0.8); // it really trained

    // Tensors: the same count and bytes at every measurement from step 500 to step 20,000 (a best checkpoint
    // is one copy of the weights, replaced, never added to).
    const first = samples[0];
    for (const s of samples) expect({ step: s.step, tensors: s.tensors, bytes: s.bytes }).toEqual({ step: s.step, tensors: first.tensors, bytes: first.bytes });

    // Heap: once warm (code compiled, caches filled) it moves by less than 2 MB over 15,000 steps; the history
    // it must keep grows by a few kilobytes.
    const warm = samples.filter((s) => s.step >= 5_000);
    const growth = warm.at(-1)!.heap - warm[0].heap;
    expect(growth, `heap grew ${(growth / 1e6).toFixed(2)} MB from step ${warm[0].step} to ${warm.at(-1)!.step}`).toBeLessThan(2e6);

    result.bestWeights?.forEach((w) => w.dispose());
    model.dispose();
    [x, y, targets].forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
  }, 90_000);
});
