/**
 * Random teachers, synthetic supervisors and early stopping on reduced versions of their presets: the direction
 * of each effect, and that the figures reported are the ones the per-example predictions and charts give.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../node/node-backend';
import { safeParseConfig } from '../config/read';
import { accuracy, mistakeBreakdown } from '../metrics';
import { buildModel } from '../models/model';
import { createRng } from '../rng';
import { tf } from '../tf';
import type { ExperimentEvent, ExperimentResult } from './contract';
import { startNearTeacher } from './random-teacher/run';

import { reduced, run } from '../../node/test-support';

const chart = (result: ExperimentResult, id: string) => {
  const found = result.charts.find((c) => c.info.id === id);
  if (!found) throw new Error(`no chart ${id}`);
  return found;
};

/** The stage figures the result reports are the ones its per-example predictions give. */
function expectConsistent(result: ExperimentResult) {
  const p = result.predictions.test;
  const { supervisor, student } = result.roles;
  expect(accuracy(p.supervisor, p.label)).toBeCloseTo(result.stages[supervisor].accuracy, 6);
  expect(accuracy(p.student, p.label)).toBeCloseTo(result.stages[student].accuracy, 6);
  expect(result.mistakes.test).toEqual(mistakeBreakdown(p.label, p.supervisor, p.student));
}

const W2S_DATA = { transferSize: 1000, validationSize: 200, testSize: 1000 };

describe('random teachers, synthetic supervisors, early stopping (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('startNearTeacher puts the student at teacher + eps x its own random weights', async () => {
    const spec = { type: 'mlp', width: 3, depth: 1, activation: 'relu', dropout: 0 } as const;
    const teacher = buildModel(spec, { featureShape: [2], numClasses: 4, rng: createRng(1) });
    const student = buildModel(spec, { featureShape: [2], numClasses: 4, rng: createRng(2) });
    const tensors = tf.memory().numTensors;
    const before = await Promise.all(student.trainable.map((v) => v.data()));
    const teacherWeights = await Promise.all(teacher.trainable.map((v) => v.data()));
    startNearTeacher(student, teacher, 0.1);
    const after = await Promise.all(student.trainable.map((v) => v.data()));
    after.forEach((values, layer) => values.forEach((w, j) => expect(w).toBeCloseTo(teacherWeights[layer][j] + 0.1 * before[layer][j], 6)));
    expect(tf.memory().numTensors).toBe(tensors);
    teacher.dispose();
    student.dispose();
  });

  it("random-teacher, reduced: the student's probe beats the random teacher's, and the chart says so", async () => {
    const events: ExperimentEvent[] = [];
    const tensors = tf.memory().numTensors;
    const result = await run(reduced('random-teacher', { data: { trainSize: 2000, probeSize: 300, testSize: 1000 }, probeEvery: 48 }), (e) => events.push(e));
    const { teacher, student } = result.stages;
    expect(student.accuracy).toBeGreaterThan(teacher.accuracy + 0.02);
    expect(teacher.accuracy).toBeGreaterThan(0.5);
    expectConsistent(result);
    // 96 steps, probed at 0, 48 and 96; the teacher's line is flat at its probe accuracy.
    const probe = chart(result, 'probe-accuracy');
    expect(probe.points.student.map((p) => p.x)).toEqual([0, 48, 96]);
    expect(probe.points.student.map((p) => p.y)).toEqual(student.history.map((h) => h.testAccuracy));
    expect(probe.points.student.at(-1)!.y).toBe(student.accuracy);
    expect(new Set(probe.points.teacher.map((p) => p.y))).toEqual(new Set([teacher.accuracy]));
    expect(probe.info.series.find((s) => s.key === 'teacher')!.dashed).toBe(true);
    // The page's live curves and matrix get the probe's accuracy and predictions at every measurement.
    const steps = events.filter((e) => e.type === 'step' && e.stage === 'student');
    expect(steps.map((e) => (e.type === 'step' ? e.testAccuracy : NaN))).toEqual(student.history.map((h) => h.testAccuracy));
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('random-teacher: a teacher without a hidden layer is refused, naming the field', () => {
    const parsed = safeParseConfig({ kind: 'random-teacher', teacher: { model: { type: 'linear' } } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.join('\n')).toMatch(/^teacher\.model\.type: /m);
  });

  it('w2s-flips against w2s-systematic, reduced: random errors get beaten, systematic ones copied, at the same error rate', async () => {
    const student = { train: { epochs: 10 } };
    const flips = await run(reduced('w2s-flips', { data: W2S_DATA, student }));
    const systematic = await run(reduced('w2s-systematic', { data: W2S_DATA, student }));
    // The supervisors' "training" is one measurement of their labels on test; their error rates match.
    expect(flips.stages.weak.stepsRun).toBe(0);
    expect(Math.abs(flips.stages.weak.accuracy - systematic.stages.weak.accuracy)).toBeLessThan(0.03);
    const f = flips.mistakes.test;
    const s = systematic.mistakes.test;
    expect(f.beatRate!).toBeGreaterThan(s.beatRate! + 0.4);
    expect(s.copyRate!).toBeGreaterThan(f.copyRate! + 0.4);
    expect(flips.stages.student.accuracy).toBeGreaterThan(flips.stages.weak.accuracy);
    expect(systematic.stages.student.accuracy).toBeLessThan(systematic.stages.weak.accuracy);
    expectConsistent(flips);
    expectConsistent(systematic);
    // The systematic supervisor's mistakes are exactly digits 0-2 given as the next digit.
    const p = systematic.predictions.test;
    p.label.forEach((y, i) => expect(p.supervisor[i]).toBe(y < 3 ? y + 1 : y));
  });

  it('w2s-early-stop, reduced: the checkpoint chosen on weak labels beats the final one, and the oracle is above both', async () => {
    const result = await run(
      reduced('w2s-early-stop', { data: { transferSize: 500, validationSize: 200, testSize: 500 }, student: { train: { epochs: 40 } } }),
    );
    const { student } = result.stages;
    expect(student.bestChosenBy).toMatch(/weak supervisor's labels|synthetic supervisor's labels/);
    expect(student.bestAccuracy).toBeGreaterThan(student.accuracy + 0.05);
    expect(student.oracleBestAccuracy).toBeGreaterThanOrEqual(student.bestAccuracy);
    expect(student.bestStep).toBeLessThan(student.stepsRun);
    // The checkpoints chart: final, best and oracle per model, the oracle drawn apart.
    const bars = chart(result, 'checkpoints');
    expect(bars.info.kind).toBe('bar');
    const oracle = bars.info.series.find((s) => s.key === 'oracle')!;
    expect(oracle.label).toMatch(/oracle/i);
    expect(oracle.dashed).toBe(true);
    const stages = [result.stages.weak, result.stages.ceiling, student];
    expect(bars.points.final.map((p) => p.y)).toEqual(stages.map((s) => s.accuracy));
    expect(bars.points.best.map((p) => p.y)).toEqual(stages.map((s) => s.bestAccuracy));
    expect(bars.points.oracle.map((p) => p.y)).toEqual(stages.map((s) => s.oracleBestAccuracy));
    expect(bars.points.final.map((p) => p.label)).toEqual(stages.map((s) => s.label));
  });
});
