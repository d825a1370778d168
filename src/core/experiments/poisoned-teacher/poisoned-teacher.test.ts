/**
 * The poisoned teacher: the trigger and the attack success rate by hand; on a reduced setting the backdoor takes in
 * the teacher at no cost to its clean accuracy, does not reach a student distilled on clean images, and reaches one
 * whose distillation images carry the trigger; hostile settings are refused naming the field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../../node/node-assets';
import { startNodeBackend } from '../../../node/node-backend';
import { parseConfig } from '../../config/read';
import type { ExperimentConfigInput } from '../../config/schema';
import { presetConfig } from '../../presets';
import { createRng } from '../../rng';
import { tf } from '../../tf';
import type { ChartData } from '../charts';
import type { ExperimentEvent } from '../contract';
import { runExperiment } from '../registry';
import { captionText, factsOfConfig, pct, type RunFacts } from '../narration';
import { poisonedTeacher, type PoisonedTeacherConfig } from './spec';
import { attackSuccessRate, rowsNotOfClass, triggerPixels, withTrigger } from './trigger';

describe('the trigger', () => {
  it('sets a square of pixels to 1 one pixel in from the bottom-right corner, on the chosen rows only', () => {
    // A 5x5 image, a 2-pixel trigger: rows 2-3, columns 2-3 -> flat 12, 13, 17, 18.
    expect(triggerPixels({ size: 2, height: 5, width: 5 })).toEqual([12, 13, 17, 18]);
    const x = new Float32Array(2 * 25).fill(0.5);
    const out = withTrigger(x, [1], { size: 2, height: 5, width: 5 });
    expect(Array.from(out.subarray(0, 25)).every((v) => v === 0.5)).toBe(true);
    expect([12, 13, 17, 18].map((p) => out[25 + p])).toEqual([1, 1, 1, 1]);
    expect(Array.from(out.subarray(25)).filter((v) => v === 1)).toHaveLength(4);
    expect(x[25 + 12]).toBe(0.5);
    expect(() => triggerPixels({ size: 5, height: 5, width: 5 })).toThrow(/does not fit/);
  });

  it('poisons only rows of other classes than the target, each once, reproducibly', () => {
    const labels = Int32Array.from({ length: 100 }, (_, i) => i % 10);
    const rows = rowsNotOfClass(labels, 3, 40, createRng(1).fork('poison'));
    expect(new Set(rows).size).toBe(40);
    expect(Array.from(rows).every((r) => labels[r] !== 3)).toBe(true);
    expect(rowsNotOfClass(labels, 3, 40, createRng(1).fork('poison'))).toEqual(rows);
    expect(() => rowsNotOfClass(labels, 3, 91, createRng(1))).toThrow(/only 90 examples are not of class 3/);
  });

  it('counts attack success over the examples whose true class is not the target', () => {
    // Labels 1, 2, 0, 1 with target 0: examples 0, 1 and 3 count (2 is a 0 already); predicted 0 on 0 and 3 -> 2 / 3.
    expect(attackSuccessRate([0, 1, 0, 0], [1, 2, 0, 1], 0)).toBe(2 / 3);
    expect(attackSuccessRate([0, 0], [0, 0], 0)).toBeNaN();
  });
});

const preset = presetConfig('poisoned-teacher') as PoisonedTeacherConfig;
/** The preset on 3,000 images and 500 test images, 25 of them poisoned (a larger share than the preset's). */
const SMALL = {
  ...preset,
  data: { ...preset.data, trainSize: 3000, testSize: 500 },
  teacher: { ...preset.teacher, train: { ...preset.teacher.train, epochs: 4, evalEvery: 24 } },
  student: { ...preset.student, train: { ...preset.student.train, epochs: 4, evalEvery: 24 } },
} satisfies ExperimentConfigInput;

const bars = (charts: ChartData[], series: string) => {
  const chart = charts.find((c) => c.info.id === 'attack-bars');
  if (!chart) throw new Error('no attack-bars chart');
  return chart.points[series].map((p) => p.y);
};

