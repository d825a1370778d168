/**
 * The visitor's own data inside the engine: its descriptor in the config, the check that the rows handed over
 * are the ones the config names, and fitting a config's split sizes and models to it. No DOM: the page, the
 * worker, the CLI and the tests share it.
 */
import { ModelSpecSchema } from '../config/blocks';
import { CUSTOM_DATA_LIMITS, CUSTOM_DATASET, datasetInfoOf, type CustomData } from '../config/datasets';
import { schemaAt } from '../config/introspect';
import { safeParseConfig } from '../config/read';
import type { ExperimentConfig } from '../config/schema';
import { specOf } from '../experiments/kinds';
import type { CustomRows } from './csv';
import { Sha256, toHex } from './sha256';
import type { Dataset } from './types';

export type { CustomRows } from './csv';

/** Bytes hashed between two yields when hashing without Web Crypto (a few milliseconds each). */
const HASH_SLICE = 256 * 1024;

/**
 * SHA-256 of bytes as 64 lowercase hex digits: Web Crypto where there is one (browsers, workers and Node), else
 * the project's own implementation (sha256.ts), in slices that leave the page responsive. A browser offers Web
 * Crypto only on https:// and localhost pages, so a site served over plain http on a LAN address has none.
 */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array | string): Promise<string> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    try {
      return toHex(new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>)));
    } catch {
      // Some contexts expose crypto.subtle but refuse to use it: hash by hand below.
    }
  }
  const hash = new Sha256();
  for (let offset = 0; offset < data.length; offset += HASH_SLICE) {
    if (offset > 0) await new Promise((resolve) => setTimeout(resolve, 0));
    hash.update(data.subarray(offset, offset + HASH_SLICE));
  }
  return toHex(hash.digest());
}

/**
 * A file's name as the config keeps it: control characters dropped, at most CUSTOM_DATA_LIMITS.nameLength
 * characters (a long name is cut in the middle, keeping its extension), never empty. The name only labels the
 * data (the hash identifies it), so shortening it loses nothing.
 */
export function customDataName(name: string): string {
  const max = CUSTOM_DATA_LIMITS.nameLength;
  const clean = String(name)
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  if (clean === '') return 'data.csv';
  if (clean.length <= max) return clean;
  const dot = clean.lastIndexOf('.');
  const extension = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  let head = clean.slice(0, max - extension.length - 1);
  // Never half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return `${head}…${extension}`;
}

/** The config's description of rows read from a file. */
export function describeCustomRows(rows: CustomRows, name: string): CustomData {
  return {
    name: customDataName(name),
    sha256: rows.sha256,
    label: rows.labelColumn,
    rows: rows.count,
    features: rows.featureNames.length,
    classes: rows.classNames.length,
  };
}

/** Whether an experiment of this kind can run on the visitor's own data (teacher hacking labels by its oracle). */
export function acceptsCustomData(kind: ExperimentConfig['kind']): boolean {
  return schemaAt(kind, ['data', 'dataset'])?.inner.safeParse(CUSTOM_DATASET).success ?? false;
}

/** Raised when a config names custom data that was not handed over, or other data than it names. */
export class CustomDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CustomDataError';
  }
}

/**
 * The handed-over rows as a dataset, after checking they are the data the config names. Features stay raw:
 * the splits standardise them with the training pool's statistics once the test rows are carved out.
 */
export function customDataset(descriptor: CustomData | undefined, rows: CustomRows | undefined): Dataset {
  if (!descriptor) throw new CustomDataError('data.dataset is "custom" but data.custom does not describe the data');
  const named = `"${descriptor.name}" (SHA-256 ${descriptor.sha256.slice(0, 12)}...)`;
  if (!rows)
    throw new CustomDataError(`This experiment needs your data file ${named}, which was not loaded; data never leaves the browser, so load the file again.`);
  if (rows.sha256 !== descriptor.sha256)
    throw new CustomDataError(`The data loaded (SHA-256 ${rows.sha256.slice(0, 12)}...) is not the file ${named} this experiment names.`);
  const width = rows.featureNames.length;
  if (
    rows.count !== descriptor.rows ||
    width !== descriptor.features ||
    rows.classNames.length !== descriptor.classes ||
    rows.labelColumn !== descriptor.label
  ) {
    throw new CustomDataError(
      `${named} read as ${rows.count} rows, ${width} features, ${rows.classNames.length} classes with label "${rows.labelColumn}"; the config says ${descriptor.rows}, ${descriptor.features}, ${descriptor.classes} with label "${descriptor.label}".`,
    );
  }
  if (rows.x.length !== rows.count * width || rows.y.length !== rows.count)
    throw new CustomDataError(`${named}: the feature or label arrays have the wrong length.`);
  for (let i = 0; i < rows.count; i++) {
    if (!(rows.y[i] >= 0 && rows.y[i] < descriptor.classes)) throw new CustomDataError(`${named}: row ${i} has label ${rows.y[i]}, not a class index.`);
  }
  return {
    id: CUSTOM_DATASET,
    name: descriptor.name,
    kind: 'tabular',
    featureShape: [width],
    classNames: rows.classNames,
    train: { x: rows.x, y: rows.y, count: rows.count },
    test: null,
  };
}

