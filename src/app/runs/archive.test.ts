/**
 * The archive of finished runs: damaged entries never hide the others, and the order (shown and evicted) is the
 * order runs were saved in, whatever the computer's clock said.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentResult } from '../../core/experiments/contract';
import { presetConfig } from '../../core/presets';
import { createAppStore } from '../store/app-store';
import { MAX_SAVED_RUNS, memoryArchive, sequenceOf } from './archive';
import { thin } from '../charts/thin';
import { readSavedRun } from './read-saved-run';
import { overlayCurves, smooth, type KeptRun, type SavedRun } from './saved-run';
import { savedFrom, tinyResults } from './test-support';

let good: SavedRun;
beforeAll(async () => {
  good = savedFrom((await tinyResults())[0]);
});

const titled = (title: string, savedAt: number, id = title): SavedRun => ({ ...structuredClone(good), id, title, savedAt });
const idle = { start: () => 1, cancel() {}, pause() {}, resume() {}, step() {}, setSpeed() {} };

describe('runs kept in the browser', () => {
  it('a null entry, or one without stages, hides none of the runs saved after it', async () => {
    const entries = new Map<unknown, unknown>();
    const archive = memoryArchive(entries);
    await archive.save(titled('first', 1));
    entries.set('r00000002-broken', null);
    const noStages = titled('no stages', 3) as Partial<SavedRun>;
    delete noStages.stages;
    entries.set('r00000003-nostages', noStages);
    entries.set(42, { ...titled('unknown kind', 4), config: { kind: 'quantum' } });
    await archive.save(titled('second', 5));
    await archive.save(titled('third', 6));
    const { runs, notices, unreadable } = await archive.list();
    expect(runs.map((r) => r.title)).toEqual(['third', 'second', 'first']);
    expect(notices).toEqual([
      'Saved run "no stages" ("r00000003-nostages") could not be read and was skipped: stages is missing.',
      'Saved run "r00000002-broken" could not be read and was skipped: it is empty (null).',
      expect.stringMatching(/^Saved run "unknown kind" \("key 42"\) could not be read and was skipped: its config cannot be read \(kind: /),
    ]);
    // The unreadable ones can be removed, whatever their keys are.
    for (const id of unreadable) await archive.remove(id);
    expect([...entries.keys()].every((key) => typeof key === 'string' && sequenceOf(key) !== null)).toBe(true);
    expect((await archive.list()).notices).toEqual([]);
    expect(entries.size).toBe(3);
  });

  it('runs dated in the future (a clock set wrong, then right) do not push out the run that just finished', async () => {
    const archive = memoryArchive();
    const future = Date.now() + 10 * 365 * 86_400_000;
    for (let i = 0; i < MAX_SAVED_RUNS; i++) await archive.save(titled(`run ${i}`, future + i));
    const { id: justFinished, evicted } = await archive.save(titled('just finished', Date.now()));
    expect(evicted).toHaveLength(1);
    const { runs } = await archive.list();
    expect(runs).toHaveLength(MAX_SAVED_RUNS);
    expect(runs[0].id).toBe(justFinished);
    expect(runs[0].title).toBe('just finished');
    // The oldest by the order of saving went.
    expect(runs.map((r) => r.title)).not.toContain('run 0');
    expect(runs.at(-1)!.title).toBe('run 1');
  });

  it('runs kept by an older version (no sequence number, any date) are shown after the newer ones and go first', async () => {
    const entries = new Map<unknown, unknown>();
    for (let i = 0; i < MAX_SAVED_RUNS; i++) {
      const savedAt = i === 0 ? Date.now() + 1e12 : 1_700_000_000_000 + i;
      entries.set(`${savedAt.toString(36)}-${i}`, titled(`old ${i}`, savedAt, `${savedAt.toString(36)}-${i}`));
    }
    const archive = memoryArchive(entries);
    const { id } = await archive.save(titled('new', 1));
    const { runs } = await archive.list();
    expect(runs).toHaveLength(MAX_SAVED_RUNS);
    expect(runs[0].id).toBe(id);
    expect(runs[1].title).toBe('old 0'); // the older ones by their dates
  });

  it('the store lists the readable runs and names the skipped ones; Load brings what the config repair replaced', async () => {
    const entries = new Map<unknown, unknown>();
    const archive = memoryArchive(entries);
    await archive.save({ ...titled('repaired', 1), config: { ...presetConfig('w2s-copying'), seed: -4 } as never });
    entries.set('r00000009-x', { stages: 'none' });
    const store = createAppStore(idle, archive);
    await store.getState().refreshRuns();
    const { savedRuns, runNotices } = store.getState();
    expect(savedRuns.map((r) => r.title)).toEqual(['repaired']);
    expect(runNotices).toEqual([
      'Saved run "r00000009-x" could not be read and was skipped: its config cannot be read ((config): expected an object with the experiment\'s settings (got undefined)).',
    ]);
    store.getState().loadConfig(savedRuns[0].config, savedRuns[0].loadNotices ?? []);
    expect(store.getState().notices).toEqual(['Replaced by its default: seed: must be at least 0 (allowed range 0 to 2147483647) (got -4)']);
    expect(store.getState().problems).toEqual([]);
    await store.getState().removeUnreadableRuns();
    expect(store.getState().runNotices).toEqual([]);
    expect(store.getState().savedRuns).toHaveLength(1);
  });

  it('a finished run is kept through the store with its full result, and reads back whole', async () => {
    const store = createAppStore(idle, memoryArchive());
    store.getState().loadConfig(good.config, []);
    store.getState().startRun();
    const runId = store.getState().run.runId;
    store.getState().receive([{ type: 'done', runId, result: good.result as ExperimentResult }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.getState().refreshRuns();
    expect(store.getState().runNotices).toEqual([]);
    expect(store.getState().savedRuns).toHaveLength(1);
    expect(store.getState().savedRuns[0].hasResults).toBe(true);
    expect(Array.from(store.getState().savedRuns[0].stages[0].steps)).toEqual(good.stages[0].history.map((p) => p.step));
  });
});

describe('a run that finishes while the list is being read', () => {
  it('is not lost from the list, and the list is not read again for it', async () => {
    const entries = new Map<unknown, unknown>();
    const archive = memoryArchive(entries);
    for (let i = 0; i < 5; i++) await archive.save(titled(`earlier ${i}`, i));
    let reads = 0;
    const counted = { ...archive, list: () => (reads++, archive.list()) };
    const store = createAppStore(idle, counted);
    const listing = store.getState().refreshRuns();
    store.getState().loadConfig(good.config, []);
    store.getState().startRun();
    const runId = store.getState().run.runId;
    store.getState().receive([{ type: 'done', runId, result: good.result as ExperimentResult }]);
    await listing;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.getState().savedRuns.map((r) => r.title)).toEqual([
      // The run just finished, named by what differs from its nearest preset.
      'w2s-copying, data.validationSize 200 -> 20, data.testSize 1000 -> 50, data.supervisorSize 200 -> 60, + 5 more, seed 1',
      'earlier 4',
      'earlier 3',
      'earlier 2',
      'earlier 1',
      'earlier 0',
    ]);
    expect(reads).toBe(1);
  });
});

describe('the overlay of saved runs', () => {
  /** A stored run whose every stage has this curve, read back as the archive reads it. */
  const keptWith = (title: string, history: SavedRun['stages'][number]['history']): KeptRun => {
    const stored = titled(title, 1);
    for (const stage of stored.stages) {
      stage.history = history;
      stored.result.stages[stage.name].history = history;
    }
    const read = readSavedRun(title, stored);
    if (!read.ok) throw new Error(read.notice);
    return read.run;
  };

  it('reads and thins two runs of 40,000 points a curve to at most 121 points a curve, smoothing over every point', () => {
    const history = Array.from({ length: 40_000 }, (_, i) => ({
      step: i,
      epoch: 0,
      loss: 1,
      testAccuracy: i % 2,
      validationAccuracy: null,
      learningRate: 0.01,
    }));
    // The least time of five tries: what the work itself takes, whatever else a busy machine is doing.
    const fastest = (work: () => unknown) =>
      Math.min(
        ...Array.from({ length: 5 }, () => {
          const started = performance.now();
          work();
          return performance.now() - started;
        }),
      );
    const runs = [keptWith('a', history), keptWith('b', history)];
    const curves = overlayCurves(runs, 0.9);
    expect(curves).toHaveLength(6);
    for (const curve of curves) {
      expect(curve.points.length).toBeLessThanOrEqual(121);
      expect(curve.points.at(-1)!.x).toBe(39_999);
      // Smoothed over all 40,000 alternating points, not the kept ones (every 334th point is even: 0 accuracy).
      expect(curve.points.at(-1)!.y).toBeGreaterThan(0.4);
      expect(curve.points.at(-1)!.y).toBeLessThan(0.6);
    }
    // Reading a run is one task of the page, overlaying two is one click: each well under 50 ms.
    const read = fastest(() => keptWith('a', history));
    const overlay = fastest(() => overlayCurves(runs, 0.9));
    console.log(`reading a run of 3 x 40,000 points: ${read.toFixed(1)} ms; overlaying two: ${overlay.toFixed(1)} ms`);
    expect(read).toBeLessThan(50);
    expect(overlay).toBeLessThan(25);
  });

  it('keeps exactly the points the live curves keep, with the smoothed value at each', () => {
    const history = Array.from({ length: 1_001 }, (_, i) => ({
      step: 3 * i,
      epoch: 0,
      loss: 1,
      testAccuracy: ((i * 37) % 100) / 100,
      validationAccuracy: null,
      learningRate: 0.01,
    }));
    const [curve] = overlayCurves([keptWith('r', history)], 0.7);
    const smoothed = smooth(
      history.map((p) => p.testAccuracy),
      0.7,
    );
    expect(curve.points).toEqual(thin(history.map((p, i) => ({ x: p.step, y: smoothed[i] }))));
  });
});
