/**
 * Every preset's captions and its kind's takeaway, on small real runs of the preset with two seeds: every number
 * they state is one the run measured (or one its config sets), nothing is left unmeasured once the run is done,
 * and the numbers change when the seed does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../node/node-backend';
import { reduced, run, type AnyConfig } from '../../node/test-support';
import { mistakeBreakdown, performanceGapRecovered } from '../metrics';
import { PRESETS } from '../presets';
import type { ExperimentResult } from './contract';
import { specOf } from './kinds';
import { captionText, count, fixed, pct, type RunFacts } from './narration';

const W2S = {
  data: { supervisorSize: 60, transferSize: 320, validationSize: 60, testSize: 300 },
  supervisor: { train: { epochs: 3, evalEvery: 5 } },
  student: { train: { epochs: 2, evalEvery: 2 } },
};
const KD = { data: { trainSize: 640, labelledSize: 128, testSize: 300 }, teacher: { train: { epochs: 1 } }, student: { train: { epochs: 2, evalEvery: 5 } } };

/** Each preset at a size a unit test can afford. */
const SMALL: Record<string, AnyConfig> = {
  'w2s-bootstrap': W2S,
  'w2s-losses': W2S,
  'kd-mnist': KD,
  'kd-variants': { ...KD, temperatureSweep: [1, 4] },
  'random-teacher': { data: { trainSize: 640, probeSize: 200, testSize: 300 }, student: { train: { epochs: 1 } }, probe: { epochs: 3 }, probeEvery: 5 },
  'feature-kd': KD,
  'poisoned-teacher': {
    data: { trainSize: 640, testSize: 300 },
    teacher: { train: { epochs: 2, evalEvery: 5 } },
    student: { train: { epochs: 2, evalEvery: 5 } },
  },
  // The language lab at the sizes of its own tests (language.test.ts).
  'lm-distill': {
    data: { textBudget: 2000, testSize: 500 },
    student: { train: { epochs: 1, evalEvery: 10 } },
    seqKd: { continuation: 20 },
    sampling: { length: 20 },
  },
  'lm-teacher-hacking': {
    data: { teacherText: 2000, transferSize: 200, testSize: 500 },
    teacher: { train: { epochs: 1, evalEvery: 10 } },
    student: { train: { epochs: 40, evalEvery: 20 } },
    sampling: { length: 10 },
  },
  'lm-data-selection': {
    data: { referenceText: 2000, candidates: 8000, testSize: 500 },
    reference: { train: { epochs: 1, evalEvery: 10 } },
    student: { train: { epochs: 1, evalEvery: 10 } },
    sampling: { length: 10 },
  },
  // Its supervisors of three sizes must fit in W2S's 60 supervisor examples.
  'w2s-deception': { ...W2S, supervisorSizes: [15, 30, 60] },
  'teacher-hacking': { data: { testSize: 200 }, teacher: { train: { epochs: 20 } }, student: { train: { epochs: 15, evalEvery: 4 } } },
};

function factsOf(result: ExperimentResult): RunFacts {
  const models = Object.fromEntries(Object.entries(result.stages).map(([name, stage]) => [name, stage.model]));
  return { config: result.config, stages: result.stages, result, charts: result.charts, testLabels: result.predictions.test.label, models };
}

/** Every way a caption may write a number the run measured or its config set. */
function allowedNumbers(facts: RunFacts): Set<string> {
  const allowed = new Set<string>();
  const add = (...texts: string[]) => texts.forEach((t) => allowed.add(t.replace(/%$/, '')));
  const asShare = (v: number) => add(pct(v), pct(v, 0), fixed(v), fixed(v, 3));
  const walk = (value: unknown) => {
    if (typeof value === 'number') add(String(value), count(value), pct(value), pct(value, 0));
    else if (typeof value === 'string') for (const m of value.match(/\d+(\.\d+)?/g) ?? []) add(m);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(facts.config);
  walk(facts.models);
  // Images without labels: what a distillation caption counts from the config.
  const data = (facts.config as { data?: { trainSize?: number; labelledSize?: number } }).data;
  if (data?.trainSize !== undefined && data.labelledSize !== undefined) walk(data.trainSize - data.labelledSize);
  const accuracies: number[] = [];
  for (const stage of Object.values(facts.stages)) {
    walk([stage.label, stage.role, stage.bestStep, stage.totalSteps, stage.stepsRun]);
    // A kind's own figures of a stage (a language model's bits per character), at any precision a caption uses.
    for (const value of Object.values(stage)) if (typeof value === 'number') add(count(value), fixed(value, 1), fixed(value, 2), fixed(value, 3));
    for (const p of stage.history) add(count(p.step));
    const peak = Math.max(...stage.history.map((p) => p.testAccuracy));
    accuracies.push(stage.accuracy, stage.bestAccuracy, stage.oracleBestAccuracy, peak, 1 - stage.accuracy);
  }
  for (const chart of facts.charts)
    for (const points of Object.values(chart.points))
      for (const p of points) {
        add(String(p.x), count(p.x), fixed(p.y), fixed(p.y, 3), fixed(p.y, 1));
        // A point's label may carry what it counts (the digits a bar stands for).
        walk(p.label);
        accuracies.push(p.y);
        for (const q of points) if (q.y !== 0) add(fixed(p.y / q.y, 1));
      }
  accuracies.forEach(asShare);
  for (const a of accuracies) for (const b of accuracies) add(Math.abs(100 * (a - b)).toFixed(1));
  const names = Object.keys(facts.stages);
  for (const lower of names)
    for (const upper of names)
      for (const student of names) {
        const gap = performanceGapRecovered(facts.stages[lower].accuracy, facts.stages[upper].accuracy, facts.stages[student].accuracy).value;
        if (gap !== null) asShare(gap);
      }
  for (const supervisor of names)
    for (const student of names) {
      const m = mistakeBreakdown(facts.testLabels!, facts.stages[supervisor].testPredictions, facts.stages[student].testPredictions);
      [m.beatRate, m.copyRate, m.agreement].forEach((v) => v !== null && asShare(v));
    }
  return allowed;
}

/** The numbers a text states ("70.1%", "5,000", "0.38"), leaving out digits inside words such as w2s. */
const numbersIn = (text: string) => text.match(/(?<![\w.,-])(\d{1,3}(,\d{3})+|\d+)(\.\d+)?(?![\w])/g) ?? [];

describe("captions quote the run's own numbers", { timeout: 600_000 }, () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  for (const preset of PRESETS) {
    it(`${preset.id}: every number comes from the run or its config, and follows the seed`, async () => {
      const small = SMALL[preset.id] ?? W2S;
      const texts: string[][] = [];
      for (const seed of [1, 2]) {
        const result = await run(reduced(preset.id, { ...small, seed }));
        const facts = factsOf(result);
        const takeaway = specOf(result.config.kind).takeaway?.(facts);
        const lines = [...preset.narrative.map((c) => captionText(c, facts)), ...(takeaway ? [takeaway] : [])];
        const allowed = allowedNumbers(facts);
        for (const line of lines) {
          expect(line, 'nothing left unmeasured once the run is done').not.toMatch(/…|NaN|undefined|null|Infinity/);
          for (const n of numbersIn(line)) expect(allowed.has(n), `"${n}" in: ${line}`).toBe(true);
        }
        texts.push(lines);
      }
      const measured = texts[0].filter((line, i) => line !== texts[1][i]);
      expect(measured.length, 'some captions quote measurements, which change with the seed').toBeGreaterThan(0);
    });
  }
});
