/**
 * Runs read back from IndexedDB are untrusted: every run this version writes reads back whole, and any damage to
 * one (null, missing or mistyped parts, numbers out of range, configs of unknown kinds or old shapes, arrays where
 * typed arrays belong, cycles) gives a readable run or a notice naming the entry, never an exception.
 */
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { safeParseConfig } from '../../core/config/read';
import { MIGRATIONS } from '../../core/config/migrations';
import type { ExperimentResult } from '../../core/experiments/contract';
import { runName } from './compare';
import { readSavedRun } from './read-saved-run';
import { overlayCurves, type KeptRun, type SavedRun } from './saved-run';
import { savedFrom, tinyResults } from './test-support';

let results: ExperimentResult[];
let saved: SavedRun;

beforeAll(async () => {
  results = await tinyResults();
  saved = savedFrom(results[0]);
});

type Any = Record<string, any>;
/** A copy of the good run with one change. */
const damaged = (change: (run: Any) => void): Any => {
  const copy = structuredClone(saved) as Any;
  change(copy);
  return copy;
};

/** What the Runs panel and the overlay rely on, for any run that reads as ok. */
function expectSound(run: KeptRun): void {
  expect(safeParseConfig(run.config).ok).toBe(true);
  expect(typeof run.title).toBe('string');
  expect(run.title.length).toBeLessThanOrEqual(200);
  expect(run.stages.length).toBeGreaterThan(0);
  for (const stage of run.stages) {
    expect(typeof stage.name).toBe('string');
    expect(stage.steps.length).toBe(stage.testAccuracy.length);
    for (const step of stage.steps) expect(Number.isFinite(step)).toBe(true);
  }
  expect(run.pgr === null || Number.isFinite(run.pgr)).toBe(true);
  for (const curve of overlayCurves([run], 0.6)) expect(curve.points.length).toBeLessThanOrEqual(121);
}

