/** The on-disk format of public/datasets: <id>.bin holds the blocks a manifest <id>.json describes. */

export interface BlockSpec {
  offset: number;
  dtype: 'uint8' | 'float32';
  byteLength: number;
}

export interface SplitSpec {
  count: number;
  features: BlockSpec;
  labels: BlockSpec;
  classCounts: number[];
}

export interface DatasetManifest {
  formatVersion: 1;
  id: string;
  name: string;
  kind: 'image' | 'tabular';
  description: string;
  file: string;
  byteLength: number;
  sha256: string;
  featureShape: number[];
  featureNames: string[] | null;
  maxValue: number | null;
  classes: string[];
  splits: { train: SplitSpec; test?: SplitSpec };
  source: string;
  license: string;
}

interface DatasetIndexEntry {
  id: string;
  name: string;
  kind: 'image' | 'tabular';
  manifest: string;
  byteLength: number;
  classes: number;
  count: number;
}

export interface DatasetIndex {
  formatVersion: 1;
  datasets: DatasetIndexEntry[];
}
