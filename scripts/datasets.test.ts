// Checks the committed files in public/datasets/ against their manifests.
// Needs none of the raw sources (those are only for scripts/build-datasets.ts).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BlockSpec, DatasetIndex, DatasetManifest, SplitSpec } from '../src/core/data/manifest';

const DATASETS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'datasets');

// The manifest format has one home: src/core/data/manifest.ts, which the loader reads too.
type Block = BlockSpec;
type Manifest = Omit<DatasetManifest, 'splits'> & { splits: Record<string, SplitSpec> };

const MANIFEST_KEYS = [
  'formatVersion',
  'id',
  'name',
  'kind',
  'description',
  'file',
  'byteLength',
  'sha256',
  'featureShape',
  'featureNames',
  'maxValue',
  'classes',
  'splits',
  'source',
  'license',
];

const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(DATASETS_DIR, file), 'utf8')) as T;

const index = readJson<DatasetIndex>('index.json');

describe('public/datasets/index.json', () => {
  it('lists the datasets in the expected order', () => {
    expect(index.formatVersion).toBe(1);
    expect(index.datasets.map((d) => d.id)).toEqual(['mnist', 'fashion-mnist', 'digits', 'breast-cancer', 'wine', 'penguins']);
  });
});

describe.each(index.datasets)('dataset $id', (entry) => {
  const manifest = readJson<Manifest>(entry.manifest);
  const bin = new Uint8Array(readFileSync(join(DATASETS_DIR, manifest.file)));
  const splits = Object.entries(manifest.splits);
  const perExample = manifest.featureShape.reduce((a, b) => a * b, 1);

  it('has a manifest consistent with index.json', () => {
    expect(Object.keys(manifest)).toEqual(MANIFEST_KEYS);
    expect(manifest.formatVersion).toBe(1);
    expect(manifest.id).toBe(entry.id);
    expect(manifest.file).toBe(`${entry.id}.bin`);
    expect(manifest.name).toBe(entry.name);
    expect(manifest.kind).toBe(entry.kind);
    expect(manifest.byteLength).toBe(entry.byteLength);
    expect(manifest.classes.length).toBe(entry.classes);
    expect(splits.reduce((n, [, s]) => n + s.count, 0)).toBe(entry.count);
    expect(Object.keys(manifest.splits)[0]).toBe('train');
    for (const name of Object.keys(manifest.splits)) expect(['train', 'test']).toContain(name);
    expect(manifest.source).not.toBe('');
    expect(manifest.license).not.toBe('');
  });

  it('has a .bin matching the manifest byteLength and sha256', () => {
    expect(bin.byteLength).toBe(manifest.byteLength);
    expect(createHash('sha256').update(bin).digest('hex')).toBe(manifest.sha256);
  });

  it('has aligned, in-bounds, non-overlapping blocks of the right size', () => {
    const featureDtype = manifest.kind === 'image' ? 'uint8' : 'float32';
    const bytesPerValue = featureDtype === 'uint8' ? 1 : 4;
    const blocks: Block[] = [];
    for (const [, split] of splits) {
      expect(split.features.dtype).toBe(featureDtype);
      expect(split.features.byteLength).toBe(split.count * perExample * bytesPerValue);
      expect(split.labels.dtype).toBe('uint8');
      expect(split.labels.byteLength).toBe(split.count);
      blocks.push(split.features, split.labels);
    }
    for (const block of blocks) {
      expect(block.offset % 4).toBe(0);
      expect(block.offset).toBeGreaterThanOrEqual(0);
      expect(block.offset + block.byteLength).toBeLessThanOrEqual(bin.byteLength);
    }
    const sorted = [...blocks].sort((a, b) => a.offset - b.offset);
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i]!.offset).toBeGreaterThanOrEqual(sorted[i - 1]!.offset + sorted[i - 1]!.byteLength);
    }
    // Padding between and after blocks is zero.
    let end = 0;
    for (const block of [...sorted, { offset: bin.byteLength, byteLength: 0 }]) {
      expect(bin.subarray(end, block.offset).every((b) => b === 0)).toBe(true);
      end = block.offset + block.byteLength;
    }
  });

  it('has labels in range with classCounts equal to the label histogram', () => {
    for (const [, split] of splits) {
      const labels = bin.subarray(split.labels.offset, split.labels.offset + split.labels.byteLength);
      const histogram = new Array<number>(manifest.classes.length).fill(0);
      for (const label of labels) {
        expect(label).toBeLessThan(manifest.classes.length);
        histogram[label]!++;
      }
      expect(split.classCounts).toEqual(histogram);
      expect(split.classCounts.reduce((a, b) => a + b, 0)).toBe(split.count);
    }
  });

  it('has valid feature values', () => {
    for (const [, split] of splits) {
      const { offset, byteLength } = split.features;
      if (manifest.kind === 'tabular') {
        expect(manifest.featureShape).toHaveLength(1);
        expect(manifest.featureNames).toHaveLength(manifest.featureShape[0]!);
        expect(manifest.maxValue).toBeNull();
        const view = new DataView(bin.buffer, bin.byteOffset + offset, byteLength);
        let allFinite = true;
        for (let i = 0; i < byteLength; i += 4) allFinite &&= Number.isFinite(view.getFloat32(i, true));
        expect(allFinite).toBe(true);
      } else {
        expect(manifest.featureShape).toHaveLength(3);
        expect(manifest.featureNames).toBeNull();
        const pixels = bin.subarray(offset, offset + byteLength);
        expect(pixels.reduce((m, p) => Math.max(m, p), 0)).toBeLessThanOrEqual(manifest.maxValue!);
      }
    }
  });
});

describe('specific datasets', () => {
  const manifest = (id: string) => readJson<Manifest>(`${id}.json`);

  it.each(['mnist', 'fashion-mnist'])('%s ships the first 10000 train and 2000 test rows as 28x28x1', (id) => {
    const m = manifest(id);
    expect(m.featureShape).toEqual([28, 28, 1]);
    expect(m.maxValue).toBe(255);
    expect(m.splits.train!.count).toBe(10_000);
    expect(m.splits.test!.count).toBe(2_000);
    expect(m.classes).toHaveLength(10);
  });

  it('digits is 1797 8x8 images with values 0..16 and a train split only', () => {
    const m = manifest('digits');
    expect(m.featureShape).toEqual([8, 8, 1]);
    expect(m.maxValue).toBe(16);
    expect(Object.keys(m.splits)).toEqual(['train']);
    expect(m.splits.train!.count).toBe(1797);
  });

  it.each([
    ['breast-cancer', 30, 569, ['malignant', 'benign']],
    ['wine', 13, 178, ['class_0', 'class_1', 'class_2']],
    ['penguins', 4, 342, ['Adelie', 'Chinstrap', 'Gentoo']],
  ] as const)('%s has %i features and %i rows', (id, features, rows, classes) => {
    const m = manifest(id);
    expect(m.featureShape).toEqual([features]);
    expect(m.splits.train!.count).toBe(rows);
    expect(Object.keys(m.splits)).toEqual(['train']);
    expect(m.classes).toEqual(classes);
  });
});
