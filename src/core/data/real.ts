/** Loads a shipped dataset (public/datasets/<id>.json + .bin) into memory. */
import type { AssetSource } from '../assets';
import type { DatasetManifest, SplitSpec } from './manifest';
import type { Dataset, LabelledSet } from './types';
import { featureSize } from './types';

export async function loadManifest(id: string, source: AssetSource): Promise<DatasetManifest> {
  const manifest = (await source.json(`datasets/${id}.json`)) as DatasetManifest;
  if (manifest?.formatVersion !== 1 || manifest.id !== id) {
    throw new Error(`datasets/${id}.json is not a version-1 manifest for "${id}"`);
  }
  return manifest;
}

function readSplit(buffer: ArrayBuffer, spec: SplitSpec, manifest: DatasetManifest): LabelledSet {
  const size = featureSize(manifest.featureShape);
  const n = spec.count;
  const x = new Float32Array(n * size);
  if (spec.features.dtype === 'uint8') {
    const raw = new Uint8Array(buffer, spec.features.offset, n * size);
    const scale = 1 / (manifest.maxValue ?? 255);
    for (let i = 0; i < raw.length; i++) x[i] = raw[i] * scale;
  } else {
    x.set(new Float32Array(buffer, spec.features.offset, n * size));
  }
  const labels = new Uint8Array(buffer, spec.labels.offset, n);
  const y = Int32Array.from(labels);
  for (let i = 0; i < n; i++) {
    if (y[i] >= manifest.classes.length) throw new Error(`${manifest.id}: label ${y[i]} at row ${i} is not a class index`);
  }
  return { x, y, count: n };
}

/** Standardises tabular columns with the training split's mean and standard deviation. */
export function standardise(train: LabelledSet, others: (LabelledSet | null)[], size: number): void {
  for (let column = 0; column < size; column++) {
    let mean = 0;
    for (let i = 0; i < train.count; i++) mean += train.x[i * size + column];
    mean /= train.count;
    let variance = 0;
    for (let i = 0; i < train.count; i++) variance += (train.x[i * size + column] - mean) ** 2;
    const scale = 1 / (Math.sqrt(variance / train.count) || 1);
    for (const set of [train, ...others]) {
      if (!set) continue;
      for (let i = 0; i < set.count; i++) set.x[i * size + column] = (set.x[i * size + column] - mean) * scale;
    }
  }
}

export async function loadRealDataset(id: string, source: AssetSource): Promise<Dataset> {
  const manifest = await loadManifest(id, source);
  const buffer = await source.binary(`datasets/${manifest.file}`);
  if (buffer.byteLength !== manifest.byteLength) {
    throw new Error(`datasets/${manifest.file}: expected ${manifest.byteLength} bytes, got ${buffer.byteLength}`);
  }
  const train = readSplit(buffer, manifest.splits.train, manifest);
  const test = manifest.splits.test ? readSplit(buffer, manifest.splits.test, manifest) : null;
  if (manifest.kind === 'tabular') standardise(train, [test], featureSize(manifest.featureShape));
  return { id, name: manifest.name, kind: manifest.kind, featureShape: manifest.featureShape, classNames: manifest.classes, train, test };
}
