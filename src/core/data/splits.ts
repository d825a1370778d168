/**
 * Turns a config's data section into the experiment's splits. Every random choice draws from `rng`,
 * so the same seed gives the same examples in the same order.
 */
import type { AssetSource } from '../assets';
import { CUSTOM_DATASET, DATASETS, type CustomData, type DataSource } from '../config/datasets';
import { createRng, permutation, type Rng } from '../rng';
import { customDataset, type CustomRows } from './custom';
import { loadRealDataset, standardise } from './real';
import { generateToy, isToyDataset, TOY_CLASSES } from './toy';
import { featureSize, takeRows, type Dataset, type LabelledSet } from './types';

export interface SplitRequest {
  dataset: DataSource;
  noise: number;
  testSize: number;
  /** Named training splits, drawn in this order from one permutation of the training pool. */
  parts: { name: string; size: number }[];
  /** For dataset "custom": the config's description of the data, and the rows themselves. */
  custom?: CustomData;
  customRows?: CustomRows;
}

export interface ExperimentData {
  datasetId: DataSource;
  name: string;
  kind: Dataset['kind'];
  featureShape: number[];
  featureSize: number;
  classNames: string[];
  test: LabelledSet;
  parts: Record<string, LabelledSet>;
}

const datasetCache = new Map<string, Promise<Dataset>>();

/** Loads (once per source and id) a shipped dataset. */
export function loadDatasetCached(id: string, source: AssetSource): Promise<Dataset> {
  const key = id;
  let entry = datasetCache.get(key);
  if (!entry) {
    entry = loadRealDataset(id, source);
    entry.catch(() => datasetCache.delete(key));
    datasetCache.set(key, entry);
  }
  return entry;
}

export async function buildSplits(request: SplitRequest, seed: number, source: AssetSource): Promise<ExperimentData> {
  const rng: Rng = createRng(seed).fork('data');
  const needed = request.parts.reduce((sum, part) => sum + part.size, 0);
  let pool: LabelledSet;
  let test: LabelledSet;
  let dataset: Pick<Dataset, 'name' | 'kind' | 'featureShape' | 'classNames'>;

  if (isToyDataset(request.dataset)) {
    pool = generateToy(request.dataset, needed, request.noise, rng.fork('train'));
    test = generateToy(request.dataset, request.testSize, request.noise, rng.fork('test'));
    const classNames = Array.from({ length: TOY_CLASSES[request.dataset] }, (_, i) => `class ${i}`);
    dataset = { name: DATASETS[request.dataset].name, kind: 'toy', featureShape: [2], classNames };
  } else {
    const custom = request.dataset === CUSTOM_DATASET;
    const loaded = custom ? customDataset(request.custom, request.customRows) : await loadDatasetCached(request.dataset, source);
    dataset = loaded;
    const size = featureSize(loaded.featureShape);
    if (loaded.test) {
      // The official test split: its first rows, as shipped.
      const rows = Math.min(request.testSize, loaded.test.count);
      test = takeRows(
        loaded.test,
        Int32Array.from({ length: rows }, (_, i) => i),
        size,
      );
      pool = loaded.train;
    } else {
      // No official test split: carve one from a seeded permutation, the rest is the training pool.
      const order = permutation(loaded.train.count, rng.fork('test-carve'));
      test = takeRows(loaded.train, order.subarray(0, request.testSize), size);
      pool = takeRows(loaded.train, order.subarray(request.testSize), size);
    }
    // Custom features are standardised like the shipped tabular sets, with statistics of the training rows only.
    if (custom) standardise(pool, [test], size);
  }

  const size = featureSize(dataset.featureShape);
  if (needed > pool.count) {
    throw new Error(`${dataset.name}: the splits need ${needed} training examples but only ${pool.count} are available`);
  }
  const order = permutation(pool.count, rng.fork('parts'));
  const parts: Record<string, LabelledSet> = {};
  let start = 0;
  for (const part of request.parts) {
    parts[part.name] = takeRows(pool, order.subarray(start, start + part.size), size);
    start += part.size;
  }
  return {
    datasetId: request.dataset,
    name: dataset.name,
    kind: dataset.kind,
    featureShape: dataset.featureShape,
    featureSize: size,
    classNames: dataset.classNames,
    test,
    parts,
  };
}
