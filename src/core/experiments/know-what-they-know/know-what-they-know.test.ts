/**
 * Do models know what they know, on a reduced setting: the P(IK) head tells the student's right answers from its
 * wrong ones better than a coin and is calibrated on digits, but is far too sure on clothes, where no answer is
 * right; its AUROC is drawn as it trains; hostile settings are refused naming the field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../../node/node-assets';
import { startNodeBackend } from '../../../node/node-backend';
import { parseConfig } from '../../config/read';
import type { ExperimentConfigInput } from '../../config/schema';
import { presetConfig } from '../../presets';
import { tf } from '../../tf';
import type { ChartData } from '../charts';
import { runExperiment } from '../registry';
import { captionText, factsOfConfig, fixed, pct, type RunFacts } from '../narration';
import { knowWhatTheyKnow, type KnowWhatTheyKnowConfig } from './spec';

const preset = presetConfig('know-what-they-know') as KnowWhatTheyKnowConfig;
/** The preset on 1,000 training and 1,500 held-out images, 500 test images of each kind. */
const SMALL = {
  ...preset,
  data: { ...preset.data, trainSize: 1000, calibrationSize: 1500, testSize: 500, oodSize: 500 },
  student: { ...preset.student, train: { ...preset.student.train, epochs: 8 } },
  pik: { ...preset.pik, train: { ...preset.pik.train, epochs: 15, evalEvery: 60 } },
} satisfies ExperimentConfigInput;

const summary = (charts: ChartData[], series: string, label: string) => {
  const chart = charts.find((c) => c.info.id === 'pik-summary');
  const point = chart?.points[series].find((p) => p.label === label);
  if (!point) throw new Error(`no ${series} for ${label}`);
  return point.y;
};

