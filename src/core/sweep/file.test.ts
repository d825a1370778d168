/** Sweep files: shards merged into the whole sweep's file, files that do not fit together refused with the reason. */
import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../config/schema';
import type { ExperimentResult } from '../experiments/contract';
import { presetConfig } from '../presets';
import { sweepCellsCsv, sweepSummaryCsv } from './csv';
import { mergeSweepFiles, sweepFile, sweepFileJson, type SweepFile } from './file';
import { planSweep, type Shard, type SweepDefinition } from './plan';
import { runSweep } from './run';

/** Timings that differ from run to run, as real ones do (no sweep file may depend on them), from a counter: tests draw nothing at random. */
let clock = 0;
const nextSeconds = () => (clock += 0.137) % 1;

const base = presetConfig('w2s-copying');
const definition: SweepDefinition = {
  base,
  axes: [
    { path: 'student.model.width', values: '4,16,2000' },
    { path: 'weakLabels.kind', values: 'soft,hard' },
  ],
  seeds: [1, 2, 3],
};

/** A result that depends only on the config (as a real run's does), with figures a test can predict. */
function fakeResult(config: ExperimentConfig): ExperimentResult {
  const c = config as Extract<ExperimentConfig, { kind: 'weak-to-strong' }>;
  const width = c.student.model.type === 'mlp' ? c.student.model.width : 0;
  const student = 0.7 + width / 100 + config.seed / 100 + (c.weakLabels.kind === 'hard' ? 0.05 : 0);
  const stage = (name: string, accuracy: number) => ({
    name,
    label: name,
    accuracy,
    bestAccuracy: accuracy,
    history: [
      { step: 0, loss: Number.NaN, testAccuracy: 0.5, validationAccuracy: null, learningRate: 0.01, epoch: 0 },
      { step: 10, loss: 0.3, testAccuracy: accuracy, validationAccuracy: null, learningRate: 0.01, epoch: 1 },
    ],
    testPredictions: new Int32Array([0, 1, 1]),
    bestTestPredictions: new Int32Array([0, 1, 1]),
    seconds: nextSeconds(),
  });
  const pgr = config.seed === 3 ? null : (student - 0.7) / 0.2;
  return {
    kind: config.kind,
    config,
    backend: 'cpu',
    stages: { weak: stage('weak', 0.7), ceiling: stage('ceiling', 0.9), student: stage('student', student) },
    pgr: { definition: '', final: pgr, best: pgr, oracleBest: pgr, reason: pgr === null ? 'n/a: no gap' : null },
    mistakes: { test: { beatRate: 0.5, copyRate: 0.25 }, transfer: {} },
    charts: [],
    predictions: { test: { label: new Int32Array(3) } },
    seconds: nextSeconds(),
  } as unknown as ExperimentResult;
}

async function sweep(shard: Shard | null, backend = 'cpu', of: SweepDefinition = definition): Promise<SweepFile> {
  const plan = planSweep(of);
  return sweepFile(plan, shard, backend, await runSweep(plan, shard, async (config) => fakeResult(config)));
}

/** The file as the command line writes it, without the times that differ from run to run. */
const text = (file: SweepFile) => sweepFileJson(file).replace(/"seconds":[\d.e-]+/g, '"seconds":0');

