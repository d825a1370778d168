/**
 * Teacher intervention: the ranking and mental-model pieces against values worked out by hand, and the effect on a
 * reduced setting (targeted choices beat random ones at a small budget; a misaligned teacher drags the student
 * below chance); hostile settings refused by name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../../node/node-backend';
import { reduced, run } from '../../../node/test-support';
import { safeParseConfig } from '../../config/read';
import { findPreset } from '../../presets';
import { tf } from '../../tf';
import { captionText } from '../narration';
import { auroc, budgetCount, confidence, fitLogistic, intervene, predictLogistic, rankDescending, secondChoice, teacherView } from './intervention';

describe('intervention pieces', () => {
  it("the teacher's view of an example: its probabilities, top probability and entropy", () => {
    const view = teacherView(Float32Array.from([0.5, 0.5, 1, 0]), 2);
    // Row 1: [0.5, 0.5, top 0.5, entropy ln 2]; row 2: [1, 0, top 1, entropy 0].
    expect(Array.from(view)).toEqual([0.5, 0.5, 0.5, Math.LN2, 1, 0, 1, 0]);
  });

  it('the student confidence, the second choice and the number of answers a budget covers', () => {
    expect(Array.from(confidence(Float32Array.from([0.2, 0.8, 0.6, 0.4]), 2))).toEqual([Math.fround(0.8), Math.fround(0.6)]);
    expect(Array.from(secondChoice(Float32Array.from([0.1, 0.7, 0.2, 0.5, 0.3, 0.2, 0.2, 0.2, 0.6]), 3))).toEqual([2, 1, 0]);
    expect([0, 2.5, 10, 100].map((b) => budgetCount(b, 2000))).toEqual([0, 50, 200, 2000]);
    expect(budgetCount(0.01, 2000)).toBe(0);
  });

  it('ranks by score, highest first, ties in row order', () => {
    expect(Array.from(rankDescending([0.2, 0.9, 0.2, 0.5]))).toEqual([1, 3, 0, 2]);
  });

  it('replaces the first k answers of a ranking and counts what it fixed', () => {
    // Truth [0, 1, 2, 3]; the student has rows 1 and 3 wrong; the teacher is right everywhere but row 2.
    const labels = [0, 1, 2, 3];
    const student = [0, 0, 2, 0];
    const teacher = [0, 1, 1, 3];
    const order = Int32Array.from([3, 2, 1, 0]);
    expect(intervene(order, 0, student, teacher, labels)).toEqual({ accuracy: 0.5, studentWrongAmongChosen: null });
    // k = 1: row 3 fixed (3 of 4 right); k = 2: row 2 broken by the teacher (2 of 4), one of the two chosen was wrong.
    expect(intervene(order, 1, student, teacher, labels)).toEqual({ accuracy: 0.75, studentWrongAmongChosen: 1 });
    expect(intervene(order, 2, student, teacher, labels)).toEqual({ accuracy: 0.5, studentWrongAmongChosen: 0.5 });
    expect(intervene(order, 4, student, teacher, labels).accuracy).toBe(0.75);
  });

  it('AUROC: 1 when the mistakes score highest, 0.5 for ties, null without both kinds', () => {
    expect(auroc([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0])).toBe(1);
    expect(auroc([0.1, 0.2, 0.9, 0.8], [1, 1, 0, 0])).toBe(0);
    expect(auroc([0.5, 0.5, 0.5], [1, 0, 0])).toBe(0.5);
    // Positives at 0.9 and 0.3; negatives at 0.5 and 0.1: 3 of the 4 pairs ordered right.
    expect(auroc([0.9, 0.3, 0.5, 0.1], [1, 1, 0, 0])).toBe(0.75);
    expect(auroc([0.1, 0.2], [0, 0])).toBeNull();
  });

  it('the mental model learns which side of a feature the mistakes lie on; a large penalty leaves the base rate', async () => {
    // One feature; the student is wrong where it is high.
    const x = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    const wrong = [0, 0, 0, 0, 0, 1, 1, 1];
    const fit = await fitLogistic(x, 1, wrong, { l2: 0.01, steps: 500, learningRate: 0.5 });
    const p = predictLogistic(fit, Float64Array.from([0, 7]));
    expect(p[0]).toBeLessThan(0.1);
    expect(p[1]).toBeGreaterThan(0.9);
    // With weights held near zero the bias alone fits the share of mistakes, 3 / 8.
    const flat = await fitLogistic(x, 1, wrong, { l2: 10, steps: 2000, learningRate: 0.05 });
    expect(predictLogistic(flat, Float64Array.from([3.5]))[0]).toBeCloseTo(3 / 8, 2);
  });

  it('stops when its run is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(fitLogistic(Float64Array.from([0, 1]), 1, [0, 1], { l2: 0, steps: 10, learningRate: 0.1 }, controller.signal)).rejects.toThrow('cancelled');
  });
});

/** teacher-intervention made small: 2,000 training digits, 300 labelled for the student, 1,000 test digits. */
const SMALL = reduced('teacher-intervention', {
  data: { trainSize: 2000, labelledSize: 300, observedSize: 100, testSize: 1000 },
  teacher: { train: { epochs: 3 } },
  student: { train: { epochs: 8 } },
  budgets: [0, 10, 50, 100],
});

