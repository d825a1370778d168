import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/read';
import type { ExperimentConfig } from '../../core/config/schema';
import { presetConfig } from '../../core/presets';
import { curveStyle, diffConfigs, formatValue, MODEL_STYLES, nearestPreset, RUN_COLORS, runName, seedList } from './compare';
import { overlayCurves, overlayModels, seedBand, type KeptRun } from './saved-run';

type Any = Record<string, any>;
/** A preset's config with changes made by hand, validated as a link would be. */
function changed(id: string, change: (config: Any) => void): ExperimentConfig {
  const config = structuredClone(presetConfig(id)) as Any;
  change(config);
  return parseConfig(config);
}

describe('config diff', () => {
  it('lists every differing field with its value in A and in B, and nothing else', () => {
    const a = presetConfig('w2s-mnist');
    const b = changed('w2s-mnist', (c) => {
      c.student.train.epochs = 10;
      c.seed = 2;
      c.weakLabels.kind = 'hard';
    });
    expect(diffConfigs(a, b)).toEqual([
      { path: 'seed', a: 1, b: 2 },
      { path: 'weakLabels.kind', a: 'soft', b: 'hard' },
      { path: 'student.train.epochs', a: 5, b: 10 },
    ]);
    expect(diffConfigs(b, a).map((c) => [c.path, c.a, c.b])).toEqual([
      ['seed', 2, 1],
      ['weakLabels.kind', 'hard', 'soft'],
      ['student.train.epochs', 10, 5],
    ]);
    expect(diffConfigs(a, structuredClone(a))).toEqual([]);
  });

  it('names fields present on one side only, and compares objects that appear whole', () => {
    expect(diffConfigs({ x: { type: 'a', width: 4 } }, { x: { type: 'b', filters: 2 } })).toEqual([
      { path: 'x.type', a: 'a', b: 'b' },
      { path: 'x.width', a: 4, b: undefined },
      { path: 'x.filters', a: undefined, b: 2 },
    ]);
    expect(diffConfigs({ y: 1 }, { y: 1, z: { p: [1, 2] } })).toEqual([{ path: 'z', a: undefined, b: { p: [1, 2] } }]);
    expect(diffConfigs({ list: [1, 2] }, { list: [1, 3] })).toEqual([{ path: 'list', a: [1, 2], b: [1, 3] }]);
  });

  it('shows values as numbers and words, a missing field as (none), long values cut', () => {
    expect(formatValue(0.001)).toBe('0.001');
    expect(formatValue('hard')).toBe('hard');
    expect(formatValue(undefined)).toBe('(none)');
    expect(formatValue(null)).toBe('null');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue('x'.repeat(500))).toHaveLength(60);
  });
});

describe('run names: the nearest preset, what differs from it, the seed', () => {
  it('a preset as it is, and one setting changed', () => {
    expect(runName(presetConfig('w2s-mnist'))).toBe('w2s-mnist, seed 1');
    expect(runName(presetConfig('w2s-no-concept'))).toBe('w2s-no-concept, seed 1');
    expect(runName(presetConfig('kd-mnist'))).toBe('kd-mnist, seed 1');
    const epochs = changed('w2s-mnist', (c) => {
      c.student.train.epochs = 10;
      c.seed = 2;
    });
    expect(runName(epochs)).toBe('w2s-mnist, student.train.epochs 5 -> 10, seed 2');
  });

  it('picks the preset it differs from least, and names a model whose type changed once', () => {
    // w2s-no-concept with its learning rate back at w2s-mnist's: one change from either... the encoder differs from
    // w2s-mnist, the learning rate from w2s-no-concept; with both changed it is nearer w2s-mnist.
    const nearMnist = changed('w2s-no-concept', (c) => {
      c.student.train.learningRate = 0.001;
      c.student.train.epochs = 7;
    });
    expect(nearestPreset(nearMnist)?.id).toBe('w2s-mnist');
    expect(runName(nearMnist)).toBe('w2s-mnist, student.model.encoder supervised -> autoencoder, student.train.epochs 5 -> 7, seed 1');
    const cnn = changed('w2s-mnist', (c) => (c.student.model = { type: 'cnn', filters: 4 }));
    expect(runName(cnn)).toBe('w2s-mnist, student.model.type pretrained -> cnn, seed 1');
  });

  it('counts the changes past three, and names several seeds', () => {
    const many = changed('w2s-mnist', (c) => {
      c.data.supervisorSize = 50;
      c.data.transferSize = 1000;
      c.student.train.epochs = 2;
      c.supervisor.train.epochs = 3;
      c.student.train.batchSize = 32;
    });
    expect(runName(many)).toBe('w2s-mnist, data.supervisorSize 100 -> 50, data.transferSize 5000 -> 1000, supervisor.train.epochs 40 -> 3, + 2 more, seed 1');
    expect(runName(presetConfig('w2s-mnist'), [1, 2, 3])).toBe('w2s-mnist, seeds 1-3');
    expect(runName(presetConfig('w2s-mnist'), [1, 5])).toBe('w2s-mnist, seeds 1, 5');
    expect(seedList([4, 5, 6, 7])).toBe('4-7');
    expect(seedList([1, 3, 4])).toBe('1, 3, 4');
  });
});

