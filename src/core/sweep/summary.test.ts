/** Summaries over seeds against values computed by hand (shared/METHODS.md section 5: sample sd, n - 1). */
import { describe, expect, it } from 'vitest';
import type { WeakToStrongConfig } from '../experiments/weak-to-strong/spec';
import { presetConfig } from '../presets';
import { spread } from './stats';
import { curveBand, summariseSeeds, type SummarisedResult } from './summary';

const base = presetConfig('w2s-mnist') as WeakToStrongConfig;

function history(points: [number, number][]) {
  return points.map(([step, testAccuracy]) => ({ step, testAccuracy }));
}

/** A weak-to-strong result with the given figures (only what a summary reads). */
function result(
  seed: number,
  figures: { weak: number; ceiling: number; student: number; best: number; pgr: number | null; beat: number | null; copy: number; curve: [number, number][] },
): SummarisedResult {
  const stage = (name: string, label: string, accuracy: number, bestAccuracy: number, curve: [number, number][]) => ({
    name,
    label,
    accuracy,
    bestAccuracy,
    history: history(curve),
  });
  return {
    kind: 'weak-to-strong',
    config: { ...base, seed },
    stages: {
      weak: stage('weak', 'Weak supervisor', figures.weak, figures.weak, [[0, 0.1]]),
      ceiling: stage('ceiling', 'Strong ceiling', figures.ceiling, figures.ceiling, [[0, 0.1]]),
      student: stage('student', 'Student', figures.student, figures.best, figures.curve),
    },
    pgr: {
      definition: '',
      final: figures.pgr,
      best: figures.pgr === null ? null : figures.pgr + 0.1,
      oracleBest: null,
      reason: figures.pgr === null ? 'n/a: the ceiling (60.0%) does not beat the supervisor (61.0%)' : null,
    },
    mistakes: { test: { beatRate: figures.beat, copyRate: figures.copy } },
  };
}

const three = [
  result(1, {
    weak: 0.6,
    ceiling: 0.9,
    student: 0.72,
    best: 0.75,
    pgr: 0.2,
    beat: 0.5,
    copy: 0.3,
    curve: [
      [0, 0.1],
      [10, 0.5],
      [20, 0.7],
    ],
  }),
  result(2, {
    weak: 0.7,
    ceiling: 0.8,
    student: 0.74,
    best: 0.75,
    pgr: 0.4,
    beat: 0.25,
    copy: 0.3,
    curve: [
      [0, 0.1],
      [10, 0.6],
      [20, 0.7],
      [30, 0.8],
    ],
  }),
  result(3, {
    weak: 0.8,
    ceiling: 0.7,
    student: 0.76,
    best: 0.78,
    pgr: null,
    beat: 0.75,
    copy: 0.6,
    curve: [
      [0, 0.1],
      [10, 0.7],
    ],
  }),
];