describe('teacher-intervention (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('targeted intervention beats random at a small budget; a misaligned teacher drags the student below chance', async () => {
    const tensors = tf.memory().numTensors;
    const result = await run(SMALL);
    expect(tf.memory().numTensors).toBe(tensors);
    const { teacher, student } = result.stages;
    const chart = result.charts.find((c) => c.info.id === 'intervention')!;
    const at = (key: string, budget: number) => chart.points[key].find((p) => p.x === budget)!.y;
    console.log(
      `teacher-intervention (reduced): student ${(100 * student.accuracy).toFixed(1)}%, teacher ${(100 * teacher.accuracy).toFixed(1)}%; at 10%: random ${(100 * at('random', 10)).toFixed(1)}%, least confident ${(100 * at('least-confident', 10)).toFixed(1)}%, mental model ${(100 * at('mental-model', 10)).toFixed(1)}%; misaligned at 100%: ${(100 * at('misaligned', 100)).toFixed(1)}%`,
    );
    expect(teacher.accuracy).toBeGreaterThan(student.accuracy + 0.03);
    // Budget 0 is the student; every aligned strategy at 100% is the teacher.
    for (const key of ['random', 'least-confident', 'mental-model', 'misaligned']) expect(at(key, 0)).toBeCloseTo(student.accuracy, 6);
    for (const key of ['random', 'least-confident', 'mental-model']) expect(at(key, 100)).toBeCloseTo(teacher.accuracy, 6);
    expect(at('least-confident', 10)).toBeGreaterThan(at('random', 10) + 0.01);
    expect(at('mental-model', 10)).toBeGreaterThan(at('random', 10) + 0.005);
    expect(at('misaligned', 100)).toBeLessThan(0.1);
    expect(at('misaligned', 50)).toBeLessThan(student.accuracy - 0.2);

    const targeting = result.charts.find((c) => c.info.id === 'targeting')!;
    const auroc = Object.fromEntries(targeting.points.auroc.map((p) => [p.label, p.y]));
    expect(auroc["teacher's mental model"]).toBeGreaterThan(0.65);
    expect(Math.abs(auroc.random - 0.5)).toBeLessThan(0.1);

    // The captions quote this run's numbers.
    const captions = findPreset('teacher-intervention').narrative;
    const facts = { config: result.config, stages: result.stages, result, charts: result.charts, testLabels: result.predictions.test.label, models: {} };
    expect(captionText(captions[2], facts)).toContain(`from ${(100 * student.accuracy).toFixed(1)}% to ${(100 * at('random', 10)).toFixed(1)}%`);
    expect(captionText(captions[5], facts)).toContain(`at 100% to ${(100 * at('misaligned', 100)).toFixed(1)}%, below chance (10%)`);
  }, 120_000);

  it('refuses hostile settings with a message that names the field', () => {
    const problems = (overrides: Record<string, unknown>) => {
      const parsed = safeParseConfig(reduced('teacher-intervention', overrides));
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems({ budgets: [10, -5] })).toEqual([expect.stringMatching(/^budgets\.1: .*at least 0/)]);
    expect(problems({ budgets: [101] })).toEqual([expect.stringMatching(/^budgets\.0: .*at most 100/)]);
    expect(problems({ budgets: [] })).toEqual([expect.stringMatching(/^budgets: /)]);
    expect(problems({ budgets: Array.from({ length: 13 }, (_, i) => i) })).toEqual([expect.stringMatching(/^budgets: /)]);
    expect(problems({ budgets: [NaN] })).toEqual([expect.stringMatching(/^budgets\.0: /)]);
    expect(problems({ data: { labelledSize: 6000 } })).toEqual(['data.labelledSize: must be at most trainSize (5000)']);
    expect(problems({ data: { observedSize: 1 } })).toEqual([expect.stringMatching(/^data\.observedSize: .*at least 2/)]);
    expect(problems({ data: { trainSize: 9950 } })).toEqual([
      'data: trainSize + validationSize + observedSize = 10050 exceeds the 10000 training examples of MNIST digits',
    ]);
    expect(problems({ mentalModel: { steps: 1e9 } })).toEqual([expect.stringMatching(/^mentalModel\.steps: .*at most 5000/)]);
    expect(problems({ teacher: { model: { type: 'cnn', filters: 64 }, train: { batchSize: 1024 } } })).toEqual([
      expect.stringMatching(/^teacher\.train\.batchSize: .*over the limit of 256 MB/),
    ]);
  });
});