describe('overlay colours', () => {
  it('gives every (run, model) pair its own colour: a hue per run, a lightness and dash per model', () => {
    const colors = new Set<string>();
    for (let run = 0; run < RUN_COLORS.length; run++) for (let model = 0; model < MODEL_STYLES.length; model++) colors.add(curveStyle(run, model).color);
    expect(colors.size).toBe(RUN_COLORS.length * MODEL_STYLES.length);
    // The supervisor and the ceiling of one run differ in colour and in dash, and the student is the run's own hue, solid.
    expect(curveStyle(0, 1).color).not.toBe(curveStyle(0, 2).color);
    expect(curveStyle(0, 1).dash).not.toEqual(curveStyle(0, 2).dash);
    expect(curveStyle(2, 0)).toEqual({ color: RUN_COLORS[2], dash: [] });
    // #2563eb = (37, 99, 235) moved 0.45 of the way to white: (37 + 0.45 * 218, 99 + 0.45 * 156, 235 + 0.45 * 20) = (135, 169, 244)
    expect(curveStyle(0, 1).color).toBe('#87a9f4');
  });
});

describe('seed bands', () => {
  it('mean and sample sd at each step every seed measured, by hand', () => {
    const band = seedBand([
      { steps: [0, 10, 20, 30], testAccuracy: [0.1, 0.5, 0.6, 0.7] },
      { steps: [0, 10, 30], testAccuracy: [0.3, 0.7, 0.9] },
      { steps: [0, 10, 20, 30], testAccuracy: [0.2, 0.6, 0.6, 0.8] },
    ]);
    // Step 20 is missing from one seed: left out.
    expect(Array.from(band.steps)).toEqual([0, 10, 30]);
    expect(Array.from(band.mean).map((v) => +v.toFixed(10))).toEqual([0.2, 0.6, 0.8]);
    // Values 0.1, 0.3, 0.2: deviations -0.1, 0.1, 0: sd = sqrt(0.02 / 2) = 0.1, likewise at each step.
    band.sd.forEach((sd) => expect(sd).toBeCloseTo(0.1, 10));
    expect(band.seeds).toBe(3);
  });

  it('the overlay draws a multi-seed run as its mean with the band, and numbers models the same in every run (student first)', () => {
    const stage = (name: string, label: string, values: number[], band?: KeptRun['stages'][number]['band']) => ({
      name,
      label,
      accuracy: values.at(-1)!,
      bestAccuracy: values.at(-1)!,
      steps: Float64Array.from(values, (_, i) => i * 10),
      testAccuracy: Float64Array.from(values),
      bitsPerCharacter: null,
      bits: null,
      ...(band ? { band } : {}),
    });
    const run = (id: string, stages: KeptRun['stages'], seeds?: number[]): KeptRun => ({
      id,
      name: id,
      title: id,
      savedAt: 0,
      config: presetConfig('w2s-mnist'),
      backend: 'cpu',
      stages,
      pgr: null,
      hasResults: false,
      loadNotices: [],
      ...(seeds ? { seeds } : {}),
    });
    const band = seedBand([
      { steps: [0, 10], testAccuracy: [0.2, 0.4] },
      { steps: [0, 10], testAccuracy: [0.4, 0.8] },
    ]);
    const runs = [
      run('a', [stage('weak', 'Weak', [0.1, 0.2]), stage('ceiling', 'Ceiling', [0.3, 0.9]), stage('student', 'Student', [0.2, 0.5])]),
      run('b', [stage('teacher', 'Teacher', [0.5, 0.6]), stage('student', 'Student', [0.3, 0.6], band)], [1, 2]),
    ];
    expect(overlayModels(runs).map((m) => m.name)).toEqual(['student', 'weak', 'ceiling', 'teacher']);
    const curves = overlayCurves(runs, 0);
    expect(curves.map((c) => [c.run, c.model])).toEqual([
      [0, 1],
      [0, 2],
      [0, 0],
      [1, 3],
      [1, 0],
    ]);
    const seeded = curves[4];
    expect(seeded.points).toEqual([
      { x: 0, y: 0.30000000000000004 },
      { x: 10, y: 0.6000000000000001 },
    ]);
    expect(seeded.band?.map((p) => +(p.upper - p.lower).toFixed(10))).toEqual([+(2 * Math.sqrt(0.02)).toFixed(10), +(2 * Math.sqrt(0.08)).toFixed(10)]);
    expect(seeded.label).toBe('b: Student (mean ± sd of 2 seeds)');
    // Smoothing off: the points are the measured values.
    expect(curves[0].points.map((p) => p.y)).toEqual([0.1, 0.2]);
  });
});
