/** The ensemble of weak supervisors on a reduced w2s-ensemble: its effects' direction, its figures, its refusals. */
import { beforeAll, describe, expect, it } from 'vitest';
import { finishedCaptions, reduced, run } from '../../../node/test-support';
import { mistakeBreakdown } from '../../metrics';
import { pct } from '../narration';
import { startNodeBackend } from '../../../node/node-backend';
import { safeParseConfig } from '../../config/read';
import { tf } from '../../tf';
import type { ChartData } from '../charts';
import { sharedErrorCopies } from './shared-errors';

const SMALL = reduced('w2s-ensemble', {
  data: { transferSize: 2000, validationSize: 200, testSize: 1000 },
  student: { train: { epochs: 12 } },
});

const points = (charts: ChartData[], id: string, series: string) => charts.find((c) => c.info.id === id)!.points[series];

describe('ensemble (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('averages the supervisors into better labels; the student copies the mistakes they share far more than the others', async () => {
    const before = tf.memory().numTensors;
    const result = await run(SMALL);
    expect(tf.memory().numTensors).toBe(before);
    const members = ['member-1', 'member-2', 'member-3', 'member-4', 'member-5'].map((name) => result.stages[name]);
    const { ensemble, control, ceiling, student } = result.stages;
    const controlStudent = result.stages['control-student'];
    expect(Object.keys(result.stages)).toEqual([...members.map((m) => m.name), 'ensemble', 'control', 'ceiling', 'student', 'control-student']);

    // The effects: the average beats its members on average, and shared mistakes are the ones still copied.
    const meanMember = members.reduce((sum, m) => sum + m.accuracy, 0) / members.length;
    expect(ensemble.accuracy).toBeGreaterThan(meanMember + 0.01);
    const labels = result.predictions.test.label;
    const copies = sharedErrorCopies(
      labels,
      members.map((m) => m.testPredictions),
      student.testPredictions,
    );
    expect(copies.shared.rate!).toBeGreaterThan(copies.unshared.rate! + 0.1);
    console.log(
      `ensemble (reduced): members ${members.map((m) => (100 * m.accuracy).toFixed(1)).join(' / ')}%, ensemble ${(100 * ensemble.accuracy).toFixed(1)}%, control ${(100 * control.accuracy).toFixed(1)}%; students ${(100 * student.accuracy).toFixed(1)}% / ${(100 * controlStudent.accuracy).toFixed(1)}%; copied shared ${(100 * copies.shared.rate!).toFixed(1)}%, unshared ${(100 * copies.unshared.rate!).toFixed(1)}%`,
    );

    // The reported figures are the ones the stages give.
    expect(result.roles).toEqual({ supervisor: 'ensemble', reference: 'ceiling', student: 'student' });
    expect(result.pgr.final).toBeCloseTo((student.accuracy - ensemble.accuracy) / (ceiling.accuracy - ensemble.accuracy), 10);
    expect(points(result.charts, 'supervisors', 'accuracy').map((p) => p.y)).toEqual([...members.map((m) => m.accuracy), ensemble.accuracy, control.accuracy]);
    const pgr = points(result.charts, 'students', 'pgr');
    expect(pgr[1].y).toBeCloseTo((controlStudent.accuracy - control.accuracy) / (ceiling.accuracy - control.accuracy), 10);
    expect(points(result.charts, 'shared-errors', 'student').map((p) => p.y)).toEqual([copies.shared.rate, copies.unshared.rate]);
    expect(points(result.charts, 'shared-errors', 'student')[0].label).toBe(`shared (${copies.shared.count})`);
    // The ensemble's labels are the average of the members': its test accuracy is a measurement, not a training run.
    expect(ensemble.totalSteps).toBe(0);
    // The captions quote this run's figures, and claim only what they show.
    const captions = finishedCaptions('w2s-ensemble', result);
    captions.forEach((text) => expect(text).not.toContain('…'));
    expect(captions[1]).toContain(`Averaging their probabilities gives ${pct(ensemble.accuracy)}`);
    expect(captions[2]).toContain(pct(control.accuracy));
    expect(captions[3]).toContain(`On the ensemble's labels: ${pct(student.accuracy)}; on the control's: ${pct(controlStudent.accuracy)}`);
    const copyRate = (s: typeof student, t: typeof student) => mistakeBreakdown(labels, s.testPredictions, t.testPredictions).copyRate!;
    const [ours, theirs] = [copyRate(ensemble, student), copyRate(control, controlStudent)];
    expect(captions[4]).toContain(`copies ${pct(ours)} of the ensemble's test mistakes, the control's student ${pct(theirs)}`);
    expect(captions[4]).toContain(
      theirs - ours > 0.005 ? 'still fewer of them get learned' : theirs - ours < -0.005 ? 'did not make its mistakes harder' : 'about the same',
    );
    expect(captions[5]).toContain(
      `on the ${copies.shared.count} test digits most supervisors get wrong, the ensemble's student gives one of their wrong answers ${pct(copies.shared.rate)}`,
    );
    // Each member sees its own pixels: no two members agree on every test digit.
    expect(new Set(members.map((m) => m.testPredictions.join(','))).size).toBe(5);
  }, 120_000);

  it('runs with bootstrapped members too, each on its own resample of split A', async () => {
    const result = await run(
      reduced('w2s-ensemble', {
        data: { transferSize: 300, validationSize: 0, testSize: 300 },
        members: { count: 3, diversity: 'bootstrap' },
        supervisor: { train: { epochs: 5 } },
        student: { train: { epochs: 1 } },
      }),
    );
    const members = ['member-1', 'member-2', 'member-3'].map((name) => result.stages[name]);
    expect(new Set(members.map((m) => m.testPredictions.join(','))).size).toBe(3);
    expect(result.stages.ensemble.accuracy).toBeGreaterThan(0.3);
  }, 60_000);

  it('refuses hostile settings, naming the field and its range', () => {
    const problems = (overrides: Record<string, unknown>) => {
      const parsed = safeParseConfig(reduced('w2s-ensemble', overrides));
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems({ members: { count: 8 } })).toEqual([expect.stringMatching(/^members\.count: .*7/)]);
    expect(problems({ members: { count: 1.5 } })).toEqual([expect.stringMatching(/^members\.count: /)]);
    expect(problems({ members: { viewShare: 0 } })).toEqual([expect.stringMatching(/^members\.viewShare: .*0\.05/)]);
    expect(problems({ members: { diversity: 'debate' } })).toEqual([expect.stringMatching(/^members\.diversity: /)]);
    expect(problems({ data: { controlSize: 9000 } })).toEqual([expect.stringMatching(/^data: .*controlSize = 14600 exceeds the 10000 training examples/)]);
    expect(problems({ student: { loss: { type: 'kd' } } })).toEqual([
      expect.stringMatching(/^student\.loss\.type: ensemble takes one of xent, logconf, product/),
    ]);
    expect(problems({ student: { model: { type: 'cnn', filters: 64, denseWidth: 0 }, train: { batchSize: 1024 } } })).toEqual([
      expect.stringMatching(/^student\.train\.batchSize: .*MB/),
    ]);
  });
});