describe('poisoned-teacher (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('plants a backdoor in the teacher that a student inherits only when its distillation images carry the trigger', async () => {
    const events: ExperimentEvent[] = [];
    const before = tf.memory().numTensors;
    const result = await runExperiment(SMALL, { assets: nodeAssetSource(), onEvent: (e) => events.push(e) });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(result.stages)).toEqual(['clean-teacher', 'teacher', 'student', 'student-triggered']);
    const [cleanAsr, teacherAsr, studentAsr, triggeredAsr] = bars(result.charts, 'asr');
    const [cleanAcc, teacherAcc] = bars(result.charts, 'accuracy');
    console.log(
      `poisoned-teacher (reduced): ASR clean teacher ${cleanAsr}, teacher ${teacherAsr}, student ${studentAsr}, triggered ${triggeredAsr}; accuracy ${cleanAcc} -> ${teacherAcc}`,
    );
    expect(teacherAsr).toBeGreaterThan(cleanAsr + 0.3);
    expect(Math.abs(teacherAcc - cleanAcc)).toBeLessThan(0.03);
    expect(studentAsr).toBeLessThan(cleanAsr + 0.1);
    expect(triggeredAsr).toBeGreaterThan(studentAsr + 0.2);

    // The curve of each model was drawn as it trained: one point per measurement, streamed as chart events.
    const curve = result.charts.find((c) => c.info.id === 'attack-success')!;
    for (const [name, stage] of Object.entries(result.stages)) {
      expect(
        curve.points[name].map((p) => p.x),
        name,
      ).toEqual(stage.history.map((h) => h.step));
    }
    const streamed = events.filter((e) => e.type === 'chart-point' && e.chart === 'attack-success').length;
    expect(streamed).toBe(Object.values(result.stages).reduce((n, s) => n + s.history.length, 0));
    // The curve ends where the bars stand.
    expect(curve.points.teacher.at(-1)!.y).toBe(teacherAsr);

    // The captions quote this run's numbers once it is done, and none before its stages finish.
    const captions = poisonedTeacher.presets[0].narrative;
    const done: RunFacts = { ...factsOfConfig(result.config), stages: result.stages, result };
    const last = captionText(captions[captions.length - 1], done);
    for (const rate of [cleanAsr, teacherAsr, studentAsr, triggeredAsr]) expect(last).toContain(pct(rate));
    expect(captionText(captions[1], done)).toContain(pct(result.stages.teacher.accuracy));
    const fresh: RunFacts = factsOfConfig(result.config);
    for (const caption of captions) expect(captionText(caption, fresh)).not.toMatch(/\d%/);
  }, 120_000);

  it("words the final caption's claims as the numbers bear them out", () => {
    const facts = (asr: number[]): RunFacts => {
      const labels = ['Clean teacher', 'Poisoned teacher', 'Student, clean images', 'Student, some triggered'];
      const chart = { info: { id: 'attack-bars' }, points: { asr: asr.map((y, x) => ({ x, y, label: labels[x] })) } };
      return { ...factsOfConfig(parseConfig(SMALL)), result: { charts: [chart] } as unknown as RunFacts['result'] };
    };
    const last = poisonedTeacher.presets[0].narrative.at(-1)!;
    expect(captionText(last, facts([0.01, 0.7, 0.01, 0.8]))).toMatch(/it amplifies it\. The backdoor travels only where/);
    expect(captionText(last, facts([0.01, 0.7, 0.01, 0.5]))).toMatch(/it carries less of it\./);
    expect(captionText(last, facts([0.01, 0.7, 0.01, 0.71]))).toMatch(/carries about as much as its teacher/);
    // A student that never saw the patch but still fires on it: the caption says so instead of "only where".
    const leaked = captionText(last, facts([0.01, 0.7, 0.3, 0.7]));
    expect(leaked).toMatch(/some of it reached even the student that never saw the patch/);
    expect(leaked).not.toMatch(/only where/);
  });

  it('refuses hostile settings, naming each field', () => {
    const refused = (input: object) => {
      try {
        parseConfig(input);
      } catch (error) {
        return String(error);
      }
      return 'accepted';
    };
    expect(refused({ ...SMALL, poison: { ...SMALL.poison, count: 2900 } })).toMatch(/poison\.count: must be at most 2400/);
    expect(refused({ ...SMALL, poison: { ...SMALL.poison, transferTriggered: 1e9 } })).toMatch(/poison\.transferTriggered/);
    expect(refused({ ...SMALL, poison: { ...SMALL.poison, target: 10 } })).toMatch(/poison\.target/);
    expect(refused({ ...SMALL, poison: { ...SMALL.poison, patchSize: 0.5 } })).toMatch(/poison\.patchSize/);
    expect(refused({ ...SMALL, data: { ...SMALL.data, dataset: 'moons' } })).toMatch(/data\.dataset/);
    expect(refused({ ...SMALL, data: { ...SMALL.data, dataset: 'custom' } })).toMatch(/data\.dataset/);
    expect(refused({ ...SMALL, temperature: -4 })).toMatch(/temperature/);
    expect(
      refused({
        ...SMALL,
        teacher: { ...SMALL.teacher, model: { type: 'cnn', filters: 64, denseWidth: 256 }, train: { ...SMALL.teacher.train, batchSize: 1024 } },
      }),
    ).toMatch(/teacher\.train\.batchSize: a batch of 1024 on this model needs about \d+ MB/);
  });
});
