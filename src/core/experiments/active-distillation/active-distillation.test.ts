/**
 * Active distillation: the selection rules against values worked out by hand, and the effects on a reduced
 * setting (informed queries beat random ones at a small budget; uncertainty buys more of the teacher's mistakes);
 * hostile settings refused by name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../../node/node-backend';
import { reduced, run } from '../../../node/test-support';
import { parseConfig, safeParseConfig } from '../../config/read';
import { findPreset } from '../../presets';
import { tf } from '../../tf';
import { captionText } from '../narration';
import { entropies, highestScores, kCenterGreedy, topProbabilities } from './selection';
import { queryPlan, type ActiveDistillationConfig } from './spec';

describe('query selection', () => {
  it('entropy and top probability of each row', () => {
    const p = Float32Array.from([0.5, 0.5, 1, 0, 0.25, 0.75]);
    const h = entropies(p, 2);
    expect(h[0]).toBeCloseTo(Math.LN2, 6);
    expect(h[1]).toBe(0);
    // -(0.25 ln 0.25 + 0.75 ln 0.75) = 0.3465736 + 0.2157616 = 0.5623351
    expect(h[2]).toBeCloseTo(0.5623351, 6);
    expect(Array.from(topProbabilities(p, 2))).toEqual([0.5, 1, 0.75]);
  });

  it('takes the highest scores among the rows not yet taken, ties in row order', () => {
    const taken = Uint8Array.from([0, 1, 0, 0, 0]);
    expect(Array.from(highestScores([0.3, 0.9, 0.3, 0.8, 0.1], taken, 3))).toEqual([3, 0, 2]);
    expect(Array.from(highestScores([0.3, 0.9], Uint8Array.from([1, 1]), 3))).toEqual([]);
  });

  it('k-center takes the point farthest from its nearest centre each time', async () => {
    // Points on a line at 0, 1, 3, 10; the centre starts at 0. Farthest: 10 (row 3); then 3 (row 2: 3 from 0, 7 from
    // 10) over 1 (row 1: 1 from 0); then 1.
    const points = Float32Array.from([0, 1, 3, 10]);
    expect(Array.from(await kCenterGreedy(points, 1, Uint8Array.from([1, 0, 0, 0]), 3))).toEqual([3, 2, 1]);
    // Two dimensions, asking for more than there is: every free row once.
    const square = Float32Array.from([0, 0, 1, 0, 0, 1, 1, 1]);
    expect(Array.from(await kCenterGreedy(square, 2, Uint8Array.from([1, 0, 0, 0]), 9))).toEqual([3, 1, 2]);
    await expect(kCenterGreedy(points, 1, new Uint8Array(4), 2)).rejects.toThrow('at least one starting centre');
    const controller = new AbortController();
    controller.abort();
    await expect(kCenterGreedy(points, 1, Uint8Array.from([1, 0, 0, 0]), 2, controller.signal)).rejects.toThrow('cancelled');
  });

  it('caps budgets at the pool and the seed at the smallest budget', () => {
    const plan = (budgets: number[], seedSize: number) =>
      queryPlan(parseConfig(reduced('active-distillation', { data: { poolSize: 2000 }, budgets, seedSize })) as ActiveDistillationConfig);
    expect(plan([5000, 100, 100, 400], 50)).toEqual({ budgets: [100, 400, 2000], seed: 50 });
    expect(plan([30, 400], 50)).toEqual({ budgets: [30, 400], seed: 30 });
  });
});

/** active-distillation made small: a teacher on 1,000 digits, a pool of 2,000, 500 test digits. */
const SMALL = reduced('active-distillation', {
  data: { teacherSize: 1000, poolSize: 2000, testSize: 500 },
  teacher: { train: { epochs: 5 } },
  student: { train: { steps: 80, evalEvery: 40 } },
  seedSize: 40,
  budgets: [100, 400],
});

