/**
 * Bootstrapping and the loss study on reduced versions of their presets (2,000 transfer and 1,000 test digits,
 * about as many steps as the presets): the direction of each effect, and that the reported figures are the ones
 * the per-example predictions give.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../node/node-assets';
import { startNodeBackend } from '../../node/node-backend';
import { parseConfig, safeParseConfig } from '../config/read';
import type { ExperimentConfigInput } from '../config/schema';
import { mistakeBreakdown, performanceGapRecovered } from '../metrics';
import { findPreset } from '../presets';
import { tf } from '../tf';
import { runExperiment } from './registry';
import type { ExperimentEvent, ExperimentResult } from './contract';
import { studyLosses } from './loss-study/spec';

type AnyConfig = Record<string, any>;

const run = (config: ExperimentConfigInput, onEvent?: (e: ExperimentEvent) => void) => runExperiment(config, { assets: nodeAssetSource(), onEvent });

const REDUCED_DATA = { transferSize: 2000, validationSize: 200, testSize: 1000 };
/** 12 epochs over 2,000 examples: about the presets' 395 steps over 5,000. */
const longer = (role: AnyConfig) => ({ ...role, train: { ...role.train, epochs: 12 } });

/** w2s-bootstrap, reduced: one link (the linear probe) before the 256-unit student. */
function smallBootstrap(): ExperimentConfigInput {
  const preset = structuredClone(findPreset('w2s-bootstrap').config) as AnyConfig;
  return { ...preset, data: { ...preset.data, ...REDUCED_DATA }, chain: [longer(preset.chain[0])], student: longer(preset.student) } as ExperimentConfigInput;
}

function smallLossStudy(): ExperimentConfigInput {
  const preset = structuredClone(findPreset('w2s-losses').config) as AnyConfig;
  return { ...preset, data: { ...preset.data, ...REDUCED_DATA }, student: longer(preset.student) } as ExperimentConfigInput;
}

function student(result: ExperimentResult, stage: string) {
  const found = result.students?.find((s) => s.stage === stage);
  if (!found) throw new Error(`no student ${stage} in the result`);
  return found;
}

/** Each compared student's figures are the ones its stage and the per-example predictions give. */
function expectConsistentStudents(result: ExperimentResult) {
  const { weak, ceiling } = result.stages;
  for (const s of result.students!) {
    const stage = result.stages[s.stage];
    expect(s.accuracy).toBe(stage.accuracy);
    expect(s.gap.final).toBeCloseTo((stage.accuracy - weak.accuracy) / (ceiling.accuracy - weak.accuracy), 10);
    expect(s.mistakes).toEqual(mistakeBreakdown(result.predictions.test.label, weak.testPredictions, stage.testPredictions));
  }
}