describe('reading a saved run', () => {
  afterEach(() => {
    delete MIGRATIONS[0];
  });

  it('every kind of run this version writes reads back whole, with no notice', () => {
    for (const result of results) {
      const run = savedFrom(result, 'r00000001-x');
      const read = readSavedRun('r00000001-x', run);
      expect(read.ok && read.notices).toEqual([]);
      if (!read.ok) continue;
      const { result: _, stages, ...summary } = run;
      expect(read.run).toEqual({
        ...summary,
        id: 'r00000001-x',
        hasResults: true,
        loadNotices: [],
        name: runName(run.config),
        stages: stages.map(({ history, ...stage }) => ({
          ...stage,
          bitsPerCharacter: stage.bitsPerCharacter ?? null,
          steps: Float64Array.from(history, (p) => p.step),
          testAccuracy: Float64Array.from(history, (p) => p.testAccuracy),
          bits: history[0]?.bitsPerCharacter === undefined ? null : Float64Array.from(history, (p) => p.bitsPerCharacter!),
        })),
      });
    }
  });

  it('skips an entry whose summary is damaged, naming the entry and what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [null, /^Saved run "run" could not be read and was skipped: it is empty \(null\)\.$/],
      [undefined, /skipped: it is empty\.$/],
      ['a string', /skipped: the entry is not an object/],
      [damaged((r) => delete r.stages), /^Saved run "weak-to-strong, seed 1" \("run"\) could not be read and was skipped: stages is missing\.$/],
      [damaged((r) => (r.stages = {})), /stages is not a list/],
      [damaged((r) => (r.stages = [])), /stages is empty/],
      [damaged((r) => (r.stages[1] = null)), /stages\[1\] is not an object/],
      [damaged((r) => delete r.stages[0].history), /stages\[0\]\.history is missing/],
      [damaged((r) => (r.stages[0].history[1].step = 'x')), /stages\[0\]\.history\[1\]\.step is not a step number/],
      [damaged((r) => (r.stages[0].history[1].testAccuracy = 7)), /stages\[0\]\.history\[1\]\.testAccuracy is outside 0 to 1/],
      [damaged((r) => (r.stages[0].accuracy = Infinity)), /stages\[0\]\.accuracy is not a number/],
      [damaged((r) => (r.stages[1].name = r.stages[0].name)), /stages\[1\]\.name repeats/],
      [damaged((r) => (r.config = { ...r.config, kind: 'sweep' })), /its config cannot be read \(kind: /],
      [damaged((r) => (r.config = null)), /its config cannot be read/],
      [damaged((r) => (r.config = { ...r.config, version: 0 })), /its config cannot be read \(\(config\): no migration from settings version 0\)/],
    ];
    for (const [value, notice] of cases) {
      const read = readSavedRun('run', value);
      expect(read.ok, String(notice)).toBe(false);
      if (!read.ok) expect(read.notice).toMatch(notice);
    }
  });

  it('repairs its config as a link is repaired, and says what was replaced when it is loaded', () => {
    const read = readSavedRun(
      'run',
      damaged((r) => (r.config.student.train.learningRate = 50)),
    );
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const expected = structuredClone(saved.config) as Any;
    expected.student.train.learningRate = 0.001;
    expect(read.run.config).toEqual(expected);
    expect(read.run.loadNotices).toEqual(['Replaced by its default: student.train.learningRate: must be at most 1 (allowed range 0.00001 to 1) (got 50)']);
    expect(read.notices).toEqual([]);
  });

  it('migrates a config of an older settings version, as a link is migrated', () => {
    MIGRATIONS[0] = ({ supervisorLabels, ...rest }) => ({ ...rest, weakLabels: supervisorLabels });
    const read = readSavedRun(
      'run',
      damaged((r) => {
        r.config = { ...r.config, version: 0, supervisorLabels: r.config.weakLabels };
        delete r.config.weakLabels;
      }),
    );
    expect(read.ok && read.run.config).toEqual(saved.config);
  });

  it('keeps the curves of a run whose per-example results are damaged, and says so', () => {
    const cases: [(r: Any) => void, RegExp][] = [
      [(r) => (r.result.predictions.test.label = Array.from(r.result.predictions.test.label)), /result\.predictions\.test\.label is not an Int32Array/],
      [(r) => (r.result.predictions.test.student = new Int32Array(3)), /result\.predictions\.test\.student has 3 entries, not 50/],
      [(r) => (r.result.stages.student.testPredictions[4] = 99), /result\.stages\.student\.testPredictions\[4\] is not one of the 2 classes/],
      [(r) => (r.result.roles.student = 'nobody'), /result\.roles\.student names no stage of the result/],
      [(r) => (r.result.formatVersion = 2), /result\.formatVersion is not 1/],
      [(r) => (r.result.pgr = null), /result\.pgr is not an object/],
      [(r) => (r.result.charts = [{ info: r.result, points: {} }]), /result\.charts\[0\]\.info\.id is missing/],
      [(r) => (r.result.stages.weak.history = [{ step: -1, testAccuracy: 0.5 }]), /result\.stages\.weak\.history\[0\]\.step is not a step number/],
      [(r) => (r.result.stages.student.reliability[3].correct = 1e6), /result\.stages\.student\.reliability\[3\]\.correct is more than its count/],
      [(r) => (r.result.stages.student.reliability[9].meanConfidence = 'high'), /result\.stages\.student\.reliability\[9\]\.meanConfidence is not a number/],
      [(r) => (r.result.stages.weak.reliability = { bins: 10 }), /result\.stages\.weak\.reliability is not a list/],
    ];
    for (const [change, notice] of cases) {
      const read = readSavedRun('run', damaged(change));
      expect(read.ok, String(notice)).toBe(true);
      if (!read.ok) continue;
      expect(read.run.hasResults).toBe(false);
      expect(read.run.stages.map((stage) => stage.name)).toEqual(saved.stages.map((stage) => stage.name));
      expect(read.notices).toHaveLength(1);
      expect(read.notices[0]).toMatch(/^Saved run "weak-to-strong, seed 1" \("run"\): its per-example results could not be read \(/);
      expect(read.notices[0]).toMatch(notice);
    }
  });

  it('reads a run kept with several seeds: its seeds, its name, and a band per stage (mean ± sd); damaged seed curves are left out with a notice', () => {
    const withSeeds = (change?: (seedRuns: Any[]) => void) =>
      damaged((r) => {
        r.seedRuns = [1, 2, 3].map((seed) => ({
          seed,
          stages: r.stages.map((s: Any) => ({ name: s.name, history: s.history.map((p: Any) => ({ ...p, testAccuracy: p.testAccuracy * (1 - 0.1 * seed) })) })),
        }));
        change?.(r.seedRuns);
      });
    const read = readSavedRun('m', withSeeds());
    expect(read.ok && read.notices).toEqual([]);
    if (!read.ok) return;
    expect(read.run.seeds).toEqual([1, 2, 3]);
    expect(read.run.name).toMatch(/, seeds 1-3$/);
    for (const stage of read.run.stages) {
      const band = stage.band!;
      expect(band.seeds).toBe(3);
      expect(Array.from(band.steps)).toEqual(Array.from(stage.steps));
      // Seeds at 0.9, 0.8, 0.7 of the curve: mean 0.8 of it, sd 0.1 of it.
      band.mean.forEach((m, i) => expect(m).toBeCloseTo(0.8 * stage.testAccuracy[i], 6));
      band.sd.forEach((sd, i) => expect(sd).toBeCloseTo(0.1 * stage.testAccuracy[i], 6));
    }
    const cases: [(seedRuns: Any[]) => void, RegExp][] = [
      [(s) => (s[1].seed = 1), /seedRuns\[1\]\.seed repeats seed 1/],
      [(s) => (s[2].stages[0].name = 'oracle'), /seedRuns\[2\]\.stages\[0\]\.name names no stage of the run \("oracle"\)/],
      [(s) => (s[0].stages[1].history[0].testAccuracy = 'high'), /seedRuns\[0\]\.stages\[1\]\.history\[0\]\.testAccuracy is not a number/],
      [(s) => s.splice(1), /seedRuns has 1 entries, not 2 to 100/],
      [(s) => (s[0].seed = -1), /seedRuns\[0\]\.seed is not a count/],
    ];
    for (const [change, notice] of cases) {
      const partial = readSavedRun('m', withSeeds(change));
      expect(partial.ok, String(notice)).toBe(true);
      if (!partial.ok) continue;
      expect(partial.notices).toEqual([expect.stringMatching(/^Saved run "weak-to-strong, seed 1" \("m"\): its curves per seed could not be read \(/)]);
      expect(partial.notices[0]).toMatch(notice);
      expect(partial.run.seeds).toBeUndefined();
      expect(partial.run.stages.every((stage) => stage.band === undefined)).toBe(true);
      expect(partial.run.hasResults).toBe(true);
    }
  });

  it('falls back for parts it can do without: a date, a title, a backend, a PGR', () => {
    const read = readSavedRun(
      'run',
      damaged((r) => Object.assign(r, { savedAt: 'tomorrow', title: 'x'.repeat(5000), backend: { evil: true }, pgr: '1e999' })),
    );
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.run.savedAt).toBeNaN();
    expect(read.run.title).toHaveLength(200);
    expect(read.run.backend).toBe('unknown');
    expect(read.run.pgr).toBeNull();
  });

  it('reads an entry that refers to itself without hanging', () => {
    const cyclic = damaged((r) => {
      r.config.self = r;
      r.result.stages.weak.history = r.stages;
    });
    const read = readSavedRun('run', cyclic);
    expect(read.ok && read.notices[0]).toMatch(/result\.stages\.weak\.history\[0\]\.step is not a step number/);
  });

  it('never throws on 3,000 randomly damaged entries: each is a sound run or a notice naming it', () => {
    const paths = (value: unknown, prefix: string[] = [], depth = 0): string[][] => {
      if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || depth > 6) return [prefix];
      const entries = Array.isArray(value) ? value.slice(0, 3).map((v, i) => [String(i), v] as const) : Object.entries(value);
      return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key], depth + 1))];
    };
    const all = paths(saved).filter((p) => p.length > 0);
    const hostile = fc.oneof(
      fc.constantFrom(null, undefined, NaN, Infinity, -1, 1e308, '', 'x'.repeat(300), [], {}, true, new Int32Array([-5]), new Float32Array(3), [null]),
      fc.jsonValue({ maxDepth: 2 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...all), hostile, (path, value) => {
        const entry = damaged((r) => {
          let node = r;
          for (const key of path.slice(0, -1)) node = node[key];
          node[path[path.length - 1]] = value;
        });
        const read = readSavedRun('run', entry);
        if (read.ok) {
          expectSound(read.run);
          for (const notice of read.notices) expect(notice.length).toBeLessThan(1000);
        } else {
          expect(read.notice).toMatch(/^Saved run "[^]*" \("run"\) could not be read and was skipped: /);
          expect(read.notice.length).toBeLessThan(1000);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
