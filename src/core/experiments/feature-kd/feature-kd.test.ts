/**
 * Feature distillation on a reduced setting: the feature terms do what they say (the hinted and relational students'
 * hidden layers come out more like the teacher's than the logit-KD student's), every distilled student beats the
 * student alone, the runs release every tensor; hostile settings are refused naming the field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../../node/node-assets';
import { startNodeBackend } from '../../../node/node-backend';
import type { ExperimentConfigInput } from '../../config/schema';
import { parseConfig } from '../../config/read';
import { presetConfig } from '../../presets';
import { tf } from '../../tf';
import type { ChartData } from '../charts';
import { runExperiment } from '../registry';
import { captionText, factsOfConfig, fixed, pct, type RunFacts } from '../narration';
import { featureKd, type FeatureKdConfig } from './spec';

const preset = presetConfig('feature-kd') as FeatureKdConfig;
/** feature-kd made small: 2,000 images, 150 of them labelled for the student, a 64-unit teacher, batches of 64. */
const SMALL = {
  ...preset,
  data: { ...preset.data, trainSize: 2000, labelledSize: 150, testSize: 500 },
  teacher: {
    ...preset.teacher,
    model: { type: 'mlp', width: 64, depth: 1, activation: 'relu', dropout: 0 },
    train: { ...preset.teacher.train, batchSize: 64, epochs: 6 },
  },
  student: { ...preset.student, train: { ...preset.student.train, batchSize: 64, epochs: 8, evalEvery: 32 } },
} satisfies ExperimentConfigInput;

const bars = (charts: ChartData[], id: string, series: string) => {
  const chart = charts.find((c) => c.info.id === id);
  if (!chart) throw new Error(`no chart ${id}`);
  return Object.fromEntries(chart.points[series].map((p) => [p.label, p.y])) as Record<string, number>;
};

describe('feature-kd (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it("the feature terms bring the student's features closer to the teacher's but move its accuracy by under 2 points; every distilled student beats the student alone", async () => {
    const before = tf.memory().numTensors;
    const result = await runExperiment(SMALL, { assets: nodeAssetSource() });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(result.stages)).toEqual(['teacher', 'baseline', 'kd', 'hint', 'relational']);
    const { teacher, baseline, kd } = result.stages;
    expect(teacher.accuracy).toBeGreaterThan(baseline.accuracy + 0.1);
    // Every distilled student gains on the student alone; the feature terms move accuracy by under 2 points either way.
    for (const name of ['kd', 'hint', 'relational']) expect(result.stages[name].accuracy, name).toBeGreaterThan(baseline.accuracy + 0.1);
    for (const name of ['hint', 'relational']) expect(Math.abs(result.stages[name].accuracy - kd.accuracy), name).toBeLessThan(0.02);

    const cka = bars(result.charts, 'feature-similarity', 'cka');
    expect(Object.keys(cka)).toEqual(['Student alone', 'Logit KD', 'Logit KD + hint', 'Logit KD + relational']);
    // Each term moves the student's features towards the teacher's, relational KD (which matches their geometry) most.
    expect(cka['Logit KD + hint']).toBeGreaterThan(cka['Logit KD']);
    expect(cka['Logit KD + relational']).toBeGreaterThan(cka['Logit KD'] + 0.02);
    // Distillation alone already brings the student's features towards the teacher's.
    expect(cka['Logit KD']).toBeGreaterThan(cka['Student alone'] + 0.03);

    const accuracy = bars(result.charts, 'feature-kd', 'accuracy');
    expect(accuracy['Logit KD + hint']).toBe(result.stages.hint.accuracy);
    const gap = bars(result.charts, 'feature-kd', 'gap');
    expect(gap['Logit KD']).toBeCloseTo(result.pgr.final!, 10);
    expect(result.students?.map((s) => s.stage)).toEqual(['kd', 'hint', 'relational']);

    // The captions quote this run's numbers, and compare students only once both have finished.
    const captions = featureKd.presets[0].narrative;
    const done: RunFacts = { ...factsOfConfig(result.config), stages: result.stages, result };
    const texts = captions.map((c) => captionText(c, done));
    expect(texts[0]).toContain(pct(teacher.accuracy));
    expect(texts[3]).toContain(pct(result.stages.hint.accuracy));
    expect(texts[4]).toContain(pct(result.stages.relational.accuracy));
    expect(texts[5]).toContain(fixed(cka['Logit KD + relational']));
    expect(texts[6]).toContain(fixed(result.students![1].gap.final));
    const onlyKd: RunFacts = { ...factsOfConfig(result.config), stages: { teacher, baseline } };
    expect(captionText(captions[3], onlyKd)).toMatch(/waiting for it and for logit KD to finish/);
    console.log(
      `feature-kd (reduced): teacher ${(100 * teacher.accuracy).toFixed(1)}%, alone ${(100 * baseline.accuracy).toFixed(1)}%, ` +
        ['kd', 'hint', 'relational'].map((n) => `${n} ${(100 * result.stages[n].accuracy).toFixed(1)}%`).join(', ') +
        `; CKA ${Object.entries(cka)
          .map(([k, v]) => `${k} ${v.toFixed(3)}`)
          .join(', ')}`,
    );
  }, 120_000);

  it('says a feature term adds or costs accuracy only past half a point', () => {
    const facts = (kd: number, hint: number): RunFacts => ({
      ...factsOfConfig(parseConfig(SMALL)),
      stages: { kd: { accuracy: kd }, hint: { accuracy: hint } } as unknown as RunFacts['stages'],
      result: null,
    });
    const hint = featureKd.presets[0].narrative[3];
    expect(captionText(hint, facts(0.88, 0.9))).toMatch(/adds 2\.0 points to logit KD/);
    expect(captionText(hint, facts(0.88, 0.87))).toMatch(/costs 1\.0 point against logit KD/);
    expect(captionText(hint, facts(0.88, 0.883))).toMatch(/is level with logit KD/);
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
    expect(refused({ ...SMALL, hintWeight: -1 })).toMatch(/hintWeight/);
    expect(refused({ ...SMALL, relationalWeight: 1e9 })).toMatch(/relationalWeight/);
    expect(refused({ ...SMALL, hintWeight: 'lots' })).toMatch(/hintWeight/);
    expect(refused({ ...SMALL, student: { ...SMALL.student, model: { type: 'linear' } } })).toMatch(
      /student\.model\.type: feature distillation reads the student's last hidden layer: it must be an MLP, not linear/,
    );
    expect(refused({ ...SMALL, teacher: { ...SMALL.teacher, model: { type: 'cnn' } } })).toMatch(/teacher\.model\.type: .*must be an MLP, not cnn/);
    expect(refused({ ...SMALL, data: { ...SMALL.data, labelledSize: 2500 } })).toMatch(/data\.labelledSize: must be at most trainSize \(2000\)/);
    expect(refused({ ...SMALL, data: { ...SMALL.data, dataset: 'custom' } })).toMatch(/custom/);
    expect(refused({ ...SMALL, teacher: { ...SMALL.teacher, model: { type: 'mlp', width: 1e6, depth: 1 } } })).toMatch(/teacher\.model\.width/);
    expect(refused({ ...SMALL, temperature: Number.NaN })).toMatch(/temperature/);
  });
});
