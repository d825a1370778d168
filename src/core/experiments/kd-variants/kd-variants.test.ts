/**
 * Distillation variants on a reduced setting: a student with few labels, distilled three ways, against the same
 * student on its labels alone; TAID's t; the temperature sweep; the shared distillation parts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../../node/node-assets';
import { startNodeBackend } from '../../../node/node-backend';
import type { ExperimentConfigInput } from '../../config/schema';
import type { KdVariantsConfig } from './spec';
import { presetConfig } from '../../presets';
import { tf } from '../../tf';
import { runExperiment } from '../registry';
import type { ChartData } from '../charts';
import type { ExperimentEvent } from '../contract';

const preset = presetConfig('kd-variants') as KdVariantsConfig;
/** kd-variants made small: 2,000 images, 150 of them labelled for the student. */
const SMALL = {
  ...preset,
  data: { ...preset.data, trainSize: 2000, labelledSize: 150, testSize: 500 },
  teacher: { ...preset.teacher, model: { type: 'mlp', width: 128, depth: 1, activation: 'relu', dropout: 0 }, train: { ...preset.teacher.train, epochs: 4 } },
  student: { ...preset.student, train: { ...preset.student.train, epochs: 4, evalEvery: 16 } },
  // A cap below 1 and a large step, so that t reaches its cap and the cap is tested.
  taid: { tStart: 0.3, tEnd: 0.9, alphaT: 0.05, beta: 0.9 },
  temperatureSweep: [8, 1, 4],
} satisfies ExperimentConfigInput;

const chart = (charts: ChartData[], id: string) => {
  const found = charts.find((c) => c.info.id === id);
  if (!found) throw new Error(`no chart ${id}`);
  return found;
};

describe('kd-variants (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it("every distillation variant beats the student alone when it has few labels; TAID's t rises within its bounds; the sweep reuses the forward-KL student", async () => {
    const events: ExperimentEvent[] = [];
    const before = tf.memory().numTensors;
    const result = await runExperiment(SMALL, { assets: nodeAssetSource(), onEvent: (e) => events.push(e) });
    expect(tf.memory().numTensors).toBe(before);
    const { teacher, baseline, kd } = result.stages;
    expect(teacher.accuracy).toBeGreaterThan(baseline.accuracy + 0.05);
    for (const variant of ['kd', 'reverse-kl', 'taid']) {
      expect(result.stages[variant].accuracy, variant).toBeGreaterThan(baseline.accuracy + 0.02);
    }
    // Stages: the three variants, then one student per sweep temperature other than the variants' own (T = 4).
    expect(Object.keys(result.stages)).toEqual(['teacher', 'baseline', 'kd', 'reverse-kl', 'taid', 'kd-T1', 'kd-T8']);
    const start = events.find((e) => e.type === 'experiment-start');
    expect(start?.type === 'experiment-start' && start.stages.map((s) => s.name)).toEqual(Object.keys(result.stages));
    expect(result.roles.student).toBe('kd');
    expect(result.pgr.final).toBeCloseTo((kd.accuracy - baseline.accuracy) / (teacher.accuracy - baseline.accuracy), 10);

    // TAID's t: from tStart, never below the linear floor, never above tEnd, close to it at the end.
    const t = chart(result.charts, 'taid-t');
    const ts = t.points.t.map((p) => p.y);
    const floor = t.points.floor.map((p) => p.y);
    expect(ts[0]).toBeCloseTo(0.3, 6);
    ts.forEach((value, i) => {
      expect(value).toBeLessThanOrEqual(0.9 + 1e-6);
      expect(value).toBeGreaterThanOrEqual(floor[i] - 1e-6);
      if (i > 0) expect(value).toBeGreaterThanOrEqual(ts[i - 1] - 1e-6);
    });
    expect(ts[ts.length - 1]).toBeGreaterThan(0.88);
    // It ran ahead of its floor: the adaptive part did something.
    const middle = Math.floor(ts.length / 3);
    expect(ts[middle]).toBeGreaterThan(floor[middle] + 0.05);
    expect(t.points.t.map((p) => p.x)).toEqual(result.stages.taid.history.map((h) => h.step));
    expect(ts).toEqual(result.stages.taid.history.map((h) => h.taidT));

    // Temperature sweep: ascending T; at T = 4 it is the forward-KL student itself; teacher and baseline as references.
    const sweep = chart(result.charts, 'temperature-sweep');
    expect(sweep.points.student.map((p) => p.x)).toEqual([1, 4, 8]);
    expect(sweep.points.student.map((p) => p.y)).toEqual([result.stages['kd-T1'].accuracy, kd.accuracy, result.stages['kd-T8'].accuracy]);
    expect(sweep.points.teacher.every((p) => p.y === teacher.accuracy)).toBe(true);
    expect(sweep.points.baseline.every((p) => p.y === baseline.accuracy)).toBe(true);
    console.log(
      `temperature sweep (reduced): ${sweep.points.student.map((p) => `T=${p.x}: ${(100 * p.y).toFixed(1)}%`).join(', ')}; baseline ${(100 * baseline.accuracy).toFixed(1)}%, teacher ${(100 * teacher.accuracy).toFixed(1)}%`,
    );

    // Bars: accuracy of every model (the references first), gap closed of every variant.
    const bars = chart(result.charts, 'variants');
    expect(bars.points.accuracy.map((p) => p.label)).toEqual(['Teacher', 'Student alone', 'Forward KL (Hinton KD)', 'Reverse KL', 'TAID']);
    expect(bars.points.gap.map((p) => p.y)[0]).toBeCloseTo(result.pgr.final!, 10);
  }, 60_000);

  it('rejects a labelled subset larger than the training set, naming the field', async () => {
    await expect(runExperiment({ ...SMALL, data: { ...SMALL.data, labelledSize: 2500 } }, { assets: nodeAssetSource() })).rejects.toThrow(
      /data\.labelledSize: must be at most trainSize \(2000\)/,
    );
  });
});