describe('sweep files', () => {
  it('records every cell: done ones with their results (no per-example predictions), refused ones with the reason', async () => {
    const whole = await sweep(null);
    expect(whole.cells).toHaveLength(18);
    expect(whole.axes).toEqual([
      { path: 'student.model.width', kind: 'integer', values: ['4', '16', '2000'] },
      { path: 'weakLabels.kind', kind: 'enum', values: ['soft', 'hard'] },
    ]);
    const refused = whole.cells.filter((c) => c.status === 'refused');
    expect(refused.map((c) => c.index)).toEqual([12, 13, 14, 15, 16, 17]);
    expect(refused[0].reason).toContain('student.model.width: must be at most 1024');
    const done = whole.cells[0];
    expect(done.result!.stages.student).not.toHaveProperty('testPredictions');
    expect(done.result).not.toHaveProperty('predictions');
    expect(JSON.parse(sweepFileJson(whole)).cells[0].result.stages.weak.history[0].loss).toBeNull();
    // Summary per point over its seeds: student accuracy 0.7 + width / 100 + seed / 100 (+ 0.05 for hard labels): 0.80, 0.81, 0.82 at width 4; PGR undefined on seed 3.
    const point = whole.summary![1]; // width 4, hard
    expect(point).toMatchObject({ values: ['4', 'hard'], done: 3, refused: 0, failed: 0 });
    expect(point.summary!.stages.student.accuracy.mean).toBeCloseTo(0.81, 12);
    expect(point.summary!.stages.student.accuracy.sd).toBeCloseTo(0.01, 12);
    expect(point.summary!.pgr.final.undefinedSeeds).toEqual([{ seed: 3, reason: 'n/a: no gap' }]);
    expect(whole.summary![4]).toMatchObject({ values: ['2000', 'soft'], done: 0, refused: 3, summary: null });
  });

  it('shard 1/2 and shard 2/2 merged give the whole sweep, in either order', async () => {
    const whole = await sweep(null);
    const [first, second] = [await sweep({ index: 1, count: 2 }), await sweep({ index: 2, count: 2 })];
    expect(first.cells.map((c) => c.index)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16]);
    expect(first.summary).toBeNull();
    const parts = [
      { name: 'part1.json', text: sweepFileJson(first) },
      { name: 'part2.json', text: sweepFileJson(second) },
    ];
    expect(text(mergeSweepFiles(parts))).toBe(text(whole));
    expect(text(mergeSweepFiles([...parts].reverse()))).toBe(text(whole));
  });

  it('writes the sweep table and the cells as CSV', async () => {
    const whole = await sweep(null);
    const summary = sweepSummaryCsv(whole).trim().split('\n');
    expect(summary).toHaveLength(7);
    const header = summary[0].split(',');
    expect(header.slice(0, 5)).toEqual(['student.model.width', 'weakLabels.kind', 'seeds_done', 'refused', 'failed']);
    const row = Object.fromEntries(summary[2].split(',').map((cell, i) => [header[i], cell]));
    expect(row).toMatchObject({ 'student.model.width': '4', 'weakLabels.kind': 'hard', seeds_done: '3', pgr_final_n: '2', pgr_final_undefined_seeds: '3' });
    expect(Number(row.student_accuracy_mean)).toBeCloseTo(0.81, 12);
    expect(Number(row.student_accuracy_sd)).toBeCloseTo(0.01, 12);
    expect(summary[5]).toMatch(/^2000,soft,0,3,0,,,/);
    const cells = sweepCellsCsv(whole).trim().split('\n');
    expect(cells).toHaveLength(19);
    expect(cells[13]).toMatch(/^12,2000,soft,1,refused,.*must be at most 1024/);
  });

  it('resumes: cells already done are kept and not run again; the others run', async () => {
    const plan = planSweep(definition);
    const earlier = (await runSweep(plan, null, async (config) => fakeResult(config))).filter((r) => r.index < 5);
    const ran: number[] = [];
    const records = await runSweep(plan, null, async (config, cell) => (ran.push(cell.index), fakeResult(config)), undefined, earlier);
    expect(ran).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(records.slice(0, 5)).toEqual(earlier);
    // A record whose config is not the cell's is not trusted: the cell runs again.
    const stale = [{ ...earlier[0], config: { ...earlier[0].config!, seed: 9 } }];
    ran.length = 0;
    await runSweep(plan, { index: 1, count: 3 }, async (config, cell) => (ran.push(cell.index), fakeResult(config)), undefined, stale);
    expect(ran).toEqual([0, 3, 6, 9]);
  });

  it('records a cell whose run fails, with the reason, and runs the others', async () => {
    const plan = planSweep(definition);
    const records = await runSweep(plan, null, async (config, cell) => {
      if (cell.index === 1) throw new Error('the backend went away');
      return fakeResult(config);
    });
    expect(records[1]).toMatchObject({ status: 'failed', reason: 'the backend went away', result: null });
    expect(records.filter((r) => r.status === 'done')).toHaveLength(11);
  });
});