describe('bootstrapping and the loss study (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it("w2s-bootstrap, reduced: the chain's end beats the same model trained straight on the weak labels", async () => {
    const events: ExperimentEvent[] = [];
    const before = tf.memory().numTensors;
    const result = await run(smallBootstrap(), (e) => events.push(e));
    const { weak, ceiling, direct, student: end } = result.stages;

    // The effect: the direct student learns its supervisor's mistakes, the chain hands its end cleaner labels.
    expect(end.accuracy).toBeGreaterThan(direct.accuracy + 0.03);
    expect(student(result, 'student').gap.final!).toBeGreaterThan(student(result, 'direct').gap.final! + 0.1);
    expect(student(result, 'student').mistakes.copyRate!).toBeLessThan(student(result, 'direct').mistakes.copyRate! - 0.1);

    // The headline is the chain's end against the weak supervisor and the ceiling.
    expect(result.roles).toEqual({ supervisor: 'weak', reference: 'ceiling', student: 'student' });
    expect(result.pgr.final).toBeCloseTo((end.accuracy - weak.accuracy) / (ceiling.accuracy - weak.accuracy), 10);
    expect(result.students!.map((s) => s.stage)).toEqual(['student', 'direct']);
    expectConsistentStudents(result);
    // Same architecture and initial weights for the ceiling, the direct student and the chain's end.
    expect(new Set([ceiling.model, direct.model, end.model]).size).toBe(1);
    expect(result.stages['link-1'].model).toMatch(/linear probe/);

    // The chain plot: weak, each link, the end; direct and ceiling as flat references; PGR in the labels.
    const chart = result.charts.find((c) => c.info.id === 'chain')!;
    expect(chart.points.chain.map((p) => [p.x, p.y])).toEqual([
      [0, weak.accuracy],
      [1, result.stages['link-1'].accuracy],
      [2, end.accuracy],
    ]);
    expect(chart.points.chain[2].label).toBe(`chain's end · PGR ${performanceGapRecovered(weak.accuracy, ceiling.accuracy, end.accuracy).value!.toFixed(2)}`);
    expect(chart.points.direct.map((p) => p.y)).toEqual([direct.accuracy, direct.accuracy]);
    expect(chart.points.ceiling.map((p) => p.y)).toEqual([ceiling.accuracy, ceiling.accuracy]);
    // PGR and copy rate of the direct student, each link and the chain's end, as bar groups.
    const bars = result.charts.find((c) => c.info.id === 'chain-pgr')!;
    expect(bars.info.kind).toBe('bar');
    expect(bars.points.pgr.map((p) => p.label)).toEqual(['direct', 'link-1', "chain's end"]);
    expect(bars.points.pgr.map((p) => p.y)).toEqual([
      student(result, 'direct').gap.final,
      (result.stages['link-1'].accuracy - weak.accuracy) / (ceiling.accuracy - weak.accuracy),
      student(result, 'student').gap.final,
    ]);
    expect(bars.points.copyRate.map((p) => p.y)).toEqual([
      student(result, 'direct').mistakes.copyRate,
      mistakeBreakdown(result.predictions.test.label, weak.testPredictions, result.stages['link-1'].testPredictions).copyRate,
      result.mistakes.test.copyRate,
    ]);

    // Stages stream in the announced order; the chart reaches the page as events.
    const announced = (events[0] as Extract<ExperimentEvent, { type: 'experiment-start' }>).stages.map((s) => s.name);
    expect(announced).toEqual(['weak', 'ceiling', 'direct', 'link-1', 'student']);
    expect(events.filter((e) => e.type === 'stage-start').map((e) => (e as { stage: string }).stage)).toEqual(announced);
    expect(events.filter((e) => e.type === 'chart-point' && e.chart === 'chain')).toHaveLength(7);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("w2s-losses, reduced: logconf copies fewer of the supervisor's mistakes than cross-entropy and recovers more", async () => {
    const result = await run(smallLossStudy());
    const xent = student(result, 'xent');
    const logconf = student(result, 'logconf');
    expect(logconf.mistakes.copyRate!).toBeLessThan(xent.mistakes.copyRate! - 0.02);
    expect(logconf.gap.final!).toBeGreaterThan(xent.gap.final! + 0.05);

    expect(result.students!.map((s) => s.stage)).toEqual(['xent', 'logconf', 'product']);
    expectConsistentStudents(result);
    // Three students of one model from the same start; the headline student is logconf.
    expect(new Set(['ceiling', 'xent', 'logconf', 'product'].map((name) => result.stages[name].model)).size).toBe(1);
    expect(result.pgr.final).toBe(logconf.gap.final);
    expect(result.mistakes.test).toEqual(logconf.mistakes);

    const chart = result.charts.find((c) => c.info.id === 'losses')!;
    expect(chart.info.kind).toBe('bar');
    for (const s of result.students!) {
      expect(chart.points.pgr.find((p) => p.label === s.stage)!.y).toBe(s.gap.final);
      expect(chart.points.copyRate.find((p) => p.label === s.stage)!.y).toBe(s.mistakes.copyRate);
    }
  });
});

describe('bootstrap and loss-study configs', () => {
  it('the loss study trains its students with the configured schedule and exponents', () => {
    const config = parseConfig({ kind: 'loss-study', logconf: { aMax: 0.75, warmup: 0.1, schedule: 'released' }, product: { a: 2, b: 0.5 } });
    if (config.kind !== 'loss-study') throw new Error('wrong kind');
    expect(studyLosses(config)).toEqual([
      { name: 'xent', loss: { type: 'xent' } },
      { name: 'logconf', loss: { type: 'logconf', aMax: 0.75, warmup: 0.1, schedule: 'released' } },
      { name: 'product', loss: { type: 'product', a: 2, b: 0.5 } },
    ]);
  });

  it('a chain of 1 to 3 links validates; none or four are refused with the count', () => {
    expect(safeParseConfig({ kind: 'bootstrap', chain: [{}, {}, {}] }).ok).toBe(true);
    expect(safeParseConfig({ kind: 'bootstrap', chain: [] })).toEqual({ ok: false, problems: ['chain: must have at least 1 entry (got 0)'] });
    expect(safeParseConfig({ kind: 'bootstrap', chain: [{}, {}, {}, {}] })).toEqual({ ok: false, problems: ['chain: must have at most 3 entries (got 4)'] });
  });

  it('a chain link that cannot run on the dataset is named by its position', () => {
    const result = safeParseConfig({ kind: 'bootstrap', data: { dataset: 'moons' }, chain: [{ model: { type: 'mlp' } }, { model: { type: 'cnn' } }] });
    expect(result).toEqual({ ok: false, problems: ['chain.1.model.type: a CNN needs an image dataset; Two moons is toy'] });
  });
});
