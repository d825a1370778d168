/** Hard versus easy supervision on a reduced preset: the effects' direction, the figures, the refusals. */
import { beforeAll, describe, expect, it } from 'vitest';
import { finishedCaptions, reduced, run } from '../../../node/test-support';
import { pct } from '../narration';
import { startNodeBackend } from '../../../node/node-backend';
import { safeParseConfig } from '../../config/read';
import { tf } from '../../tf';

const SMALL = reduced('hard-vs-easy', {
  data: { trainSize: 1000, testSize: 1000 },
  errorRates: [0.9, 0.5],
  errorKinds: ['systematic', 'random'],
});

describe('hard-vs-easy (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('noisy hard labels beat clean easy ones unless their errors are systematic; the easy labels rescue the noisiest', async () => {
    const before = tf.memory().numTensors;
    const result = await run(SMALL);
    expect(tf.memory().numTensors).toBe(before);
    // Kinds in the study's order, rates ascending, each noisy student followed by its combination.
    expect(Object.keys(result.stages)).toEqual([
      'clean',
      'easy',
      'random-0.5',
      'random-0.5+easy',
      'random-0.9',
      'random-0.9+easy',
      'systematic-0.5',
      'systematic-0.5+easy',
      'systematic-0.9',
      'systematic-0.9+easy',
    ]);
    const acc = (name: string) => result.stages[name].accuracy;
    console.log(
      `hard-vs-easy (reduced): ${Object.keys(result.stages)
        .map((n) => `${n} ${(100 * acc(n)).toFixed(1)}%`)
        .join(', ')}`,
    );
    expect(acc('clean')).toBeGreaterThan(acc('random-0.5'));
    // Half the labels wrong at random still teaches the full task better than clean coarse labels.
    expect(acc('random-0.5')).toBeGreaterThan(acc('easy') + 0.15);
    // The kind of error matters: the same rate, systematic, teaches far less.
    expect(acc('random-0.5')).toBeGreaterThan(acc('systematic-0.5') + 0.15);
    // 90% wrong labels teach little alone; the clean coarse labels added bring back much of it.
    expect(acc('random-0.9+easy')).toBeGreaterThan(acc('random-0.9') + 0.15);
    expect(acc('systematic-0.9+easy')).toBeGreaterThan(acc('systematic-0.9') + 0.05);
    // The easy labels alone cannot tell the classes of a group apart: at most about half of the pairs' digits.
    expect(acc('easy')).toBeLessThan(0.6);

    const chart = result.charts.find((c) => c.info.id === 'supervision')!;
    expect(chart.points.random.map((p) => [p.x, p.y])).toEqual([
      [0.5, acc('random-0.5')],
      [0.9, acc('random-0.9')],
    ]);
    expect(chart.points.easy.map((p) => p.y)).toEqual([acc('easy'), acc('easy')]);
    const captions = finishedCaptions('hard-vs-easy', result);
    captions.forEach((text) => expect(text).not.toContain('…'));
    expect(captions[0]).toContain(`it reaches ${pct(acc('clean'))}`);
    expect(captions[1]).toContain(`that gives ${pct(acc('easy'))}`);
    expect(captions[2]).toContain(`the student still reaches ${pct(acc('random-0.5'))}`);
    expect(captions[2]).toContain('more than the clean easy labels');
    // Kind against rate with rates 0.5 and 0.9: random at 0.9 against systematic at 0.5.
    expect(captions[4]).toContain(
      `90% random errors teach ${pct(acc('random-0.9'))}, 50% systematic errors ${pct(acc('systematic-0.5'))}: here the rate mattered more`,
    );
    const helped = ['random-0.5', 'random-0.9', 'systematic-0.5', 'systematic-0.9'].filter((n) => acc(`${n}+easy`) - acc(n) > 0.005).length;
    expect(captions[5]).toContain(`It helps in ${helped} of 4 settings`);
    const combined = result.charts.find((c) => c.info.id === 'combined')!;
    expect(combined.points.combined.map((p) => p.label)).toEqual(['50% random', '90% random', '50% systematic', '90% systematic']);
  }, 180_000);

  it('refuses hostile settings, naming the field', () => {
    const problems = (overrides: Record<string, unknown>) => {
      const parsed = safeParseConfig(reduced('hard-vs-easy', overrides));
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems({ groups: 10 })).toEqual(['groups: the easy task needs fewer groups than the 10 classes of MNIST digits: at most 9, got 10']);
    expect(problems({ errorRates: [1.5] })).toEqual([expect.stringMatching(/^errorRates\.0: must be at most 1/)]);
    expect(problems({ errorRates: [] })).toEqual([expect.stringMatching(/^errorRates: /)]);
    expect(problems({ errorKinds: ['random', 'random'] })).toEqual(['errorKinds: names a kind of error twice']);
    expect(problems({ errorKinds: ['adversarial'] })).toEqual([expect.stringMatching(/^errorKinds\.0: must be one of/)]);
    expect(problems({ easyWeight: 1 })).toEqual([expect.stringMatching(/^easyWeight: must be at most 0\.99/)]);
    expect(problems({ data: { trainSize: 10001 } })).toEqual([expect.stringMatching(/^data\.trainSize|^data: /)]);
  });
});
