/**
 * The three language kinds on reduced settings in Node (wasm): stages named for what each model is, held-out bits
 * per character in each stage and its history, writing from every model at every measurement, the same numbers and
 * text from the same seed; the shipped teacher and corpus are what their manifests say.
 */
import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, type AnyConfig } from '../../node/test-support';
import type { ExperimentConfigInput } from '../config/schema';
import { presetConfig } from '../presets';
import { startNodeBackend } from '../../node/node-backend';
import { tf } from '../tf';

/** A language preset's whole config (its roles' own training settings included) with parts overridden. */
function reduced(id: string, overrides: AnyConfig): ExperimentConfigInput {
  const merge = (base: AnyConfig, extra: AnyConfig): AnyConfig =>
    Object.fromEntries(
      [...Object.keys(base), ...Object.keys(extra).filter((k) => !(k in base))].map((k) => {
        const [b, e] = [base[k], extra[k]];
        return [k, e && typeof e === 'object' && b && typeof b === 'object' ? merge(b, e) : (e ?? b)];
      }),
    );
  return merge(structuredClone(presetConfig(id)) as AnyConfig, overrides) as ExperimentConfigInput;
}

/** 2,000 characters, 20 steps measured every 10, 500 held-out characters, 20 written. */
const DISTILL = reduced('lm-distill', {
  data: { textBudget: 2000, testSize: 500 },
  student: { train: { epochs: 1, evalEvery: 10 } },
  seqKd: { continuation: 20 },
  sampling: { length: 20, prompt: 'Ça? It is a truth universally acknowledged' },
});

describe('language models (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  it('lm-distill: every stage has held-out bits per character, every model writes, and a rerun gives the same', async () => {
    const before = tf.memory().numTensors;
    const result = await run(DISTILL);
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(result.stages)).toEqual(['teacher', 'xent', 'forward-kl', 'reverse-kl', 'taid', 'seq-kd']);
    // The teacher, pretrained on four novels, is far better than 20 steps of any student and than a uniform guess.
    const teacher = result.stages.teacher.bitsPerCharacter!;
    expect(teacher).toBeGreaterThan(1.5);
    expect(teacher).toBeLessThan(3);
    for (const name of ['xent', 'forward-kl', 'reverse-kl', 'taid', 'seq-kd']) {
      const stage = result.stages[name];
      expect(stage.totalSteps, name).toBe(20);
      expect(stage.history.map((p) => p.step)).toEqual([0, 10, 20]);
      expect(stage.history.every((p) => p.bitsPerCharacter! > teacher)).toBe(true);
      // The final figure is the last measurement, and below log2(81), a uniform guess, after training.
      expect(stage.bitsPerCharacter).toBe(stage.history.at(-1)!.bitsPerCharacter);
      expect(stage.bitsPerCharacter!).toBeLessThan(Math.log2(81));
    }
    // The prompt as read: the unseen "Ç" named and left out, cut to the 32-character context.
    const { prompt, samples } = result.language!;
    expect(prompt.used).toBe('a truth universally acknowledged');
    expect(Array.from(prompt.used)).toHaveLength(32);
    expect(prompt.notes.join(' ')).toMatch(/never seen this character.*"Ç".*only the last 32 characters/);
    // The teacher writes once; each student at each measurement; each sample has one surprisal per character.
    expect(samples.map((s) => `${s.stage}@${s.step}`)).toEqual([
      'teacher@0',
      ...['xent', 'forward-kl', 'reverse-kl', 'taid', 'seq-kd'].flatMap((name) => [0, 10, 20].map((step) => `${name}@${step}`)),
    ]);
    for (const sample of samples) {
      expect(sample.prompt).toBe(prompt.used);
      expect(Array.from(sample.text)).toHaveLength(20);
      expect(sample.bits).toHaveLength(52);
      expect(sample.bits.every((b) => Number.isFinite(b) && b >= 0)).toBe(true);
    }
    // Same initial weights and the same random draws: before training every student writes the same text.
    const atStart = samples.filter((s) => s.step === 0 && s.stage !== 'teacher').map((s) => s.text);
    expect(new Set(atStart).size).toBe(1);

    const again = await run(DISTILL);
    expect(Object.fromEntries(Object.entries(again.stages).map(([k, s]) => [k, s.history]))).toEqual(
      Object.fromEntries(Object.entries(result.stages).map(([k, s]) => [k, s.history])),
    );
    expect(again.language).toEqual(result.language);
  }, 240_000);

  it('lm-teacher-hacking: proxy and golden distances at every measurement, and the fixed set nears the proxy on its own contexts', async () => {
    const result = await run(
      reduced('lm-teacher-hacking', {
        data: { teacherText: 2000, transferSize: 200, testSize: 500 },
        teacher: { train: { epochs: 1, evalEvery: 10 } },
        student: { train: { epochs: 40, evalEvery: 20 } },
        sampling: { length: 10 },
      }),
    );
    expect(Object.keys(result.stages)).toEqual(['oracle', 'teacher', 'fixed', 'fresh']);
    const { fixed, fresh } = result.stages;
    // The same number of steps: 200 contexts x 40 epochs against 8,000 fresh contexts once.
    expect(fixed.totalSteps).toBe(80);
    expect(fresh.totalSteps).toBe(80);
    expect(fixed.trainingExamples).toBe(200);
    expect(fresh.trainingExamples).toBe(8000);
    const chart = result.charts.find((c) => c.info.id === 'distances')!;
    expect(chart.info.series.map((s) => s.key)).toEqual(['fixed-proxy-own', 'fixed-proxy', 'fixed-golden', 'fresh-proxy', 'fresh-golden']);
    const steps = (key: string) => chart.points[key].map((p) => p.x);
    for (const key of ['fixed-proxy-own', 'fixed-proxy', 'fixed-golden']) expect(steps(key)).toEqual(fixed.history.map((h) => h.step));
    for (const key of ['fresh-proxy', 'fresh-golden']) expect(steps(key)).toEqual(fresh.history.map((h) => h.step));
    const own = chart.points['fixed-proxy-own'].map((p) => p.y);
    const heldOut = chart.points['fixed-proxy'].map((p) => p.y);
    expect([...own, ...heldOut].every((y) => Number.isFinite(y) && y >= 0)).toBe(true);
    // Training on the fixed set lowers the proxy distance there most of all: by the end it is below the held-out one.
    expect(own.at(-1)!).toBeLessThan(own[0]);
    expect(own.at(-1)!).toBeLessThan(heldOut.at(-1)!);
  }, 240_000);

  it('lm-data-selection: teacher, reference and two students on the same amount of text', async () => {
    const result = await run(
      reduced('lm-data-selection', {
        data: { referenceText: 2000, candidates: 8000, testSize: 500 },
        reference: { train: { epochs: 1, evalEvery: 10 } },
        student: { train: { epochs: 1, evalEvery: 10 } },
        sampling: { length: 10 },
      }),
    );
    expect(Object.keys(result.stages)).toEqual(['teacher', 'reference', 'random', 'selected']);
    const { random, selected } = result.stages;
    expect(selected.trainingExamples).toBe(random.trainingExamples);
    expect(selected.totalSteps).toBe(random.totalSteps);
    for (const stage of Object.values(result.stages)) expect(stage.bitsPerCharacter!).toBeGreaterThan(1);
    expect(result.charts.map((c) => c.info.id)).toContain('window-scores');
  }, 240_000);
});

