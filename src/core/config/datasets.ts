/**
 * The datasets the engine knows (counts must equal the manifests in public/datasets: a test checks it), and the
 * visitor's own data: a CSV file or drawn points that live in the browser only, named by a descriptor.
 */
import { z } from 'zod';

export type DatasetKind = 'image' | 'tabular' | 'toy' | 'text';

export interface DatasetInfo {
  id: string;
  name: string;
  kind: DatasetKind;
  /** Rows in the shipped training split (for toy data: an upper bound on what may be generated). */
  trainCount: number;
  /** Rows in the official test split; 0 when the test set is carved from the training rows. */
  testCount: number;
  numClasses: number;
  featureShape: number[];
  /** Pretrained encoders shipped for this dataset (public/models/<dataset>-<encoder>.json). */
  encoders: readonly EncoderKind[];
}

export const ENCODER_KINDS = ['supervised', 'autoencoder'] as const;
export type EncoderKind = (typeof ENCODER_KINDS)[number];

/** What each pretrained encoder is, in the words the UI and presets use. */
export const ENCODER_DESCRIPTIONS: Record<EncoderKind, string> = {
  supervised: "pretrained with labels on 20,000 other images: a stand-in for a large model's pretraining (it has the concept)",
  autoencoder: 'pretrained without labels (a denoising autoencoder) on the same 20,000 images: just as big, but without the concept',
};

const TOY_LIMIT = 20000;
export const DATASETS = {
  mnist: {
    id: 'mnist',
    name: 'MNIST digits',
    kind: 'image',
    trainCount: 10000,
    testCount: 2000,
    numClasses: 10,
    featureShape: [28, 28, 1],
    encoders: ENCODER_KINDS,
  },
  'fashion-mnist': {
    id: 'fashion-mnist',
    name: 'Fashion-MNIST',
    kind: 'image',
    trainCount: 10000,
    testCount: 2000,
    numClasses: 10,
    featureShape: [28, 28, 1],
    encoders: ENCODER_KINDS,
  },
  digits: { id: 'digits', name: '8x8 digits', kind: 'image', trainCount: 1797, testCount: 0, numClasses: 10, featureShape: [8, 8, 1], encoders: [] },
  'breast-cancer': {
    id: 'breast-cancer',
    name: 'Breast cancer (Wisconsin)',
    kind: 'tabular',
    trainCount: 569,
    testCount: 0,
    numClasses: 2,
    featureShape: [30],
    encoders: [],
  },
  wine: { id: 'wine', name: 'Wine', kind: 'tabular', trainCount: 178, testCount: 0, numClasses: 3, featureShape: [13], encoders: [] },
  penguins: { id: 'penguins', name: 'Palmer penguins', kind: 'tabular', trainCount: 342, testCount: 0, numClasses: 3, featureShape: [4], encoders: [] },
  moons: { id: 'moons', name: 'Two moons', kind: 'toy', trainCount: TOY_LIMIT, testCount: TOY_LIMIT, numClasses: 2, featureShape: [2], encoders: [] },
  circles: { id: 'circles', name: 'Circles', kind: 'toy', trainCount: TOY_LIMIT, testCount: TOY_LIMIT, numClasses: 2, featureShape: [2], encoders: [] },
  xor: { id: 'xor', name: 'XOR', kind: 'toy', trainCount: TOY_LIMIT, testCount: TOY_LIMIT, numClasses: 2, featureShape: [2], encoders: [] },
  spirals: { id: 'spirals', name: 'Two spirals', kind: 'toy', trainCount: TOY_LIMIT, testCount: TOY_LIMIT, numClasses: 2, featureShape: [2], encoders: [] },
  gaussians: {
    id: 'gaussians',
    name: 'Overlapping Gaussians',
    kind: 'toy',
    trainCount: TOY_LIMIT,
    testCount: TOY_LIMIT,
    numClasses: 3,
    featureShape: [2],
    encoders: [],
  },
} as const satisfies Record<string, DatasetInfo>;

export type DatasetId = keyof typeof DATASETS;
export const DATASET_IDS = Object.keys(DATASETS) as [DatasetId, ...DatasetId[]];

/**
 * Text corpora of the language experiments (public/datasets/<id>.txt, built by scripts/build-corpus.ts): training
 * rows are the characters of the students' part, test rows those of the held-out part, classes the alphabet, and an
 * example is the 32 characters before a position. Only language experiments offer them.
 */
export const CORPORA = {
  austen: {
    id: 'austen',
    name: "Jane Austen's novels",
    kind: 'text',
    trainCount: 433411,
    testCount: 466854,
    numClasses: 81,
    featureShape: [32],
    encoders: [],
  },
} as const satisfies Record<string, DatasetInfo>;
export type CorpusId = keyof typeof CORPORA;
export const CORPUS_IDS = Object.keys(CORPORA) as [CorpusId, ...CorpusId[]];

export const CUSTOM_DATASET = 'custom';
/** A shipped dataset, a corpus or the visitor's own. */
export type DataSource = DatasetId | CorpusId | typeof CUSTOM_DATASET;

/** The name a menu shows for a dataset or corpus id. */
export function sourceName(id: string): string {
  return (DATASETS as Record<string, DatasetInfo>)[id]?.name ?? (CORPORA as Record<string, DatasetInfo>)[id]?.name ?? id;
}

/** Limits on custom data, chosen to fit comfortably in a browser tab. */
export const CUSTOM_DATA_LIMITS = { bytes: 5 * 1024 * 1024, rows: 20000, minRows: 20, features: 1024, minClasses: 2, maxClasses: 50, nameLength: 200 } as const;

/** The config names the data (file name, SHA-256 of its bytes, label column, shape) so that a link says which file it needs. */
export const CustomDataSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(CUSTOM_DATA_LIMITS.nameLength)
    .describe('The file the data came from (it is never uploaded: only its name and hash travel in a link).'),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits')
    .describe("SHA-256 of the file's bytes."),
  label: z.string().max(CUSTOM_DATA_LIMITS.nameLength).describe('The column that holds the class labels; every other column is a numeric feature.'),
  rows: z.number().int().min(CUSTOM_DATA_LIMITS.minRows).max(CUSTOM_DATA_LIMITS.rows).describe('Data rows in the file.'),
  features: z.number().int().min(1).max(CUSTOM_DATA_LIMITS.features).describe('Feature columns.'),
  classes: z.number().int().min(CUSTOM_DATA_LIMITS.minClasses).max(CUSTOM_DATA_LIMITS.maxClasses).describe('Distinct labels.'),
});
export type CustomData = z.infer<typeof CustomDataSchema>;

/** What the cross-field checks need to know about a config's data, shipped or custom. */
export function datasetInfoOf(data: { dataset: DataSource; custom?: CustomData }): DatasetInfo {
  if (data.dataset in CORPORA) return CORPORA[data.dataset as CorpusId];
  if (data.dataset !== CUSTOM_DATASET) return DATASETS[data.dataset as DatasetId];
  const custom = data.custom;
  return {
    id: CUSTOM_DATASET,
    name: custom ? `your data "${custom.name}"` : 'your data',
    kind: 'tabular',
    trainCount: custom?.rows ?? 0,
    testCount: 0,
    numClasses: custom?.classes ?? 0,
    featureShape: [custom?.features ?? 0],
    encoders: [],
  };
}

/** The description of the visitor's own data that a config names, if any (a language experiment names a corpus instead). */
export function customOf(config: { data: object }): CustomData | undefined {
  return 'custom' in config.data ? (config.data as { custom?: CustomData }).custom : undefined;
}
