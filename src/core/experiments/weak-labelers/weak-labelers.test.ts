/** Weak labelling functions on a reduced preset: the effects' direction, the figures, the captions, the refusals. */
import { beforeAll, describe, expect, it } from 'vitest';
import { finishedCaptions, reduced, run } from '../../../node/test-support';
import { startNodeBackend } from '../../../node/node-backend';
import { accuracy } from '../../metrics';
import { safeParseConfig } from '../../config/read';
import { tf } from '../../tf';
import { pct } from '../narration';
import { majorityVote } from './label-models';

/** The preset's ten functions (ten votes: shares that float32 tenths would push past 1) on 1,000 test digits. */
const SMALL = reduced('weak-labelers', { data: { unlabelledSize: 1000, testSize: 1000 } });

describe('weak-labelers (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('weighting the functions beats their plain vote; the probe on the same few labels beats both', async () => {
    const before = tf.memory().numTensors;
    const result = await run(SMALL);
    expect(tf.memory().numTensors).toBe(before);
    const functions = Array.from({ length: 10 }, (_, i) => `lf-${i + 1}`);
    expect(Object.keys(result.stages)).toEqual([...functions, 'vote', 'dawid-skene', 'weighted', 'probe']);
    const acc = (name: string) => result.stages[name].accuracy;
    console.log(
      `weak-labelers (reduced): ${Object.keys(result.stages)
        .map((n) => `${n} ${(100 * acc(n)).toFixed(1)}%`)
        .join(', ')}`,
    );
    // Mixed quality: the widest view is decent, the narrowest near chance.
    expect(acc('lf-1')).toBeGreaterThan(0.55);
    expect(Math.min(...functions.slice(5).map(acc))).toBeLessThan(0.25);
    // The near-chance functions drag the plain vote below the best of them; either weighting does better.
    expect(acc('dawid-skene')).toBeGreaterThan(acc('vote') + 0.05);
    expect(acc('weighted')).toBeGreaterThan(acc('vote') + 0.05);
    expect(acc('probe')).toBeGreaterThan(Math.max(acc('weighted'), acc('dawid-skene')));

    // The vote stage is the plain vote of the functions' test predictions, recomputed here.
    const vote = majorityVote(
      functions.map((f) => result.stages[f].testPredictions),
      10,
    );
    expect(Array.from(result.stages.vote.testPredictions)).toEqual(Array.from(vote.classes));
    expect(acc('vote')).toBeCloseTo(accuracy(vote.classes, result.predictions.test.label), 12);

    const chart = result.charts.find((c) => c.info.id === 'functions')!;
    expect(chart.points.test.map((p) => p.y)).toEqual(functions.map(acc));
    expect(chart.points['dawid-skene']).toHaveLength(10);
    expect(chart.points.labels).toHaveLength(10);
    const methods = result.charts.find((c) => c.info.id === 'methods')!;
    expect(methods.points.accuracy.map((p) => p.y)).toEqual([Math.max(...functions.map(acc)), acc('vote'), acc('dawid-skene'), acc('weighted'), acc('probe')]);

    const captions = finishedCaptions('weak-labelers', result);
    captions.forEach((text) => expect(text).not.toContain('…'));
    expect(captions[1]).toContain(`every function one vote: ${pct(acc('vote'))}`);
    expect(captions[2]).toContain(`${pct(acc('dawid-skene'))}, which beats the plain vote`);
    expect(captions[3]).toContain(`reaches ${pct(acc('weighted'))}, which beats the plain vote`);
    expect(captions[4]).toContain(`reach ${pct(acc('probe'))}, which beats the best label model`);
  }, 180_000);

  it('refuses hostile settings, naming the field', () => {
    const problems = (overrides: Record<string, unknown>) => {
      const parsed = safeParseConfig(reduced('weak-labelers', overrides));
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems({ functions: [0.5] })).toEqual([expect.stringMatching(/^functions: /)]);
    expect(problems({ functions: Array.from({ length: 13 }, () => 0.1) })).toEqual([expect.stringMatching(/^functions: /)]);
    expect(problems({ functions: [0.5, 0] })).toEqual([expect.stringMatching(/^functions\.1: must be at least 0\.001/)]);
    expect(problems({ iterations: 0 })).toEqual([expect.stringMatching(/^iterations: /)]);
    expect(problems({ data: { labelledSize: 1 } })).toEqual([expect.stringMatching(/^data\.labelledSize: /)]);
    expect(problems({ data: { unlabelledSize: 9900 } })).toEqual([
      expect.stringMatching(/^data: .*functionSize \+ unlabelledSize \+ labelledSize \+ validationSize = 10100 exceeds the 10000 training examples/),
    ]);
  });
});
