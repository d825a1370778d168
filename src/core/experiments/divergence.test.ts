/**
 * Divergence inside a whole experiment: a learning rate that sends the loss to NaN or infinity stops the model
 * that diverged with a message naming it, the models that finished before it have already been reported, every
 * tensor is released, and the next run in the same process gives exactly the numbers it gives on its own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../node/node-assets';
import { startNodeBackend } from '../../node/node-backend';
import { parseConfig } from '../config/read';
import type { ExperimentConfig } from '../config/schema';
import { presetConfig } from '../presets';
import { tf } from '../tf';
import { DivergenceError } from '../train';
import { runExperiment } from './registry';
import type { ExperimentEvent, ExperimentResult } from './contract';

type W2S = Extract<ExperimentConfig, { kind: 'weak-to-strong' }>;
const copying = presetConfig('w2s-copying') as W2S;
const QUICK = parseConfig({
  ...copying,
  data: { ...copying.data, transferSize: 500 },
  supervisor: { ...copying.supervisor, train: { ...copying.supervisor.train, epochs: 3 } },
  student: { ...copying.student, train: { ...copying.student.train, epochs: 2 } },
}) as W2S;
/** SGD at rate 1 with momentum 0.99 on four layers of 256: within every range of the schema, and it blows up. */
const DIVERGING = parseConfig({
  ...QUICK,
  student: {
    ...QUICK.student,
    model: { type: 'mlp', width: 256, depth: 4, activation: 'relu', dropout: 0 },
    train: { ...QUICK.student.train, optimizer: 'sgd', learningRate: 1, momentum: 0.99, epochs: 3, evalEvery: 5 },
  },
});

const run = (config: unknown, onEvent?: (e: ExperimentEvent) => void) => runExperiment(config, { assets: nodeAssetSource(), onEvent });
const numbers = (result: ExperimentResult) =>
  JSON.parse(JSON.stringify(result, (key, value) => (key === 'seconds' ? undefined : ArrayBuffer.isView(value) ? Array.from(value as Int32Array) : value)));

describe('divergence (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('stops the diverging model with a clear message, after reporting the finished ones; the next run is clean', async () => {
    const clean = numbers(await run(QUICK));
    const before = tf.memory().numTensors;

    const events: ExperimentEvent[] = [];
    const error = await run(DIVERGING, (e) => events.push(e)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as DivergenceError).message).toMatch(
      /^Strong ceiling: the loss became NaN or infinite at step \d+ \(learning rate 1\); lower the learning rate and run again$/,
    );
    // The supervisor finished and was reported in full before the ceiling diverged; nothing non-finite was reported.
    const ends = events.filter((e) => e.type === 'stage-end');
    expect(ends.map((e) => e.stage)).toEqual(['weak']);
    expect(ends[0].type === 'stage-end' && ends[0].result.accuracy).toBeGreaterThan(0.7);
    const ceilingSteps = events.filter((e) => e.type === 'step' && e.stage === 'ceiling');
    expect(ceilingSteps.length).toBeGreaterThan(0);
    expect(ceilingSteps.every((e) => e.type === 'step' && (e.step === 0 || Number.isFinite(e.loss)))).toBe(true);
    // Every tensor of the failed run is released.
    expect(tf.memory().numTensors).toBe(before);

    // The next run starts cleanly: the same numbers as the run made before anything failed.
    expect(numbers(await run(QUICK))).toEqual(clean);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