describe('active-distillation (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it("informed queries beat random ones at a small budget; uncertain queries buy more of the teacher's mistakes", async () => {
    const tensors = tf.memory().numTensors;
    const result = await run(SMALL);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(Object.keys(result.stages)).toEqual([
      'teacher',
      'seed',
      ...[1, 2].flatMap((i) => ['random', 'uncertainty', 'confident-uncertain', 'k-center'].map((s) => `${s}-${i}`)),
    ]);
    const accuracy = result.charts.find((c) => c.info.id === 'accuracy')!;
    const mistakes = result.charts.find((c) => c.info.id === 'teacher-mistakes')!;
    const at = (chart: typeof accuracy, key: string, x: number) => chart.points[key].find((p) => p.x === x)!.y;
    const line = (key: string) => [40, 100, 400].map((x) => `${(100 * at(accuracy, key, x)).toFixed(1)}%`).join(' ');
    console.log(
      `active-distillation (reduced): random ${line('random')}, uncertainty ${line('uncertainty')}, confident-uncertain ${line('confident-uncertain')}, k-center ${line('k-center')}; teacher wrong on queried: random ${(100 * at(mistakes, 'random', 400)).toFixed(1)}%, uncertainty ${(100 * at(mistakes, 'uncertainty', 400)).toFixed(1)}%`,
    );
    // Every line starts at the seed student, and each point is its stage's accuracy.
    for (const key of ['random', 'uncertainty', 'confident-uncertain', 'k-center']) {
      expect(accuracy.points[key].map((p) => p.x)).toEqual([40, 100, 400]);
      expect(at(accuracy, key, 40)).toBe(result.stages.seed.accuracy);
      expect(at(accuracy, key, 400)).toBe(result.stages[`${key}-2`].accuracy);
    }
    expect(result.stages['random-2'].trainingExamples).toBe(400);
    expect(at(accuracy, 'k-center', 100)).toBeGreaterThan(at(accuracy, 'random', 100));
    expect(at(mistakes, 'uncertainty', 400)).toBeGreaterThan(at(mistakes, 'random', 400) + 0.03);
    expect(at(mistakes, 'confident-uncertain', 400)).toBeLessThan(at(mistakes, 'uncertainty', 400));

    const captions = findPreset('active-distillation').narrative;
    const text = captionText(captions[4], {
      config: result.config,
      stages: result.stages,
      result,
      charts: result.charts,
      testLabels: result.predictions.test.label,
      models: {},
    });
    expect(text).toContain(`the teacher is wrong on ${(100 * at(mistakes, 'uncertainty', 100)).toFixed(1)}% of the points the uncertain student asked about`);
  }, 180_000);

  it('refuses hostile settings with a message that names the field', () => {
    const problems = (overrides: Record<string, unknown>) => {
      const parsed = safeParseConfig(reduced('active-distillation', overrides));
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems({ budgets: [0] })).toEqual([expect.stringMatching(/^budgets\.0: .*at least 1/)]);
    expect(problems({ budgets: [100.5] })).toEqual([expect.stringMatching(/^budgets\.0: /)]);
    expect(problems({ budgets: [] })).toEqual([expect.stringMatching(/^budgets: /)]);
    expect(problems({ budgets: [1, 2, 3, 4, 5, 6] })).toEqual([expect.stringMatching(/^budgets: /)]);
    expect(problems({ seedSize: -3 })).toEqual([expect.stringMatching(/^seedSize: .*at least 1/)]);
    expect(problems({ student: { train: { steps: 0 } } })).toEqual([expect.stringMatching(/^student\.train\.steps: .*at least 1/)]);
    expect(problems({ data: { poolSize: 9000 } })).toEqual([
      'data: teacherSize + poolSize + validationSize = 11000 exceeds the 10000 training examples of MNIST digits',
    ]);
    expect(problems({ student: { model: { type: 'cnn', filters: 64 }, train: { batchSize: 1024 } } })).toEqual([
      expect.stringMatching(/^student\.train\.batchSize: .*over the limit of 256 MB/),
    ]);
  });
});
