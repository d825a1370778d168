import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_DIR } from '../../node/node-assets';
import { ConfigError, parseConfig, safeParseConfig } from './read';
import { DATASETS, type DatasetId } from './datasets';
import { numericRange } from './introspect';
import type { DatasetManifest } from '../data/manifest';
import { PRESETS, presetConfig } from '../presets';

const problemsOf = (input: unknown): string[] => {
  const result = safeParseConfig(input);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.problems;
};

describe('ExperimentConfig schema', () => {
  it('fills every default from a minimal config', () => {
    const config = parseConfig({ kind: 'weak-to-strong' });
    expect(config.version).toBe(1);
    expect(config.seed).toBe(1);
    expect(config.data).toMatchObject({ dataset: 'mnist', supervisorSize: 100, transferSize: 5000 });
    expect(config.kind === 'weak-to-strong' && config.student.loss).toEqual({ type: 'xent' });
    expect(config.kind === 'weak-to-strong' && config.student.train.optimizer).toBe('adam');
    const kd = parseConfig({ kind: 'distillation' });
    expect(kd.kind === 'distillation' && kd.student.loss).toEqual({ type: 'kd', temperature: 4, alpha: 0.9 });
  });

  it('names the field and its allowed range for an out-of-range number', () => {
    const problems = problemsOf({ kind: 'weak-to-strong', student: { train: { learningRate: 5 } } });
    expect(problems).toEqual(['student.train.learningRate: must be at most 1 (allowed range 0.00001 to 1) (got 5)']);
    expect(problemsOf({ kind: 'weak-to-strong', supervisor: { train: { batchSize: 0 } } })[0]).toMatch(
      /^supervisor\.train\.batchSize: must be at least 1 \(allowed range 1 to 1024\)/,
    );
  });

  it('names the field and the allowed values for a bad choice', () => {
    expect(problemsOf({ kind: 'weak-to-strong', data: { dataset: 'imagenet' } })[0]).toMatch(/^data\.dataset: must be one of "mnist", /);
    expect(problemsOf({ kind: 'sweep' })[0]).toMatch(/^kind: /);
    expect(problemsOf({ kind: 'weak-to-strong', seed: 1.5 })[0]).toMatch(/^seed: expected int/);
  });

  it('refuses splits larger than the dataset, saying how many there are', () => {
    expect(problemsOf({ kind: 'weak-to-strong', data: { supervisorSize: 6000, transferSize: 5000 } })[0]).toBe(
      'data: supervisorSize + transferSize + validationSize = 11500 exceeds the 10000 training examples of MNIST digits',
    );
    expect(
      problemsOf({ kind: 'weak-to-strong', data: { dataset: 'wine', supervisorSize: 50, transferSize: 50, validationSize: 10, testSize: 100 } })[0],
    ).toMatch(/exceeds the 178 examples of Wine/);
  });

  it('refuses models and losses that do not fit the data or the experiment', () => {
    const problems = problemsOf({
      kind: 'weak-to-strong',
      data: { dataset: 'moons', supervisorSize: 100, transferSize: 100, validationSize: 0, testSize: 100 },
      student: { model: { type: 'pretrained' }, loss: { type: 'kd' } },
      supervisor: { model: { type: 'cnn' } },
    });
    expect(problems).toContain('supervisor.model.type: a CNN needs an image dataset; Two moons is toy');
    expect(problems.some((p) => p.startsWith('student.model.encoder: no pretrained encoder ships for Two moons'))).toBe(true);
    expect(problems).toContain('student.loss.type: weak-to-strong takes one of xent, logconf, product; got kd');
  });

  it('throws ConfigError with every problem from parseConfig', () => {
    expect(() => parseConfig({ kind: 'distillation', data: { labelledSize: 20000 } })).toThrow(ConfigError);
  });

  it('reads numeric ranges back from the schema for forms and messages', () => {
    expect(numericRange(['student', 'loss', 'temperature'])).toEqual([0.1, 50]);
    expect(numericRange(['supervisor', 'model', 'width'])).toEqual([1, 1024]);
    expect(numericRange(['data', 'dataset'])).toBeNull();
  });

  it('knows each shipped dataset exactly as its manifest describes it', () => {
    for (const info of Object.values(DATASETS)) {
      if (info.kind === 'toy') continue;
      const manifest = JSON.parse(readFileSync(path.join(PUBLIC_DIR, 'datasets', `${info.id}.json`), 'utf8')) as DatasetManifest;
      expect(manifest.splits.train.count, info.id).toBe(info.trainCount);
      expect(manifest.splits.test?.count ?? 0, info.id).toBe(info.testCount);
      expect(manifest.classes.length, info.id).toBe(info.numClasses);
      expect(manifest.featureShape, info.id).toEqual(info.featureShape);
      expect(manifest.kind).toBe(info.kind);
    }
    const ids: DatasetId[] = ['mnist', 'fashion-mnist'];
    for (const id of ids)
      for (const kind of DATASETS[id].encoders) expect(() => readFileSync(path.join(PUBLIC_DIR, 'models', `${id}-${kind}.json`))).not.toThrow();
  });

  it('accepts every preset', () => {
    for (const preset of PRESETS) expect(() => presetConfig(preset.id), preset.id).not.toThrow();
  });
});