describe('shipped language files', () => {
  const manifest = (file: string) => JSON.parse(readFileSync(`public/${file}`, 'utf8'));
  const sha256 = (file: string) =>
    createHash('sha256')
      .update(readFileSync(`public/${file}`))
      .digest('hex');

  it('the teacher is at most 2 MB and its weights are what its manifest says', () => {
    const teacher = manifest('models/austen-teacher.json');
    const bytes = statSync(`public/models/${teacher.file}`).size;
    expect(bytes).toBe(teacher.byteLength);
    expect(bytes).toBeLessThanOrEqual(2_000_000);
    expect(bytes).toBe(4 * teacher.parameters);
    expect(sha256(`models/${teacher.file}`)).toBe(teacher.sha256);
  });

  it('the corpus is what its manifest says, its parts disjoint, and the teacher reads its alphabet', () => {
    const corpus = manifest('datasets/austen.json');
    expect(sha256(`datasets/${corpus.file}`)).toBe(corpus.sha256);
    const text = readFileSync(`public/datasets/${corpus.file}`, 'utf8');
    expect(Array.from(text)).toHaveLength(corpus.characters);
    expect([...new Set(text)].sort()).toEqual([...corpus.alphabet].sort());
    const parts = [...corpus.parts].sort((a: { start: number }, b: { start: number }) => a.start - b.start);
    for (let i = 1; i < parts.length; i++) expect(parts[i].start).toBeGreaterThanOrEqual(parts[i - 1].end);
    expect(manifest('models/austen-teacher.json').alphabet).toEqual(corpus.alphabet);
  });
});
