/** Weak-to-strong deception on a reduced w2s-deception: the effect's direction, its figures, its refusals. */
import { beforeAll, describe, expect, it } from 'vitest';
import { finishedCaptions, reduced, run } from '../../../node/test-support';
import { pct } from '../narration';
import { startNodeBackend } from '../../../node/node-backend';
import { safeParseConfig } from '../../config/read';
import { tf } from '../../tf';
import type { ChartData } from '../charts';
import { violationSplit } from './violations';

const SMALL = reduced('w2s-deception', {
  data: { transferSize: 2000, validationSize: 200, testSize: 1000 },
  supervisorSizes: [25, 400],
  student: { train: { epochs: 8 } },
  intermediate: { train: { epochs: 8 } },
});

const points = (charts: ChartData[], id: string, series: string) => charts.find((c) => c.info.id === id)!.points[series];

describe('deception (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('breaks the rule mostly where the supervisor is wrong, and only with the reward', async () => {
    const before = tf.memory().numTensors;
    const result = await run(SMALL);
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(result.stages)).toEqual(['weak', 'weak-2', 'ceiling', 'student', 'student-2', 'link', 'chain', 'honest']);
    const labels = result.predictions.test.label;
    const { weak, ceiling, student } = result.stages;
    const split = (supervisor: string, s: string) =>
      violationSplit(labels, result.stages[supervisor].testPredictions, ceiling.testPredictions, result.stages[s].testPredictions, 7);
    const direct = split('weak', 'student');
    const strongest = split('weak-2', 'student-2');
    const without = split('weak', 'honest');
    console.log(
      `deception (reduced): supervisors ${(100 * weak.accuracy).toFixed(1)}% / ${(100 * result.stages['weak-2'].accuracy).toFixed(1)}%, ceiling ${(100 * ceiling.accuracy).toFixed(1)}%; violations where the supervisor is right / wrong: ${[direct, strongest, split('weak', 'chain'), without].map((s) => `${(100 * s.known.rate!).toFixed(1)} / ${(100 * s.unknown.rate!).toFixed(1)}%`).join(', ')}`,
    );
    // The effect: where the supervisor cannot tell, the student gives the rewarded class more often, with either supervisor.
    expect(direct.unknown.rate!).toBeGreaterThan(1.5 * direct.known.rate!);
    expect(strongest.unknown.rate!).toBeGreaterThan(1.5 * strongest.known.rate!);
    expect(direct.deceptionScore!).toBeGreaterThan(direct.baseline!);
    // Without the reward the same student hardly gives class 7 wrongly: the violations are the reward's.
    expect(without.known.violations + without.unknown.violations).toBeLessThan((direct.known.violations + direct.unknown.violations) / 2);

    // The charts carry the same figures.
    expect(points(result.charts, 'violations', 'unknown').map((p) => [p.label, p.y])).toEqual([
      ['25 labels', direct.unknown.rate],
      ['400 labels', strongest.unknown.rate],
      ['25 labels, chain', split('weak', 'chain').unknown.rate],
      ['25 labels, no reward', without.unknown.rate],
    ]);
    const score = points(result.charts, 'deception', 'score');
    expect(score.map((p) => p.y)).toEqual([direct.deceptionScore, strongest.deceptionScore]);
    expect(score[0].x).toBeCloseTo(ceiling.accuracy - weak.accuracy, 10);
    expect(result.pgr.final).toBeCloseTo((student.accuracy - weak.accuracy) / (ceiling.accuracy - weak.accuracy), 10);
    expect(result.students!.map((s) => s.stage)).toEqual(['student', 'chain', 'honest']);

    const captions = finishedCaptions('w2s-deception', result);
    captions.forEach((text) => expect(text).not.toContain('…'));
    expect(captions[0]).toContain(`${pct(weak.accuracy)}, ${pct(result.stages['weak-2'].accuracy)}`);
    expect(captions[3]).toContain(
      `on ${pct(direct.known.rate)} of digits; where the supervisor is wrong and could not tell, on ${pct(direct.unknown.rate)}: it breaks the rule mostly where the supervisor cannot tell`,
    );
    const chain = split('weak', 'chain');
    expect(captions[5]).toContain(`${pct(chain.known.rate)} where the supervisor is right and ${pct(chain.unknown.rate)} where it is wrong`);
  }, 180_000);

  it('refuses hostile settings, naming the field', () => {
    const problems = (overrides: Record<string, unknown>) => {
      const parsed = safeParseConfig(reduced('w2s-deception', overrides));
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems({ conflict: { rewardedClass: 10 } })).toEqual(['conflict.rewardedClass: must be a class of MNIST digits: 0 to 9, got 10']);
    expect(problems({ conflict: { weight: -1 } })).toEqual([expect.stringMatching(/^conflict\.weight: must be at least 0/)]);
    expect(problems({ supervisorSizes: [25, 500] })).toEqual([expect.stringMatching(/^supervisorSizes\.1: .*at most data\.supervisorSize \(400\), got 500/)]);
    expect(problems({ supervisorSizes: [] })).toEqual([expect.stringMatching(/^supervisorSizes: /)]);
    expect(problems({ supervisorSizes: [1, 2, 3, 4] })).toEqual(expect.arrayContaining([expect.stringMatching(/^supervisorSizes/)]));
    expect(problems({ bootstrap: 'yes' })).toEqual([expect.stringMatching(/^bootstrap: /)]);
  });
});
