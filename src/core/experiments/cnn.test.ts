/**
 * A CNN trains on every backend Node offers. The wasm backend of tfjs 4.22 had no Conv2DBackpropFilter, so a CNN
 * stopped at its first step there ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"); the
 * kernel in src/core/kernels is checked here through a whole distillation run with a CNN student (and baseline).
 */
import { describe, expect, it } from 'vitest';
import { startNodeBackend, type NodeBackend } from '../../cli/node-backend';
import type { ExperimentConfigInput } from '../config';
import { tf } from '../tf';
import type { ExperimentEvent, ExperimentResult } from '.';
import { run } from './test-support';

const CNN_DISTILLATION = {
  kind: 'distillation',
  seed: 1,
  data: { dataset: 'digits', trainSize: 800, labelledSize: 200, validationSize: 0, testSize: 300 },
  teacher: {
    model: { type: 'mlp', width: 32, depth: 1, activation: 'relu', dropout: 0 },
    train: { learningRate: 0.01, batchSize: 32, epochs: 10, evalEvery: 25 },
  },
  student: {
    model: { type: 'cnn', filters: 4, denseWidth: 0 },
    train: { learningRate: 0.01, batchSize: 32, epochs: 4, evalEvery: 10 },
    loss: { type: 'kd', temperature: 2, alpha: 0.5 },
  },
} satisfies ExperimentConfigInput;

/** The measured training losses of each stage (the first point, at step 0, has none). */
async function train(backend: NodeBackend): Promise<{ result: ExperimentResult; losses: Record<string, number[]> }> {
  await startNodeBackend(backend);
  const losses: Record<string, number[]> = {};
  const before = tf.memory().numTensors;
  const result = await run(CNN_DISTILLATION, (e: ExperimentEvent) => {
    if (e.type === 'step' && e.step > 0) (losses[e.stage] ??= []).push(e.loss);
  });
  expect(tf.memory().numTensors, `tensors left behind on ${backend}`).toBe(before);
  return { result, losses };
}

describe('a CNN student', () => {
  it('trains on wasm and on cpu: finite, falling loss, well above chance, the same numbers on both', async () => {
    const runs = { wasm: await train('wasm'), cpu: await train('cpu') };
    for (const [backend, { result, losses }] of Object.entries(runs)) {
      for (const stage of ['baseline', 'student']) {
        const curve = losses[stage];
        expect(curve.length, `${stage} on ${backend}`).toBeGreaterThan(2);
        expect(curve.every(Number.isFinite), `${stage} on ${backend}: ${curve}`).toBe(true);
        expect(curve.at(-1)!, `${stage} on ${backend}: ${curve}`).toBeLessThan(0.85 * curve[0]);
      }
      expect(losses.student.at(-1)!, `student on ${backend}`).toBeLessThan(0.5 * losses.student[0]);
      // Ten classes: chance is 10%; this student reaches about 86%.
      expect(result.stages.student.accuracy, `student on ${backend}`).toBeGreaterThan(0.7);
      expect(result.stages.student.model).toMatch(/^CNN conv4-conv8-10/);
    }
    // Same seed, same data, same initial weights: the two backends' gradients agree, so the curves do too.
    for (const stage of ['baseline', 'student']) {
      runs.wasm.losses[stage].forEach((loss, i) => expect(loss, `${stage} loss ${i}`).toBeCloseTo(runs.cpu.losses[stage][i], 2));
    }
    expect(runs.wasm.result.stages.student.accuracy).toBeCloseTo(runs.cpu.result.stages.student.accuracy, 1);
  });
});
