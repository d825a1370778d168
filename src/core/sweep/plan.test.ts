import { describe, expect, it } from 'vitest';
import { parseConfig, readConfig } from '../config/read';
import type { WeakToStrongConfig } from '../experiments/weak-to-strong/spec';
import { presetConfig } from '../presets';
import { inShard, MAX_CELLS, parseShard, planSweep } from './plan';

const mnist = presetConfig('w2s-mnist') as WeakToStrongConfig;

describe('planning a sweep', () => {
  it('crosses the axes (the first outermost) with the seeds, every cell a validated config', () => {
    const plan = planSweep({
      base: mnist,
      axes: [
        { path: 'supervisor.model', values: 'linear,mlp:16' },
        { path: 'student.model.head', values: 'linear,mlp:256' },
      ],
      seeds: [1, 2],
    });
    expect(plan.points).toEqual([
      { index: 0, values: ['linear', 'linear'] },
      { index: 1, values: ['linear', 'mlp:256'] },
      { index: 2, values: ['mlp:16', 'linear'] },
      { index: 3, values: ['mlp:16', 'mlp:256'] },
    ]);
    expect(plan.cells.map((c) => [c.index, c.point, c.seed])).toEqual([
      [0, 0, 1],
      [1, 0, 2],
      [2, 1, 1],
      [3, 1, 2],
      [4, 2, 1],
      [5, 2, 2],
      [6, 3, 1],
      [7, 3, 2],
    ]);
    const cell = plan.cells[7];
    // The config is the base with the two settings changed and the seed set: what a hand-made config gives.
    expect(cell.config).toEqual(
      parseConfig({
        ...mnist,
        seed: 2,
        supervisor: { ...mnist.supervisor, model: { type: 'mlp', width: 16 } },
        student: { ...mnist.student, model: { ...mnist.student.model, head: 'mlp', headWidth: 256 } },
      }),
    );
    // Opening the cell as a run reads its config back unchanged.
    expect(readConfig(JSON.stringify(cell.config), { mode: 'strict' }).config).toEqual(cell.config);
    expect(plan.cells.every((c) => c.refused === null)).toBe(true);
  });

  it('checks every cell before any runs: cells that do not validate are refused with the reason, the others kept', () => {
    const base = structuredClone(mnist);
    base.student.model = { type: 'cnn', filters: 22, denseWidth: 0 };
    base.student.train.batchSize = 1024;
    const plan = planSweep({
      base,
      axes: [
        { path: 'data.transferSize', values: '5000,9500' },
        { path: 'student.model.denseWidth', values: '0,1000,256' },
      ],
      seeds: [1],
    });
    expect(plan.cells.map((c) => [...c.values, c.refused === null])).toEqual([
      ['5000', '0', true],
      ['5000', '1000', false],
      ['5000', '256', true],
      ['9500', '0', false],
      ['9500', '1000', false],
      ['9500', '256', false],
    ]);
    const tooWide = plan.cells[1];
    expect(tooWide.config).toBeNull();
    expect(tooWide.refused).toContain('student.model.denseWidth: must be at most 256 (allowed range 0 to 256) (got 1000)');
    expect(tooWide.refused).toContain('over the limit of 256 MB');
    expect(plan.cells[3].refused).toBe('data: supervisorSize + transferSize + validationSize = 10100 exceeds the 10000 training examples of MNIST digits');
  });

  it('refuses axes that set the same thing, too many axes or cells, and bad seeds', () => {
    const axes = (...paths: [string, string][]) => paths.map(([path, values]) => ({ path, values }));
    expect(() => planSweep({ base: mnist, axes: axes(['student.model', 'pretrained'], ['student.model.head', 'linear']), seeds: [1] })).toThrow(
      'axes student.model and student.model.head both set student.model: sweep one of them',
    );
    expect(() => planSweep({ base: mnist, axes: axes(['student.model.head', 'mlp:64'], ['student.model.headWidth', '8']), seeds: [1] })).toThrow(
      'both set student.model.headWidth',
    );
    expect(() => planSweep({ base: mnist, axes: [], seeds: [1] })).toThrow('a sweep needs at least one axis');
    expect(() => planSweep({ base: mnist, axes: axes(['seed', '1'], ['data.testSize', '10'], ['student.train.epochs', '1']), seeds: [1] })).toThrow(
      'a sweep has at most 2 axes (got 3)',
    );
    expect(() =>
      planSweep({ base: mnist, axes: axes(['data.testSize', 'lin:10:1000:100'], ['student.train.epochs', 'lin:1:100:100']), seeds: [1, 2] }),
    ).toThrow(`the sweep has 10000 points x 2 seeds = 20000 cells; at most ${MAX_CELLS}`);
    expect(() => planSweep({ base: mnist, axes: axes(['data.testSize', '10']), seeds: [1, 1] })).toThrow('seed 1 is given twice');
    expect(() => planSweep({ base: mnist, axes: axes(['data.testSize', '10']), seeds: [] })).toThrow('a sweep needs at least one seed');
  });
});

describe('shards', () => {
  it('reads I/N and refuses shares that do not exist', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    expect(() => parseShard('3/2')).toThrow('shard 3/2: I must be 1 to 2');
    expect(() => parseShard('0/2')).toThrow('shard 0/2: I must be 1 to 2');
    expect(() => parseShard('1/0')).toThrow('shard 1/0: N must be 1 to 10000');
    expect(() => parseShard('1-2')).toThrow('shard "1-2": write I/N');
    expect(() => parseShard('half')).toThrow('write I/N');
  });

  it('deals the cells out in turn: every cell is in exactly one shard', () => {
    const cells = Array.from({ length: 11 }, (_, index) => ({ index }));
    const shards = [1, 2, 3].map((index) => cells.filter((c) => inShard(c, { index, count: 3 })).map((c) => c.index));
    expect(shards).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7, 10],
      [2, 5, 8],
    ]);
    expect(cells.filter((c) => inShard(c, null))).toHaveLength(11);
  });
});
