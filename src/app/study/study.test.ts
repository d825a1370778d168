/**
 * A study in the page: seeds alone or a sweep over axes, run through a cell runner (the pool in the page), every
 * cell validated before anything runs, the sweep kept after each cell and resumed after a reload with only the
 * cells left run, a damaged kept sweep refused with a notice.
 */
import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../../core/config/schema';
import type { ExperimentResult } from '../../core/experiments/contract';
import { fakeResult } from './test-support';
import { sweepFileJson } from '../../core/sweep/file';
import { presetConfig } from '../../core/presets';
import { memorySweepStore } from './kept-sweep';
import { planStudy } from './plan';
import { Study, type CellRunner } from './study';

const base = presetConfig('w2s-copying');

/** Runs cells when told to: `release(n)` ends the first n waiting cells. */
function manualRunner(backend = 'cpu') {
  const waiting: { config: ExperimentConfig; resolve(r: ExperimentResult): void; reject(e: Error): void }[] = [];
  const ran: ExperimentConfig[] = [];
  const runner: CellRunner = {
    run: (config) =>
      new Promise((resolve, reject) => {
        ran.push(config);
        waiting.push({ config, resolve, reject });
      }),
    cancel: () => waiting.splice(0).forEach((w) => w.reject(new Error('cancelled'))),
    backend: () => backend,
  };
  const release = async (n: number) => {
    for (const w of waiting.splice(0, n)) w.resolve(fakeResult(w.config));
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { runner, ran, release, waiting };
}

const axes = [
  { path: 'student.model.width', values: '4,16,5000000' },
  { path: 'weakLabels.kind', values: 'soft,hard' },
];

describe('planStudy', () => {
  it('plans seeds alone as one point with every seed validated', () => {
    const plan = planStudy(base, '1-3', []);
    expect(plan.cells.map((c) => [c.seed, c.config?.seed, c.refused])).toEqual([
      [1, 1, null],
      [2, 2, null],
      [3, 3, null],
    ]);
    expect(plan.points).toEqual([{ index: 0, values: [] }]);
  });

  it('refuses bad seed lists with a message naming the problem', () => {
    expect(() => planStudy(base, '5-1', [])).toThrow(/runs backwards/);
    expect(() => planStudy(base, 'one', [])).toThrow(/not a seed or a range/);
    expect(() => planStudy(base, '', [])).toThrow(/empty/);
  });

  it('plans a two-axis sweep with the cells that cannot run refused, with the reason', () => {
    const plan = planStudy(base, '1,2', axes);
    expect(plan.cells).toHaveLength(12);
    const refused = plan.cells.filter((c) => c.refused !== null);
    expect(refused.map((c) => c.values[0])).toEqual(['5000000', '5000000', '5000000', '5000000']);
    expect(refused[0].refused).toMatch(/width/);
  });
});

/** The kept text with one part changed. */
function edited(text: string, change: (file: any) => void): string {
  const file = JSON.parse(text);
  change(file);
  return JSON.stringify(file);
}

describe('Study', () => {
  it('runs seeds alone and keeps their full results in seed order', async () => {
    const { runner, release } = manualRunner();
    const study = new Study(runner, memorySweepStore());
    const done = study.start(planStudy(base, '3,1', []));
    expect(study.getSnapshot()).toMatchObject({ state: 'running', pending: 2 });
    await release(2);
    await done;
    const snapshot = study.getSnapshot();
    expect(snapshot.state).toBe('finished');
    expect(snapshot.results.map((r) => r.config.seed)).toEqual([3, 1]);
    expect(snapshot.records.map((r) => r?.status)).toEqual(['done', 'done']);
  });

  it('keeps a sweep after each cell; read back after a reload, Resume runs only the cells left and gives the file of an uninterrupted sweep', async () => {
    const store = memorySweepStore();
    const first = manualRunner();
    const study = new Study(first.runner, store);
    const plan = planStudy(base, '1,2', axes);
    const running = study.start(plan);
    await first.release(3);
    expect(store.text).not.toBeNull();
    // The page reloads: a new study reads what was kept.
    const second = manualRunner();
    const reloaded = new Study(second.runner, store);
    await reloaded.loadStored();
    const offered = reloaded.getSnapshot();
    expect(offered.resumable?.done).toHaveLength(3);
    expect(offered.records.filter((r) => r?.status === 'refused')).toHaveLength(4);
    // Read back, the sweep is the backend it ran on, whatever this page's workers would run.
    const elsewhere = new Study(manualRunner('wasm').runner, store);
    await elsewhere.loadStored();
    expect(elsewhere.file()?.backend).toBe('cpu');
    const resumed = reloaded.resume();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(second.ran).toHaveLength(8 - 3);
    await second.release(5);
    await resumed;
    expect(reloaded.getSnapshot().state).toBe('finished');
    // The same sweep run straight through.
    const straight = manualRunner();
    const whole = new Study(straight.runner, memorySweepStore());
    const all = whole.start(plan);
    await straight.release(8);
    await all;
    const clean = (text: string) => text.replace(/"seconds":[\d.e-]+/g, '"seconds":0');
    expect(clean(sweepFileJson(reloaded.file()!))).toBe(clean(sweepFileJson(whole.file()!)));
    first.runner.cancel();
    await running;
  });

  it('records cancelled cells as not done, to be run on Resume', async () => {
    const store = memorySweepStore();
    const { runner, release } = manualRunner();
    const study = new Study(runner, store);
    const running = study.start(planStudy(base, '1', axes));
    await release(1);
    study.cancel();
    await running;
    expect(study.getSnapshot().state).toBe('cancelled');
    const reloaded = new Study(manualRunner().runner, store);
    await reloaded.loadStored();
    expect(reloaded.getSnapshot().resumable?.done).toHaveLength(1);
  });

  it('refuses a damaged or foreign kept sweep with a notice, and removes it', async () => {
    const plan = planStudy(base, '1', axes);
    const { runner, release } = manualRunner();
    const store = memorySweepStore();
    const study = new Study(runner, store);
    const running = study.start(plan);
    await release(4);
    await running;
    const good = store.text as string;
    const hostile = [
      '{"format": "distillery-sweep", "formatVersion": 1',
      edited(good, (file) => (file.definition.base.data.testSize = 1e9)),
      edited(good, (file) => (file.cells[0].config.seed = 99)),
      edited(good, (file) => (file.cells.find((c: { status: string }) => c.status === 'refused').status = 'done')),
      edited(good, (file) => (file.cells[0].result.stages.student.history = 'none')),
      JSON.stringify({ __proto__: { polluted: true }, format: 'distillery-sweep' }),
      'null',
    ];
    const cyclic: Record<string, unknown> = { format: 'distillery-sweep' };
    cyclic.self = cyclic;
    for (const text of [...hostile, cyclic, 10n, { format: 'distillery-sweep', formatVersion: 1 }]) {
      const kept = memorySweepStore(text);
      const reloaded = new Study(manualRunner().runner, kept);
      await reloaded.loadStored();
      expect(String(reloaded.getSnapshot().notice), String(typeof text === 'string' ? text.slice(0, 60) : typeof text)).toMatch(
        /could not be read and was removed/,
      );
      expect(reloaded.getSnapshot().resumable).toBeNull();
      expect(kept.text).toBeNull();
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