describe('merging refuses files that do not fit together, naming why', () => {
  const json = async (shard: Shard | null, edit?: (file: SweepFile) => void, backend = 'cpu', of = definition) => {
    const file = structuredClone(await sweep(shard, backend, of));
    edit?.(file);
    return sweepFileJson(file);
  };
  const merge =
    (...texts: string[]) =>
    () =>
      mergeSweepFiles(texts.map((t, i) => ({ name: `part${i + 1}.json`, text: t })));

  it('from different sweeps or backends', async () => {
    const one = await json({ index: 1, count: 2 });
    const otherAxes = { ...definition, axes: [definition.axes[0], { path: 'weakLabels.kind', values: 'hard,soft' }] };
    expect(merge(one, await json({ index: 2, count: 2 }, undefined, 'cpu', otherAxes))).toThrow(
      'part2.json is from a different sweep than part1.json: its axes differ (student.model.width=4,16,2000 weakLabels.kind=soft,hard against student.model.width=4,16,2000 weakLabels.kind=hard,soft)',
    );
    expect(merge(one, await json({ index: 2, count: 2 }, undefined, 'cpu', { ...definition, seeds: [1, 2] }))).toThrow('its seeds differ (1,2,3 against 1,2)');
    const otherBase = {
      ...definition,
      base: { ...base, student: { ...(base as { student: object }).student, train: { ...(base as any).student.train, epochs: 3 } } },
    };
    expect(merge(one, await json({ index: 2, count: 2 }, undefined, 'cpu', otherBase as SweepDefinition))).toThrow(
      'part2.json is from a different sweep than part1.json: its base config differs at student.train.epochs',
    );
    expect(merge(one, await json({ index: 2, count: 2 }, undefined, 'wasm'))).toThrow('part2.json ran on wasm and part1.json on cpu');
  });

  it('shards missing, repeated, of another count, or beside a whole sweep', async () => {
    const [one, two] = [await json({ index: 1, count: 2 }), await json({ index: 2, count: 2 })];
    expect(merge(one)).toThrow('shard(s) 2/2 missing: give every shard');
    expect(merge(one, one)).toThrow('part2.json and part1.json are both shard 1/2');
    expect(merge(one, await json({ index: 2, count: 3 }))).toThrow('part2.json is shard 2/3 and part1.json is one of 2');
    expect(merge(one, two, await json(null))).toThrow('part3.json already holds the whole sweep');
    expect(merge()).toThrow('nothing to merge');
  });

  it('files that are not what their sweep plans', async () => {
    const shard = { index: 1, count: 2 };
    const tampered = await json(shard, (f) => ((f.cells[0].config as { student: { train: { epochs: number } } }).student.train.epochs = 1));
    expect(merge(tampered)).toThrow('part1.json: cell 0: its config is not the one its sweep plans');
    expect(merge(await json(shard, (f) => (f.cells[1].index = 1)))).toThrow('part1.json: cell 1 does not belong to shard 1/2');
    expect(merge(await json(shard, (f) => void f.cells.push(structuredClone(f.cells[0]))))).toThrow('part1.json: cell 0 appears twice');
    expect(merge(await json(shard, (f) => f.cells.pop()))).toThrow('part1.json: 1 cell(s) of its share are missing (first: cell 16)');
    expect(merge(await json(shard, (f) => (f.cells[0].index = 99)))).toThrow('part1.json: cell 99 is not a cell of its sweep (18 cells)');
    expect(merge(await json(shard, (f) => (f.cells[6].status = 'done')))).toThrow('part1.json: cell 12 was refused when planned');
    expect(merge(await json(shard, (f) => (f.cells[0].result!.config = { ...f.cells[0].result!.config, seed: 2 })))).toThrow(
      'part1.json: cell 0: its result is of another config',
    );
    expect(merge(await json(shard, (f) => ((f.cells[0].result as { stages: unknown }).stages = 'x')))).toThrow(
      'part1.json: cell 0: its result is not an experiment result',
    );
    expect(merge(await json(shard, (f) => (f.definition.base = { kind: 'weak-to-strong', student: { train: { epochs: 0 } } } as never)))).toThrow(
      'part1.json: its base config does not validate: student.train.epochs: must be at least 1',
    );
    expect(merge(await json(shard, (f) => (f.definition.axes = [{ path: 'constructor', values: '1' }])))).toThrow(
      'part1.json: axis constructor: not a setting',
    );
  });

  it('text that is not a sweep file', () => {
    expect(merge('{"format": "distillery-sweep"')).toThrow('part1.json: it is not JSON');
    expect(merge('[1, 2]')).toThrow('part1.json: not a sweep file');
    expect(merge('{"format": "distillery-sweep", "formatVersion": 2}')).toThrow('part1.json: sweep format version 2 is not one this program reads (1)');
    expect(merge('{"format": "distillery-sweep", "formatVersion": 1}')).toThrow('part1.json: no sweep definition');
    expect(merge(`${'['.repeat(100000)}${']'.repeat(100000)}`)).toThrow('part1.json: it is nested more than 32 levels deep');
  });
});
