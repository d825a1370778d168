/**
 * Progressive distillation on a reduced setting: distillation beats training alone, accuracy falls with the cost
 * of a forward pass, and the chain's students are each taught by the one before; hostile settings refused by name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../../node/node-backend';
import { reduced, run } from '../../../node/test-support';
import { safeParseConfig } from '../../config/read';
import { findPreset } from '../../presets';
import { tf } from '../../tf';
import type { ExperimentEvent } from '../contract';
import { captionText } from '../narration';

const link = (width: number) => ({
  model: { type: 'mlp', width, depth: 1, activation: 'relu', dropout: 0 },
  train: { optimizer: 'adam', learningRate: 0.003, batchSize: 64, epochs: 3, evalEvery: 20 },
});

/** progressive-kd made small: 1,500 training digits, 300 labelled, a 784-128 teacher and students of 64, 16 and 4 units. */
const SMALL = reduced('progressive-kd', {
  data: { trainSize: 1500, labelledSize: 300, testSize: 500 },
  teacher: { model: { width: 128 }, train: { epochs: 4 } },
  chain: [link(64), link(16), link(4)],
});

describe('progressive-kd (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('distilled students beat the same students alone and lose accuracy as they shrink; each chain student learns from the one before', async () => {
    const tensors = tf.memory().numTensors;
    const events: ExperimentEvent[] = [];
    const result = await run(SMALL, (e) => events.push(e));
    expect(tf.memory().numTensors).toBe(tensors);
    const names = ['teacher', 'alone-1', 'direct-1', 'alone-2', 'direct-2', 'chain-2', 'alone-3', 'direct-3', 'chain-3'];
    expect(Object.keys(result.stages)).toEqual(names);
    const start = events.find((e) => e.type === 'experiment-start');
    expect(start?.type === 'experiment-start' && start.stages.map((s) => s.name)).toEqual(names);
    const acc = (name: string) => result.stages[name].accuracy;
    console.log(`progressive-kd (reduced): ${names.map((n) => `${n} ${(100 * acc(n)).toFixed(1)}%`).join(', ')}`);
    expect(acc('direct-1')).toBeGreaterThan(acc('alone-1') + 0.02);
    expect(acc('direct-2')).toBeGreaterThan(acc('alone-2'));
    expect(acc('direct-1')).toBeGreaterThan(acc('direct-3'));
    expect(acc('chain-3')).toBeGreaterThan(0.3);
    // Same student, same start, same batches: only who teaches differs, and the chain's student sides with its own teacher.
    const agreement = (a: string, b: string) => {
      const [p, q] = [result.stages[a].testPredictions, result.stages[b].testPredictions];
      return p.filter((c, i) => c === q[i]).length / p.length;
    };
    expect(result.stages['chain-2'].testPredictions).not.toEqual(result.stages['direct-2'].testPredictions);
    expect(agreement('chain-2', 'direct-1')).toBeGreaterThan(agreement('direct-2', 'direct-1'));
    // The gap closed is the largest student's.
    expect(result.pgr.final).toBeCloseTo((acc('direct-1') - acc('alone-1')) / (acc('teacher') - acc('alone-1')), 6);

    // Accuracy against forward FLOPs: 2 x (784 w + 10 w) for a 784-w-10 student; the chain starts at the direct student.
    const cost = result.charts.find((c) => c.info.id === 'accuracy-cost')!;
    expect(cost.info.xScale).toBe('log');
    expect(cost.points.direct.map((p) => p.x)).toEqual([64, 16, 4].map((w) => 2 * (784 * w + w * 10)));
    expect(cost.points.chain.map((p) => p.y)).toEqual([acc('direct-1'), acc('chain-2'), acc('chain-3')]);
    expect(cost.points.teacher).toEqual([{ x: 2 * (784 * 128 + 128 * 10), y: acc('teacher') }]);
    const bars = result.charts.find((c) => c.info.id === 'links')!;
    expect(bars.points.alone.map((p) => p.label)).toEqual(['64 units', '16 units', '4 units']);
    expect(bars.points.chain.map((p) => p.label)).toEqual(['16 units', '4 units']);

    const captions = findPreset('progressive-kd').narrative;
    const text = captionText(captions[3], {
      config: result.config,
      stages: result.stages,
      result,
      charts: result.charts,
      testLabels: result.predictions.test.label,
      models: {},
    });
    expect(text).toContain(`reaches ${(100 * acc('chain-3')).toFixed(1)}%`);
    expect(text).toContain(`teacher itself (${(100 * acc('direct-3')).toFixed(1)}%)`);
  }, 180_000);

  it('refuses hostile settings with a message that names the field', () => {
    const problems = (overrides: Record<string, unknown>) => {
      const parsed = safeParseConfig(reduced('progressive-kd', overrides));
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems({ chain: [] })).toEqual([expect.stringMatching(/^chain: /)]);
    expect(problems({ chain: Array.from({ length: 6 }, () => link(8)) })).toEqual([expect.stringMatching(/^chain: /)]);
    expect(problems({ chain: [link(8), { model: { type: 'mlp', width: 0 } }] })).toEqual([expect.stringMatching(/^chain\.1\.model\.width: .*at least 1/)]);
    expect(problems({ data: { labelledSize: 4000 } })).toEqual(['data.labelledSize: must be at most trainSize (3000)']);
    expect(problems({ temperature: 0 })).toEqual([expect.stringMatching(/^temperature: .*at least 0\.1/)]);
    expect(problems({ alpha: 2 })).toEqual([expect.stringMatching(/^alpha: .*at most 1/)]);
    expect(problems({ chain: [link(8), { model: { type: 'cnn', filters: 64 }, train: { batchSize: 1024 } }] })).toEqual([
      expect.stringMatching(/^chain\.1\.train\.batchSize: .*over the limit of 256 MB/),
    ]);
  });
});