const TEST_SHARE = 0.2;
const VALIDATION_SHARE = 0.1;

/**
 * A config switched to the given custom data: split sizes shrunk (proportionally) to fit its rows, test and
 * validation set to a fifth and a tenth of them, and models that need images or a pretrained encoder replaced
 * by an MLP. Returns the new config (valid unless `problems` says otherwise) and each change in words.
 */
export function fitConfigToCustomData<C extends ExperimentConfig>(config: C, descriptor: CustomData): { config: C; changes: string[]; problems: string[] } {
  if (!acceptsCustomData(config.kind)) {
    return {
      config,
      changes: [],
      problems: [
        `the ${config.kind} experiment cannot run on your own data: it takes only the shipped and generated datasets (its labels come from its own oracle network). Choose another experiment first, weak-to-strong for instance.`,
      ],
    };
  }
  const next = structuredClone(config);
  const changes: string[] = [];
  const data = next.data as Record<string, unknown> & ExperimentConfig['data'];
  data.dataset = CUSTOM_DATASET;
  data.custom = { ...descriptor };

  const rows = descriptor.rows;
  const testSize = Math.max(10, Math.round(TEST_SHARE * rows));
  const asked = typeof data.validationSize === 'number' ? data.validationSize : 0;
  const validationSize = asked > 0 ? Math.max(1, Math.min(asked, Math.round(VALIDATION_SHARE * rows))) : 0;
  const spec = specOf(next.kind);
  const { parts } = spec.rowsNeeded(next);
  const summed = parts.split(' + ').filter((key) => key !== 'validationSize' && typeof data[key] === 'number');
  const available = rows - testSize - validationSize;
  const total = summed.reduce((sum, key) => sum + (data[key] as number), 0);
  const set = (key: string, value: number) => {
    if (data[key] !== value) changes.push(`${key} ${String(data[key])} -> ${value}`);
    data[key] = value;
  };
  set('testSize', testSize);
  set('validationSize', validationSize);
  if (total > available) {
    const factor = available / total;
    const sizes = summed.map((key) => Math.max(2, Math.floor((data[key] as number) * factor)));
    // No split shrinks below 15% of the rows available (a supervisor on two examples teaches nothing); the
    // largest split gives up what that costs.
    const floor = Math.max(2, Math.floor(0.15 * available));
    summed.forEach((key, i) => (sizes[i] = Math.max(sizes[i], Math.min(floor, data[key] as number))));
    const excess = sizes.reduce((sum, size) => sum + size, 0) - available;
    if (excess > 0) {
      const largest = sizes.indexOf(Math.max(...sizes));
      sizes[largest] = Math.max(2, sizes[largest] - excess);
    }
    summed.forEach((key, i) => set(key, sizes[i]));
    // A labelled subset of the training rows (distillation) shrinks with them.
    if (typeof data.labelledSize === 'number' && typeof data.trainSize === 'number' && data.labelledSize > data.trainSize) {
      set('labelledSize', Math.max(1, Math.min(data.trainSize, Math.floor(data.labelledSize * factor))));
    }
  }

  for (const { path, model } of spec.models(next, datasetInfoOf(next.data))) {
    if (model.type !== 'cnn' && model.type !== 'pretrained') continue;
    let parent = next as unknown as Record<string, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
    parent[path[path.length - 1]] = ModelSpecSchema.parse({ type: 'mlp' });
    changes.push(
      `${path.join('.')}: ${model.type === 'cnn' ? 'a CNN needs images' : 'pretrained encoders ship only for MNIST and Fashion-MNIST'}; replaced by an MLP`,
    );
  }

  // The kind's own settings (a synthetic supervisor's rule, a rewarded class, coarse groups) must make sense on the new data.
  changes.push(...(spec.fitToData?.(next, datasetInfoOf(next.data)) ?? []));

  const checked = safeParseConfig(next);
  return checked.ok ? { config: checked.config as C, changes, problems: [] } : { config: next, changes, problems: checked.problems };
}
