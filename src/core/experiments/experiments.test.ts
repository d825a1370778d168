/**
 * Reduced versions of the presets, run end to end in Node. Each threshold is one that a broken loss, label
 * pipeline or metric would fail: a student trained on garbage drops to the supervisor or below.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../node/node-backend';
import { accuracy, mistakeBreakdown } from '../metrics';
import { tf } from '../tf';
import type { ExperimentEvent, ExperimentResult } from './contract';

import { reduced, run } from '../../node/test-support';

/** Everything but wall-clock times. */
function numbers(result: ExperimentResult): unknown {
  return JSON.parse(
    JSON.stringify(result, (key, value) => (key === 'seconds' ? undefined : ArrayBuffer.isView(value) ? Array.from(value as Int32Array) : value)),
  );
}

const smallMnist = reduced('w2s-mnist', { data: { transferSize: 2000, validationSize: 200, testSize: 1000 }, student: { train: { epochs: 10 } } });
const smallCopying = reduced('w2s-copying', { data: { transferSize: 800, testSize: 500 }, student: { train: { epochs: 10 } } });
const smallKd = reduced('kd-mnist', {
  data: { trainSize: 4000, labelledSize: 400, testSize: 1000 },
  teacher: { model: { width: 128 }, train: { epochs: 6 } },
  student: { train: { epochs: 6 } },
});

describe('experiments (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('w2s-mnist, reduced: the latent-knowledge student recovers a clear part of the gap', async () => {
    const events: ExperimentEvent[] = [];
    const before = tf.memory().numTensors;
    const result = await run(smallMnist, (e) => events.push(e));
    const { weak, ceiling, student } = result.stages;
    expect(ceiling.accuracy).toBeGreaterThan(weak.accuracy + 0.15);
    expect(student.accuracy).toBeGreaterThan(weak.accuracy + 0.03);
    expect(result.pgr.final).toBeGreaterThan(0.15);
    expect(result.pgr.final).toBeCloseTo((student.accuracy - weak.accuracy) / (ceiling.accuracy - weak.accuracy), 10);
    // The breakdown is the one the per-example predictions give.
    const p = result.predictions.test;
    expect(result.mistakes.test).toEqual(mistakeBreakdown(p.label, p.supervisor, p.student));
    expect(accuracy(p.student, p.label)).toBeCloseTo(student.accuracy, 6);
    expect(result.mistakes.test.beats).toBeGreaterThan(result.mistakes.test.regresses);
    // Progress streamed as plain data: each stage starts, steps and ends, in order.
    const order = events
      .filter((e) => e.type !== 'step' && e.type !== 'chart' && e.type !== 'chart-point' && e.type !== 'first-layer')
      .map((e) => `${e.type}:${'stage' in e ? e.stage : ''}`);
    expect(order).toEqual([
      'experiment-start:',
      'stage-start:weak',
      'stage-end:weak',
      'stage-start:ceiling',
      'stage-end:ceiling',
      'stage-start:student',
      'stage-end:student',
    ]);
    const steps = events.filter((e) => e.type === 'step' && e.stage === 'student');
    expect(steps.length).toBeGreaterThan(5);
    // A look inside: the linear supervisor reads the pixels, so its first layer comes at each measurement, one
    // 28x28 image per class; the other models read the frozen encoder's features, so none comes from them.
    const layers = events.flatMap((e) => (e.type === 'first-layer' ? [e] : []));
    expect(new Set(layers.map((e) => e.stage))).toEqual(new Set(['weak']));
    expect(layers.map((e) => e.step)).toEqual(weak.history.map((h) => h.step));
    for (const { layer } of layers) {
      expect([layer.height, layer.width, layer.units, layer.totalUnits, layer.weights.length]).toEqual([28, 28, 10, 10, 7840]);
      expect(layer.weights.every(Number.isFinite)).toBe(true);
    }
    // Training moves the weights: the pixels' weights for a class at the end are not those at step 0.
    const [first, last] = [layers[0].layer.weights, layers.at(-1)!.layer.weights];
    expect(last.reduce((sum, w, i) => sum + Math.abs(w - first[i]), 0) / last.length).toBeGreaterThan(1e-3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('w2s-no-concept, reduced: the same student without the concept recovers far less of the gap', async () => {
    const withConcept = await run(smallMnist);
    const without = await run(
      reduced('w2s-no-concept', { data: { transferSize: 2000, validationSize: 200, testSize: 1000 }, student: { train: { epochs: 10 } } }),
    );
    expect(without.stages.ceiling.accuracy).toBeGreaterThan(without.stages.weak.accuracy);
    expect(without.pgr.final!).toBeLessThan(withConcept.pgr.final! - 0.15);
  });

  it("w2s-copying, reduced: a student from scratch copies at least 80% of its supervisor's mistakes", async () => {
    const result = await run(smallCopying);
    expect(result.mistakes.test.copyRate).toBeGreaterThanOrEqual(0.8);
    expect(result.stages.ceiling.accuracy).toBeGreaterThan(0.95);
  });

  it('kd-mnist, reduced: distillation over unlabelled images beats the student on its labels alone', async () => {
    const result = await run(smallKd);
    const { teacher, baseline, student } = result.stages;
    expect(teacher.accuracy).toBeGreaterThan(0.85);
    expect(student.accuracy).toBeGreaterThan(baseline.accuracy + 0.03);
  });

  it('the same config and seed give identical numbers; another seed does not', async () => {
    const a = numbers(await run(smallCopying));
    expect(numbers(await run(smallCopying))).toEqual(a);
    expect(numbers(await run({ ...smallCopying, seed: 2 }))).not.toEqual(a);
  });
});

describe('experiments (cpu)', () => {
  beforeAll(async () => {
    await startNodeBackend('cpu');
  });

  it('the same config and seed give identical numbers on cpu', async () => {
    const config = reduced('w2s-copying', { data: { transferSize: 300, testSize: 200, validationSize: 50 }, student: { train: { epochs: 3 } } });
    const a = numbers(await run(config));
    expect(numbers(await run(config))).toEqual(a);
  });

  it('reports PGR as n/a with the reason when the ceiling does not beat the supervisor', async () => {
    // A "strong" model that is the same linear model as the supervisor, given almost nothing to learn from.
    const config = reduced('w2s-copying', {
      data: { supervisorSize: 1000, transferSize: 20, validationSize: 0, testSize: 200 },
      supervisor: { train: { epochs: 30 } },
      student: { model: { type: 'linear' }, train: { epochs: 1, learningRate: 0.00001 } },
    });
    const result = await run(config);
    expect(result.pgr.final).toBeNull();
    expect(result.pgr.reason).toMatch(/^n\/a: the ceiling .* does not beat the supervisor/);
  });
});
