/**
 * Teacher hacking on a reduced setting: on a fixed transfer set the student's golden distance (to the oracle)
 * climbs well above its minimum while its proxy distance (to the teacher) keeps below its value there; fresh
 * points end nearer the oracle. Plus the oracle's label sampling and the size check.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../../node/node-assets';
import { startNodeBackend } from '../../../node/node-backend';
import { parseConfig } from '../../config/read';
import type { TeacherHackingConfig } from './spec';
import { createRng } from '../../rng';
import { presetConfig } from '../../presets';
import { tf } from '../../tf';
import { runExperiment } from '../registry';
import { sampleClasses } from './run';

const preset = presetConfig('teacher-hacking') as TeacherHackingConfig;
/** The preset with fewer held-out points, 400 student steps instead of 600 and a small validation split. */
const SMALL: TeacherHackingConfig = {
  ...preset,
  data: { ...preset.data, testSize: 300, validationSize: 100 },
  student: { ...preset.student, train: { ...preset.student.train, epochs: 200 } },
};

describe('teacher hacking (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('on a fixed set the golden distance turns up while the proxy keeps falling; fresh points end nearer the oracle', async () => {
    const before = tf.memory().numTensors;
    const result = await runExperiment(SMALL, { assets: nodeAssetSource() });
    expect(tf.memory().numTensors).toBe(before);
    const { teacher, fixed, fresh } = result.stages;
    expect(Object.keys(result.stages)).toEqual(['teacher', 'fixed', 'fresh']);
    // The same number of steps: 64 points x 200 epochs against one pass over 12,800 fresh points.
    expect(fixed.totalSteps).toBe(400);
    expect(fresh.totalSteps).toBe(400);
    expect(fixed.trainingExamples).toBe(64);
    expect(fresh.trainingExamples).toBe(64 * 200);
    expect(result.dataset.classNames).toHaveLength(4);
    expect(teacher.accuracy).toBeGreaterThan(0.3);

    const chart = result.charts.find((c) => c.info.id === 'distances');
    expect(chart?.info.series.map((s) => s.key)).toEqual(['fixed-proxy', 'fixed-golden', 'fresh-proxy', 'fresh-golden']);
    const series = (key: string) => chart!.points[key].map((p) => p.y);
    // One point per measurement of each student, at its steps.
    expect(chart!.points['fixed-golden'].map((p) => p.x)).toEqual(fixed.history.map((h) => h.step));
    expect(chart!.points['fresh-proxy'].map((p) => p.x)).toEqual(fresh.history.map((h) => h.step));

    const golden = series('fixed-golden');
    const proxy = series('fixed-proxy');
    const last = golden.length - 1;
    const lowest = golden.indexOf(Math.min(...golden));
    // The golden distance first falls (the student learns what teacher and oracle share), then climbs.
    expect(lowest).toBeGreaterThan(0);
    expect(lowest).toBeLessThan(last);
    expect(golden[last]).toBeGreaterThan(1.5 * golden[lowest]);
    expect(golden[last] - golden[lowest]).toBeGreaterThan(0.1);
    // Meanwhile the student got closer to its teacher.
    expect(proxy[last]).toBeLessThan(proxy[lowest]);
    // Fresh points: the same steps end much nearer the oracle.
    const freshGolden = series('fresh-golden');
    expect(freshGolden[freshGolden.length - 1]).toBeLessThan(0.75 * golden[last]);
    console.log(
      `fixed golden ${golden[lowest].toFixed(3)} at step ${chart!.points['fixed-golden'][lowest].x} -> ${golden[last].toFixed(3)}, proxy ${proxy[lowest].toFixed(3)} -> ${proxy[last].toFixed(3)}; fresh golden ${freshGolden[freshGolden.length - 1].toFixed(3)}`,
    );
  }, 60_000);

  it('the same config and seed give the same distances', async () => {
    const config = { ...SMALL, data: { ...SMALL.data, testSize: 100 }, student: { ...SMALL.student, train: { ...SMALL.student.train, epochs: 20 } } };
    const a = await runExperiment(config, { assets: nodeAssetSource() });
    const b = await runExperiment(config, { assets: nodeAssetSource() });
    expect(b.charts).toEqual(a.charts);
    const c = await runExperiment({ ...config, seed: 2 }, { assets: nodeAssetSource() });
    expect(c.charts).not.toEqual(a.charts);
  });

  it("samples each point's class from its distribution", () => {
    const rows = 20000;
    const probabilities = new Float32Array(rows * 3);
    for (let i = 0; i < rows; i++) probabilities.set([0.2, 0.5, 0.3], 3 * i);
    const counts = [0, 0, 0];
    sampleClasses(probabilities, 3, createRng(5)).forEach((c) => counts[c]++);
    expect(counts[0] / rows).toBeCloseTo(0.2, 1);
    expect(counts[1] / rows).toBeCloseTo(0.5, 1);
    expect(counts[2] / rows).toBeCloseTo(0.3, 1);
    // A certain distribution always gives its class.
    expect(Array.from(sampleClasses(Float32Array.from([0, 0, 1, 0, 1, 0]), 3, createRng(1)))).toEqual([2, 1]);
  });

  it('names the sizes when the fresh points do not fit the dataset', () => {
    expect(() => parseConfig({ ...SMALL, data: { ...SMALL.data, transferSize: 100 } })).toThrow(
      /teacherSize \+ transferSize x student epochs \(the fresh points\) \+ validationSize = 20200 exceeds the 20000 training examples of Overlapping Gaussians/,
    );
  });
});