describe('know-what-they-know (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('P(IK) separates right from wrong answers and is calibrated in distribution, and is far too sure out of it', async () => {
    const before = tf.memory().numTensors;
    const result = await runExperiment(SMALL, { assets: nodeAssetSource() });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(result.stages)).toEqual(['student', 'pik']);
    const student = result.stages.student;
    expect(student.accuracy).toBeGreaterThan(0.75);
    expect(student.accuracy).toBeLessThan(0.97);

    const aurocIn = summary(result.charts, 'auroc-in', 'P(IK)');
    const eceIn = summary(result.charts, 'ece-in', 'P(IK)');
    const eceOut = summary(result.charts, 'ece-out', 'P(IK)');
    console.log(
      `know-what-they-know (reduced): student ${(100 * student.accuracy).toFixed(1)}%, P(IK) AUROC in ${aurocIn.toFixed(3)}, out ${summary(result.charts, 'auroc-out', 'P(IK)').toFixed(3)}; ECE in ${eceIn.toFixed(3)}, out ${eceOut.toFixed(3)}`,
    );
    expect(aurocIn).toBeGreaterThan(0.6);
    expect(eceIn).toBeLessThan(0.1);
    expect(eceOut).toBeGreaterThan(eceIn + 0.3);
    // Out of distribution every answer counts as wrong, so the calibration error is P(IK)'s mean there.
    const reliability = result.charts.find((c) => c.info.id === 'reliability')!;
    const outBins = reliability.points['pik-out'];
    expect(outBins.every((p) => p.y === 0)).toBe(true);
    const counted = outBins.reduce((n, p) => n + Number(p.label!.split(' ')[0]), 0);
    expect(counted).toBe(500);
    expect(outBins.reduce((sum, p) => sum + p.x * Number(p.label!.split(' ')[0]), 0) / 500).toBeCloseTo(eceOut, 6);

    // The AUROC curve has a point per measurement of the head, ending at the summary's figure.
    const curve = result.charts.find((c) => c.info.id === 'pik-auroc')!;
    expect(curve.points.in.map((p) => p.x)).toEqual(result.stages.pik.history.map((h) => h.step));
    expect(curve.points.in.at(-1)!.y).toBeCloseTo(aurocIn, 10);
    // The head's accuracy is at telling right answers from wrong ones: its test labels are the student's rightness.
    const right = Array.from(student.testPredictions).filter((p, i) => p === result.predictions.test.label[i]).length;
    expect(result.stages.pik.testPredictions.length).toBe(500);
    expect(right / 500).toBeCloseTo(student.accuracy, 6);

    // The captions quote this run's numbers once they are measured.
    const captions = knowWhatTheyKnow.presets[0].narrative;
    const done: RunFacts = { ...factsOfConfig(result.config), stages: result.stages, result };
    expect(captionText(captions[0], done)).toContain(pct(student.accuracy));
    expect(captionText(captions[2], done)).toContain(fixed(aurocIn));
    expect(captionText(captions[3], done)).toContain(fixed(eceOut, 3));
    expect(captionText(captions[3], done)).toMatch(/overconfident abroad/);
    const fresh: RunFacts = factsOfConfig(result.config);
    // Before anything is measured: no percentage, and the summaries wait for the result.
    for (const caption of captions) expect(captionText(caption, fresh)).not.toMatch(/\d%/);
    expect(captionText(captions[2], fresh)).not.toMatch(/AUROC \d/);
    expect(captionText(captions[3], fresh)).not.toMatch(/ECE/);
  }, 120_000);

  it('claims overconfidence out of distribution only when the numbers show it', () => {
    const facts = (eceIn: number, eceOut: number): RunFacts => {
      const bar = (y: number, label: string) => ({ x: 0, y, label });
      const points = {
        'ece-in': [bar(eceIn, 'P(IK)'), bar(0.03, 'softmax confidence')],
        'ece-out': [bar(eceOut, 'P(IK)'), bar(0.7, 'softmax confidence')],
      };
      return { ...factsOfConfig(parseConfig(SMALL)), result: { charts: [{ info: { id: 'pik-summary' }, points }] } as unknown as RunFacts['result'] };
    };
    const calibration = knowWhatTheyKnow.presets[0].narrative[3];
    expect(captionText(calibration, facts(0.03, 0.7))).toMatch(/overconfident abroad/);
    expect(captionText(calibration, facts(0.03, 0.04))).toMatch(/as well calibrated out of distribution/);
    expect(captionText(calibration, facts(0.1, 0.03))).toMatch(/no worse calibrated out of distribution/);
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
    expect(refused({ ...SMALL, data: { ...SMALL.data, oodDataset: 'mnist' } })).toMatch(/data\.oodDataset: must differ from the dataset \(mnist\)/);
    expect(refused({ ...SMALL, data: { ...SMALL.data, oodDataset: 'wine' } })).toMatch(/data\.oodDataset/);
    expect(refused({ ...SMALL, data: { ...SMALL.data, dataset: 'custom' } })).toMatch(/data\.dataset/);
    expect(refused({ ...SMALL, data: { ...SMALL.data, oodSize: 5000 } })).toMatch(/data\.oodSize/);
    expect(refused({ ...SMALL, data: { ...SMALL.data, trainSize: 9000, calibrationSize: 9000 } })).toMatch(
      /trainSize \+ calibrationSize \+ validationSize = 18000 exceeds/,
    );
    expect(refused({ ...SMALL, student: { ...SMALL.student, model: { type: 'linear' } } })).toMatch(
      /student\.model\.type: the P\(IK\) head reads the classifier's last hidden layer: it must be an MLP, not linear/,
    );
    expect(refused({ ...SMALL, pik: { ...SMALL.pik, model: { type: 'cnn' } } })).toMatch(/pik\.model/);
    expect(refused({ ...SMALL, pik: { ...SMALL.pik, train: { ...SMALL.pik.train, learningRate: Infinity } } })).toMatch(/pik\.train\.learningRate/);
  });
});