describe('spread over seeds', () => {
  it('is the mean and the sample standard deviation (n - 1), with n', () => {
    // 0.6, 0.7, 0.8: mean 0.7; squared deviations 0.01 + 0 + 0.01 = 0.02; 0.02 / (3 - 1) = 0.01; sd 0.1
    const s = spread([0.6, 0.7, 0.8]);
    expect(s.n).toBe(3);
    expect(s.mean).toBeCloseTo(0.7, 12);
    expect(s.sd).toBeCloseTo(0.1, 12);
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squares 32, sample variance 32 / 7
    expect(spread([2, 4, 4, 4, 5, 5, 7, 9]).sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it('has no sd for one value and no mean for none; undefined values are kept as null and not counted', () => {
    expect(spread([0.5])).toEqual({ n: 1, mean: 0.5, sd: null, values: [0.5] });
    expect(spread([null, undefined])).toEqual({ n: 0, mean: null, sd: null, values: [null, null] });
    expect(spread([1, null, Number.NaN, 3, 'x'])).toEqual({ n: 2, mean: 2, sd: Math.SQRT2, values: [1, null, null, 3, null] });
  });
});

describe('summariseSeeds', () => {
  const summary = summariseSeeds(three);

  it("gives each stage's final and best accuracy as mean and sample sd", () => {
    expect(summary.seeds).toEqual([1, 2, 3]);
    expect(Object.keys(summary.stages)).toEqual(['weak', 'ceiling', 'student']);
    expect(summary.stages.weak.accuracy.mean).toBeCloseTo(0.7, 12);
    expect(summary.stages.weak.accuracy.sd).toBeCloseTo(0.1, 12);
    expect(summary.stages.ceiling.accuracy.mean).toBeCloseTo(0.8, 12);
    // 0.72, 0.74, 0.76: mean 0.74, sd sqrt((0.0004 + 0 + 0.0004) / 2) = 0.02
    expect(summary.stages.student.accuracy.mean).toBeCloseTo(0.74, 12);
    expect(summary.stages.student.accuracy.sd).toBeCloseTo(0.02, 12);
    // 0.75, 0.75, 0.78: mean 0.76; deviations -0.01, -0.01, 0.02; (0.0001 + 0.0001 + 0.0004) / 2 = 0.0003
    expect(summary.stages.student.bestAccuracy.mean).toBeCloseTo(0.76, 12);
    expect(summary.stages.student.bestAccuracy.sd).toBeCloseTo(Math.sqrt(0.0003), 12);
    expect(summary.stages.student.accuracy.values).toEqual([0.72, 0.74, 0.76]);
    expect(summary.stages.student.label).toBe('Student');
  });

  it('counts and names the seeds whose PGR is undefined, and leaves them out of the mean', () => {
    expect(summary.pgr.name).toBe('PGR');
    // 0.2 and 0.4 (seed 3 undefined): mean 0.3, sd sqrt((0.01 + 0.01) / 1)
    expect(summary.pgr.final.n).toBe(2);
    expect(summary.pgr.final.mean).toBeCloseTo(0.3, 12);
    expect(summary.pgr.final.sd).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(summary.pgr.final.values).toEqual([0.2, 0.4, null]);
    expect(summary.pgr.final.undefinedSeeds).toEqual([{ seed: 3, reason: 'n/a: the ceiling (60.0%) does not beat the supervisor (61.0%)' }]);
    expect(summary.pgr.best.mean).toBeCloseTo(0.4, 12);
    expect(summary.pgr.best.undefinedSeeds.map((u) => u.seed)).toEqual([3]);
  });

  it('gives beat and copy rates as mean and sd', () => {
    // 0.5, 0.25, 0.75: mean 0.5, sd sqrt((0 + 0.0625 + 0.0625) / 2) = 0.25
    expect(summary.mistakes.beatRate.mean).toBeCloseTo(0.5, 12);
    expect(summary.mistakes.beatRate.sd).toBeCloseTo(0.25, 12);
    // 0.3, 0.3, 0.6: mean 0.4, sd sqrt((0.01 + 0.01 + 0.04) / 2) = sqrt(0.03)
    expect(summary.mistakes.copyRate.mean).toBeCloseTo(0.4, 12);
    expect(summary.mistakes.copyRate.sd).toBeCloseTo(Math.sqrt(0.03), 12);
  });

  it('draws the band only at the steps every seed measured', () => {
    // Seed 3 stopped at step 10: steps 20 and 30 are not shared. At step 10: 0.5, 0.6, 0.7.
    const band = summary.stages.student.curve;
    expect(band.map((p) => p.step)).toEqual([0, 10]);
    expect(band[1].mean).toBeCloseTo(0.6, 12);
    expect(band[1].sd).toBeCloseTo(0.1, 12);
    expect(band[1].n).toBe(3);
    expect(band[0].mean).toBeCloseTo(0.1, 12);
    expect(band[0].sd).toBeCloseTo(0, 12);
    expect(
      curveBand([
        history([
          [10, 0.5],
          [0, 0.2],
        ]),
      ]),
    ).toEqual([
      { step: 0, mean: 0.2, sd: null, n: 1 },
      { step: 10, mean: 0.5, sd: null, n: 1 },
    ]);
  });

  it("summarises every compared student's figures, naming the seeds where its gap ratio is undefined", () => {
    const withStudents = three.map((r, i) => ({
      ...r,
      kind: 'loss-study' as const,
      config: { ...presetConfig('w2s-losses'), seed: r.config.seed },
      students: [
        {
          stage: 'xent',
          label: 'xent',
          accuracy: [0.7, 0.8, 0.9][i],
          bestAccuracy: 0.9,
          gap: { final: [0.1, 0.3, null][i], best: 0.5 },
          mistakes: mistakes([0.2, 0.4, 0.6][i]),
        },
        { stage: 'logconf', label: 'logconf', accuracy: 0.8, bestAccuracy: 0.8, gap: { final: 0.2, best: 0.2 }, mistakes: mistakes(0.1) },
      ],
    }));
    const students = summariseSeeds(withStudents).students;
    expect(students.map((s) => s.stage)).toEqual(['xent', 'logconf']);
    expect(students[0].accuracy.mean).toBeCloseTo(0.8, 12);
    expect(students[0].accuracy.sd).toBeCloseTo(0.1, 12);
    expect(students[0].gap.final).toMatchObject({ n: 2, values: [0.1, 0.3, null], undefinedSeeds: [{ seed: 3 }] });
    expect(students[0].gap.final.mean).toBeCloseTo(0.2, 12);
    expect(students[0].copyRate.mean).toBeCloseTo(0.4, 12);
    expect(students[0].copyRate.sd).toBeCloseTo(0.2, 12);
    expect(students[1].gap.final).toMatchObject({ n: 3, undefinedSeeds: [] });
    expect(students[1].gap.final.mean).toBeCloseTo(0.2, 12);
    expect(students[1].gap.final.sd).toBeCloseTo(0, 12);
  });

  it('refuses results that are not seeds of one experiment', () => {
    expect(() => summariseSeeds([])).toThrow('no results to summarise');
    expect(() => summariseSeeds([three[0], three[0]])).toThrow('seed 1 appears twice');
    const other = { ...three[1], config: { ...base, seed: 2, data: { ...base.data, supervisorSize: 50 } } };
    expect(() => summariseSeeds([three[0], other])).toThrow('seed 2 has other settings than seed 1');
    const { student: _student, ...fewer } = three[1].stages;
    expect(() => summariseSeeds([three[0], { ...three[1], stages: fewer }])).toThrow('seed 2 has other stages than seed 1');
  });
});

function mistakes(copyRate: number) {
  return {
    total: 0,
    bothRight: 0,
    beats: 0,
    copies: 0,
    otherWrong: 0,
    regresses: 0,
    supervisorWrong: 0,
    beatRate: 1 - copyRate,
    copyRate,
    agreement: 0,
    agreementWhenSupervisorRight: null,
    agreementWhenSupervisorWrong: null,
  };
}
