/**
 * Compatible model updates on a reduced setting: the distillation term from the old model cuts negative flips;
 * with lambda 0 the compatible update is the new model alone, bit for bit; hostile settings are refused by name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../../node/node-backend';
import { reduced, run } from '../../../node/test-support';
import { safeParseConfig } from '../../config/read';
import { accuracy } from '../../metrics';
import { tf } from '../../tf';
import type { ExperimentResult } from '../contract';
import { captionText } from '../narration';
import { findPreset } from '../../presets';
import { flipRates } from './spec';

/** model-update made small: 400 old examples, 2,000 new ones, 1,000 test digits. */
const SMALL = reduced('model-update', {
  data: { oldSize: 400, newSize: 2000, testSize: 1000 },
  old: { train: { epochs: 6, evalEvery: 20 } },
  new: { train: { epochs: 4, evalEvery: 20 } },
});

const flipsOf = (result: ExperimentResult, stage: string) =>
  flipRates(result.predictions.test.label, result.stages.old.testPredictions, result.stages[stage].testPredictions);

describe('model-update (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('the compatible update has fewer negative flips than the new model alone, at about its accuracy', async () => {
    const tensors = tf.memory().numTensors;
    const result = await run(SMALL);
    expect(tf.memory().numTensors).toBe(tensors);
    const { old, new: alone, compatible } = result.stages;
    expect(alone.accuracy).toBeGreaterThan(old.accuracy + 0.03);
    const aloneFlips = flipsOf(result, 'new');
    const compatibleFlips = flipsOf(result, 'compatible');
    console.log(
      `model-update (reduced): old ${(100 * old.accuracy).toFixed(1)}%, new alone ${(100 * alone.accuracy).toFixed(1)}% (NFR ${(100 * aloneFlips.negative).toFixed(2)}%), compatible ${(100 * compatible.accuracy).toFixed(1)}% (NFR ${(100 * compatibleFlips.negative).toFixed(2)}%)`,
    );
    expect(compatibleFlips.negative).toBeLessThan(aloneFlips.negative);
    expect(Math.abs(compatible.accuracy - alone.accuracy)).toBeLessThan(0.03);
    // Accuracy moves from the old model's by positive minus negative flips.
    expect(alone.accuracy - old.accuracy).toBeCloseTo(aloneFlips.positive - aloneFlips.negative, 6);

    // The matrix's 'regresses' are the negative flips, for either new model.
    const n = result.predictions.test.label.length;
    expect(result.mistakes.test.regresses / n).toBeCloseTo(compatibleFlips.negative, 10);
    expect(result.students?.map((s) => [s.stage, s.mistakes.regresses / n])).toEqual([
      ['compatible', compatibleFlips.negative],
      ['new', aloneFlips.negative],
    ]);
    expect(accuracy(result.predictions.test.student, result.predictions.test.label)).toBeCloseTo(compatible.accuracy, 6);

    // The live chart: one point per measurement of each new model, ending at the final flip rates; the bars.
    const line = result.charts.find((c) => c.info.id === 'negative-flips')!;
    expect(line.points.new.map((p) => p.x)).toEqual(alone.history.map((h) => h.step));
    expect(line.points.compatible.map((p) => p.x)).toEqual(compatible.history.map((h) => h.step));
    expect(line.points.new.at(-1)!.y).toBeCloseTo(aloneFlips.negative, 10);
    expect(line.points.compatible.at(-1)!.y).toBeCloseTo(compatibleFlips.negative, 10);
    const bars = result.charts.find((c) => c.info.id === 'flips')!;
    expect(bars.points.negative.map((p) => [p.label, p.y])).toEqual([
      ['New model alone', aloneFlips.negative],
      ['Compatible update', compatibleFlips.negative],
    ]);

    // The last caption quotes this run's numbers, and says which way the flips went.
    const captions = findPreset('model-update').narrative;
    const text = captionText(captions[3], {
      config: result.config,
      stages: result.stages,
      result,
      charts: result.charts,
      testLabels: result.predictions.test.label,
      models: {},
    });
    expect(text).toContain(`${(100 * aloneFlips.negative).toFixed(1)}% alone, ${(100 * compatibleFlips.negative).toFixed(1)}% with the compatible update`);
    expect(text).toMatch(/^Negative flips fall/);
  }, 120_000);

  it('with lambda 0 the compatible update is the new model alone: same start, same batches, same numbers', async () => {
    const result = await run(
      reduced('model-update', {
        data: { oldSize: 200, newSize: 400, testSize: 300 },
        old: { train: { epochs: 2 } },
        new: { train: { epochs: 2, evalEvery: 5 } },
        lambda: 0,
      }),
    );
    expect(result.stages.compatible.testPredictions).toEqual(result.stages.new.testPredictions);
    expect(result.stages.compatible.history.map((h) => h.loss)).toEqual(result.stages.new.history.map((h) => h.loss));
  }, 60_000);

  it('refuses hostile settings with a message that names the field', () => {
    const problems = (overrides: Record<string, unknown>) => {
      const parsed = safeParseConfig(reduced('model-update', overrides));
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems({ lambda: -1 })).toEqual([expect.stringMatching(/^lambda: .*at least 0/)]);
    expect(problems({ lambda: 101 })).toEqual([expect.stringMatching(/^lambda: .*at most 100/)]);
    expect(problems({ lambda: Infinity })).toEqual(['lambda: expected number (got Infinity)']);
    expect(problems({ lambda: 'much' })).toEqual([expect.stringMatching(/^lambda: /)]);
    expect(problems({ data: { oldSize: 0 } })).toEqual([expect.stringMatching(/^data\.oldSize: .*at least 2/)]);
    expect(problems({ data: { newSize: 9500 } })).toEqual([
      'data: oldSize + newSize + validationSize = 10500 exceeds the 10000 training examples of MNIST digits',
    ]);
    // Memory: a 64-filter CNN on batches of 1,024 digits is over the activation limit, named at its batch size.
    expect(problems({ new: { model: { type: 'cnn', filters: 64 }, train: { batchSize: 1024 } } })).toEqual([
      expect.stringMatching(/^new\.train\.batchSize: a batch of 1024 on this model needs about \d+ MB .* over the limit of 256 MB/),
    ]);
  });
});
