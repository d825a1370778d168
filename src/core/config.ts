/**
 * ExperimentConfig: the one description of everything that decides a result.
 * The schema holds the types, defaults, allowed ranges and help text; the CLI, the worker, the URL codec
 * and the form all read it from here.
 */
import { z } from 'zod';

export const CONFIG_VERSION = 1;

// ---------------------------------------------------------------------------------------------------------
// Datasets known to the engine. Counts must equal the manifests in public/datasets (a test checks it).

export type DatasetKind = 'image' | 'tabular' | 'toy';

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
  mnist: { id: 'mnist', name: 'MNIST digits', kind: 'image', trainCount: 10000, testCount: 2000, numClasses: 10, featureShape: [28, 28, 1], encoders: ENCODER_KINDS },
  'fashion-mnist': { id: 'fashion-mnist', name: 'Fashion-MNIST', kind: 'image', trainCount: 10000, testCount: 2000, numClasses: 10, featureShape: [28, 28, 1], encoders: ENCODER_KINDS },
  digits: { id: 'digits', name: '8x8 digits', kind: 'image', trainCount: 1797, testCount: 0, numClasses: 10, featureShape: [8, 8, 1], encoders: [] },
  'breast-cancer': { id: 'breast-cancer', name: 'Breast cancer (Wisconsin)', kind: 'tabular', trainCount: 569, testCount: 0, numClasses: 2, featureShape: [30], encoders: [] },
  wine: { id: 'wine', name: 'Wine', kind: 'tabular', trainCount: 178, testCount: 0, numClasses: 3, featureShape: [13], encoders: [] },
  penguins: { id: 'penguins', name: 'Palmer penguins', kind: 'tabular', trainCount: 342, testCount: 0, numClasses: 3, featureShape: [4], encoders: [] },
  moons: { id: 'moons', name: 'Two moons', kind: 'toy', trainCount: TOY_LIMIT, testCount: TOY_LIMIT, numClasses: 2, featureShape: [2], encoders: [] },
  circles: { id: 'circles', name: 'Circles', kind: 'toy', trainCount: TOY_LIMIT, testCount: TOY_LIMIT, numClasses: 2, featureShape: [2], encoders: [] },
  xor: { id: 'xor', name: 'XOR', kind: 'toy', trainCount: TOY_LIMIT, testCount: TOY_LIMIT, numClasses: 2, featureShape: [2], encoders: [] },
  spirals: { id: 'spirals', name: 'Two spirals', kind: 'toy', trainCount: TOY_LIMIT, testCount: TOY_LIMIT, numClasses: 2, featureShape: [2], encoders: [] },
  gaussians: { id: 'gaussians', name: 'Overlapping Gaussians', kind: 'toy', trainCount: TOY_LIMIT, testCount: TOY_LIMIT, numClasses: 3, featureShape: [2], encoders: [] },
} as const satisfies Record<string, DatasetInfo>;

export type DatasetId = keyof typeof DATASETS;
export const DATASET_IDS = Object.keys(DATASETS) as [DatasetId, ...DatasetId[]];

export function datasetInfo(id: DatasetId): DatasetInfo {
  return DATASETS[id];
}

// ---------------------------------------------------------------------------------------------------------
// The visitor's own data: a CSV file or drawn points that live in the browser only. The config names the data
// (file name, SHA-256 of its bytes, label column, shape) so that a link says which file it needs.

export const CUSTOM_DATASET = 'custom';
/** A shipped dataset or the visitor's own. */
export type DataSource = DatasetId | typeof CUSTOM_DATASET;

/** Limits on custom data, chosen to fit comfortably in a browser tab. */
export const CUSTOM_DATA_LIMITS = { bytes: 5 * 1024 * 1024, rows: 20000, minRows: 20, features: 1024, minClasses: 2, maxClasses: 50, nameLength: 200 } as const;

export const CustomDataSchema = z.object({
  name: z.string().min(1).max(CUSTOM_DATA_LIMITS.nameLength).describe('The file the data came from (it is never uploaded: only its name and hash travel in a link).'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits').describe('SHA-256 of the file\'s bytes.'),
  label: z.string().max(CUSTOM_DATA_LIMITS.nameLength).describe('The column that holds the class labels; every other column is a numeric feature.'),
  rows: z.number().int().min(CUSTOM_DATA_LIMITS.minRows).max(CUSTOM_DATA_LIMITS.rows).describe('Data rows in the file.'),
  features: z.number().int().min(1).max(CUSTOM_DATA_LIMITS.features).describe('Feature columns.'),
  classes: z.number().int().min(CUSTOM_DATA_LIMITS.minClasses).max(CUSTOM_DATA_LIMITS.maxClasses).describe('Distinct labels.'),
});
export type CustomData = z.infer<typeof CustomDataSchema>;

/** What the cross-field checks need to know about a config's data, shipped or custom. */
export function datasetInfoOf(data: { dataset: DataSource; custom?: CustomData }): DatasetInfo {
  if (data.dataset !== CUSTOM_DATASET) return DATASETS[data.dataset];
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

// ---------------------------------------------------------------------------------------------------------
// Building blocks

const int = (min: number, max: number, fallback: number, help: string) =>
  z.number().int().min(min).max(max).default(fallback).describe(help);
const num = (min: number, max: number, fallback: number, help: string) =>
  z.number().min(min).max(max).default(fallback).describe(help);

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu'] as const;

const MlpSpecSchema = z.object({
  type: z.literal('mlp').describe('A fully connected network trained from scratch.'),
  width: int(1, 1024, 64, 'Units in each hidden layer.'),
  depth: int(1, 4, 1, 'Number of hidden layers.'),
  activation: z.enum(ACTIVATIONS).default('relu').describe('Non-linearity after each hidden layer.'),
  dropout: num(0, 0.8, 0, 'Fraction of hidden units dropped at each training step.'),
});

export const ModelSpecSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('linear').describe('Logistic regression on the raw features.'),
  }),
  MlpSpecSchema,
  z.object({
    type: z.literal('cnn').describe('A small convolutional network for images, trained from scratch.'),
    filters: int(2, 64, 8, 'Filters in the first convolution (the second has twice as many).'),
    denseWidth: int(0, 256, 0, 'Units in a dense layer before the output (0: none).'),
  }),
  z.object({
    type: z.literal('pretrained').describe('A pretrained encoder (784-256-64) with a probe on top: the strong student.'),
    encoder: z
      .enum(ENCODER_KINDS)
      .default('supervised')
      .describe(`supervised: ${ENCODER_DESCRIPTIONS.supervised}; autoencoder: ${ENCODER_DESCRIPTIONS.autoencoder}.`),
    mode: z.enum(['frozen', 'finetune']).default('frozen').describe('frozen: only the probe trains; finetune: the encoder trains too.'),
    head: z.enum(['linear', 'mlp']).default('linear').describe('The probe on the 64 encoder features.'),
    headWidth: int(1, 512, 64, 'Hidden units of an MLP probe.'),
  }),
]);
export type ModelSpec = z.infer<typeof ModelSpecSchema>;

export const TrainSpecSchema = z.object({
  optimizer: z.enum(['adam', 'sgd']).default('adam').describe('Adam, or SGD with momentum.'),
  learningRate: num(1e-5, 1, 1e-3, 'Step size of the optimizer.'),
  schedule: z.enum(['constant', 'cosine']).default('constant').describe('Learning rate over training: constant, or cosine decay to zero.'),
  weightDecay: num(0, 0.1, 0, 'Decoupled weight decay on weight matrices (not biases).'),
  momentum: num(0, 0.99, 0.9, 'Momentum of SGD (ignored by Adam).'),
  batchSize: int(1, 1024, 64, 'Examples per training step.'),
  epochs: int(1, 500, 5, 'Passes over the training set.'),
  evalEvery: int(1, 10000, 20, 'Steps between measurements (loss, accuracy, checkpoint).'),
  patience: int(0, 1000, 0, 'Early stopping: measurements without improvement on the validation split before stopping (0: off).'),
});
export type TrainSpec = z.infer<typeof TrainSpecSchema>;

export const LossSpecSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('xent').describe('Cross-entropy with the (soft or hard) labels.') }),
  z.object({
    type: z.literal('logconf').describe('Auxiliary confidence loss (Burns et al.): mixes the student\'s own hardened predictions into the target.'),
    aMax: num(0, 1, 0.5, 'Final weight of the student\'s own hardened predictions.'),
    warmup: num(0, 1, 0.2, 'Fraction of training over which the weight ramps up.'),
    schedule: z.enum(['paper', 'released']).default('paper').describe('paper: linear ramp to aMax; released: the openai code\'s ramp to aMax*warmup, then a jump to aMax.'),
  }),
  z.object({
    type: z.literal('product').describe('Product loss: target proportional to p^b * y^a.'),
    a: num(0, 5, 1, 'Exponent of the supervisor\'s labels.'),
    b: num(0, 5, 1, 'Exponent of the student\'s own predictions.'),
  }),
  z.object({
    type: z.literal('kd').describe('Hinton distillation: forward KL to the teacher at temperature T, mixed with cross-entropy on true labels.'),
    temperature: num(0.1, 50, 4, 'Softmax temperature T for teacher and student.'),
    alpha: num(0, 1, 0.9, 'Weight of the teacher term on labelled examples (unlabelled ones use the teacher alone).'),
  }),
  z.object({
    type: z.literal('reverse-kl').describe('Reverse KL(student || teacher): mode-seeking.'),
    temperature: num(0.1, 50, 4, 'Softmax temperature T.'),
    alpha: num(0, 1, 0.9, 'Weight of the teacher term on labelled examples.'),
  }),
  z.object({
    type: z.literal('taid').describe('TAID: the target moves from the student towards the teacher during training.'),
    tStart: num(0, 1, 0.4, 'Interpolation parameter t at the start.'),
    tEnd: num(0, 1, 1, 'Interpolation parameter t at the end.'),
    alphaT: num(0, 0.1, 5e-4, 'Step size of the adaptive update of t.'),
    beta: num(0, 0.9999, 0.99, 'Momentum of the relative loss change.'),
    alpha: num(0, 1, 0.9, 'Weight of the teacher term on labelled examples.'),
  }),
]);
export type LossSpec = z.infer<typeof LossSpecSchema>;
export type LossType = LossSpec['type'];
export const W2S_LOSSES = ['xent', 'logconf', 'product'] as const satisfies readonly LossType[];
export const KD_LOSSES = ['kd', 'reverse-kl', 'taid'] as const satisfies readonly LossType[];

const RoleSchema = z.object({
  model: ModelSpecSchema.prefault({ type: 'linear' }),
  train: TrainSpecSchema.prefault({}),
});
export type Role = z.infer<typeof RoleSchema>;

const StudentRoleSchema = RoleSchema.extend({
  loss: LossSpecSchema.prefault({ type: 'xent' }),
});

const sizes = {
  dataset: z.enum([...DATASET_IDS, CUSTOM_DATASET]).default('mnist').describe('The data every model trains and is scored on.'),
  custom: CustomDataSchema.optional().describe('Your own data (when dataset is "custom"): which file, and its shape.'),
  validationSize: int(0, 5000, 500, 'Held-out training examples for checkpoint choice and early stopping (labelled by the supervisor for the student).'),
  testSize: int(10, 20000, 2000, 'Test examples with ground truth that score every model (capped by the official test split).'),
  noise: num(0, 1, 0.2, 'Noise of generated 2-D data (ignored for real datasets).'),
};

const seedField = () => int(0, 2 ** 31 - 1, 1, 'Seed for data, splits, initialisation and shuffling.');
const versionField = () => z.literal(CONFIG_VERSION).default(CONFIG_VERSION);

const w2sData = () =>
  z
    .object({
      ...sizes,
      supervisorSize: int(2, 20000, 100, 'Split A: examples with ground truth for the weak supervisor.'),
      transferSize: int(2, 20000, 5000, 'Split B: examples the supervisor labels for the student (the ceiling sees their ground truth).'),
    })
    .prefault({});

const weakLabelsField = () =>
  z
    .object({
      kind: z.enum(['soft', 'hard']).default('soft').describe('soft: the supervisor\'s probabilities; hard: its argmax.'),
      temperature: num(0.1, 10, 1, 'Temperature applied to the supervisor\'s logits before the softmax.'),
    })
    .prefault({});

/**
 * Where the weak labels come from: a trained model, or a labelling rule with errors of a known kind and rate
 * (a synthetic supervisor). A rule labels the transfer set, the validation split and the test set alike, and
 * always gives hard labels.
 */
export const SupervisorSourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('trained').describe('A model trained with ground truth on split A (the model and training settings below).') }),
  z.object({
    type: z.literal('flips').describe('No model: the truth with a share of labels, chosen at random, replaced by another class drawn at random. Random errors: hard labels.'),
    rate: num(0, 1, 0.3, 'Share of examples whose label is flipped to another class.'),
  }),
  z.object({
    type: z.literal('systematic').describe('No model: the truth, except that classes 0 to classes-1 are always labelled as the next class (0 as 1, 1 as 2, ...). Systematic errors: hard labels.'),
    classes: int(1, 9, 1, 'How many classes are always mislabelled (class c as c+1), starting from class 0.'),
  }),
  z.object({
    type: z.literal('region').describe('No model, 2-D data only: the truth, except in a half-plane of input space (a seeded direction) where every point gets the next class. Systematic errors: hard labels.'),
    share: num(0, 1, 0.3, 'Share of the transfer set that falls in the mislabelled half-plane (its error rate).'),
  }),
]);
export type SupervisorSource = z.infer<typeof SupervisorSourceSchema>;

const WeakToStrongSchema = z.object({
  version: versionField(),
  kind: z.literal('weak-to-strong'),
  seed: seedField(),
  data: w2sData(),
  weakLabels: weakLabelsField(),
  supervisor: RoleSchema.extend({
    source: SupervisorSourceSchema.prefault({ type: 'trained' }).describe('Where the weak labels come from: a trained model (default) or a rule with known errors.'),
  }).prefault({}),
  student: StudentRoleSchema.prefault({}),
});

const kdData = () =>
  z
    .object({
      ...sizes,
      trainSize: int(2, 20000, 5000, 'Training images: the teacher learns them with ground truth, the student is distilled on all of them.'),
      labelledSize: int(1, 20000, 1000, 'Of those, how many carry ground truth for the student (its baseline trains on these alone).'),
    })
    .prefault({});

const DistillationSchema = z.object({
  version: versionField(),
  kind: z.literal('distillation'),
  seed: seedField(),
  data: kdData(),
  teacher: RoleSchema.prefault({}),
  student: StudentRoleSchema.prefault({ loss: { type: 'kd' } }),
});

/** Bootstrapping (Burns et al. 2023): weak -> link 1 -> ... -> student, each trained on the previous one's labels. */
const BootstrapSchema = z.object({
  version: versionField(),
  kind: z.literal('bootstrap'),
  seed: seedField(),
  data: w2sData(),
  weakLabels: weakLabelsField(),
  supervisor: RoleSchema.prefault({}),
  /** Intermediate models between the supervisor and the final student, smallest first. */
  chain: z
    .array(RoleSchema)
    .min(1)
    .max(3)
    .prefault([{}])
    .describe('Intermediate students (1 to 3), smallest first: each is trained on split B with the previous model\'s labels (soft or hard as weakLabels says) and labels the next.'),
  /** The chain's end; the ceiling and the direct student are the same model trained on truth and on the weak labels. */
  student: StudentRoleSchema.prefault({}).describe('The final, largest model: the chain\'s end. Its loss trains every link and the direct student too.'),
});

/** The same weak-to-strong pair trained with xent, the auxiliary confidence loss and the product loss. */
const LossStudySchema = z.object({
  version: versionField(),
  kind: z.literal('loss-study'),
  seed: seedField(),
  data: w2sData(),
  weakLabels: weakLabelsField(),
  supervisor: RoleSchema.prefault({}),
  student: RoleSchema.prefault({}),
  logconf: z
    .object({
      aMax: num(0, 1, 0.5, 'Final weight of the student\'s own hardened predictions.'),
      warmup: num(0, 1, 0.2, 'Fraction of training over which the weight ramps up.'),
      schedule: z.enum(['paper', 'released']).default('paper').describe('paper: linear ramp to aMax; released: the openai code\'s ramp to aMax*warmup, then a jump to aMax.'),
    })
    .prefault({}),
  product: z
    .object({
      a: num(0, 5, 1, 'Exponent of the supervisor\'s labels.'),
      b: num(0, 5, 1, 'Exponent of the student\'s own predictions.'),
    })
    .prefault({}),
});

/** Forward KL, reverse KL and TAID against one teacher, and a temperature sweep of forward KL. */
const KdVariantsSchema = z.object({
  version: versionField(),
  kind: z.literal('kd-variants'),
  seed: seedField(),
  data: kdData(),
  teacher: RoleSchema.prefault({}),
  student: RoleSchema.prefault({}),
  temperature: num(0.1, 50, 4, 'Softmax temperature T of forward and reverse KL.'),
  alpha: num(0, 1, 0.9, 'Weight of the teacher term on labelled examples (unlabelled ones use the teacher alone).'),
  taid: z
    .object({
      tStart: num(0, 1, 0.4, 'Interpolation parameter t at the start.'),
      tEnd: num(0, 1, 1, 'Interpolation parameter t at the end.'),
      alphaT: num(0, 0.1, 5e-4, 'Step size of the adaptive update of t.'),
      beta: num(0, 0.9999, 0.99, 'Momentum of the relative loss change.'),
    })
    .prefault({}),
  temperatureSweep: z.array(num(0.1, 50, 1, 'A temperature of the sweep.')).max(6).default([1, 2, 4, 8]).describe('Temperatures at which forward-KL students are distilled for the accuracy-against-T plot (empty: no sweep).'),
});

/**
 * A frozen random teacher; a student of the same architecture trained without labels to match the teacher's
 * output distribution; linear probes of both on their last hidden layer (Sarnthein et al. 2023).
 */
const RandomTeacherSchema = z.object({
  version: versionField(),
  kind: z.literal('random-teacher'),
  seed: seedField(),
  data: z
    .object({
      ...sizes,
      validationSize: int(0, 5000, 0, 'Held-out labelled examples: the student checkpoint whose probe does best on them is reported as best (0: the final checkpoint).'),
      trainSize: int(2, 20000, 5000, 'Unlabelled examples the student learns to match the teacher on.'),
      probeSize: int(2, 20000, 1000, 'Labelled examples the linear probes train on.'),
    })
    .prefault({}),
  teacher: z
    .object({
      model: z
        .discriminatedUnion('type', [MlpSpecSchema])
        .prefault({ type: 'mlp' })
        .describe('The teacher and the student share this architecture; the probes read its last hidden layer.'),
    })
    .prefault({}),
  outputDim: int(2, 1024, 256, 'Width of the teacher\'s (and student\'s) output, the distribution the student matches.'),
  teacherTemperature: num(0.01, 10, 1, 'Temperature of the teacher\'s softmax: below 1 sharpens the distribution the student matches.'),
  initNearTeacher: num(0, 1, 0, 'eps: the student starts at teacher + eps x random weights (0: an independent random start; a small eps amplifies the effect).'),
  student: z.object({ train: TrainSpecSchema.omit({ evalEvery: true, patience: true }).prefault({}) }).prefault({}),
  probe: TrainSpecSchema.omit({ evalEvery: true, patience: true })
    .prefault({ epochs: 20, learningRate: 0.01 })
    .describe('How each linear probe is trained on the frozen (standardised) features.'),
  probeEvery: int(1, 100000, 100, 'Student steps between probe measurements (and loss read-backs).'),
});

/**
 * Oracle -> teacher -> student: proxy (student-teacher) and golden (student-oracle) distances (Tiapkin et al. 2025).
 * The defaults are the teacher-hacking preset's setting, where the effect shows on seeds 1-3.
 */
const TeacherHackingSchema = z.object({
  version: versionField(),
  kind: z.literal('teacher-hacking'),
  seed: seedField(),
  oracle: z
    .object({
      width: int(4, 256, 64, 'Hidden units in each layer of the random oracle network (tanh).'),
      depth: int(1, 4, 3, 'Hidden layers of the oracle network.'),
      numClasses: int(2, 10, 4, 'Classes of the oracle\'s output distribution.'),
      temperature: num(0.1, 10, 0.3, 'Temperature of the oracle\'s softmax: lower gives a more certain oracle.'),
    })
    .prefault({}),
  data: z
    .object({
      ...sizes,
      dataset: z.enum(DATASET_IDS).default('gaussians').describe('Where the inputs come from; the oracle network, not the dataset, gives every label.'),
      noise: num(0, 1, 0.5, 'Noise of generated 2-D data (ignored for real datasets).'),
      validationSize: int(0, 5000, 0, 'Held-out points for checkpoint choice (labelled by the oracle for the teacher, by the teacher for the students).'),
      testSize: int(10, 20000, 1000, 'Held-out points on which accuracy (against the oracle\'s most likely class) and both distances are measured.'),
      teacherSize: int(2, 20000, 100, 'Points the teacher is fit to, each with a label sampled from the oracle.'),
      transferSize: int(2, 20000, 64, 'Size of the fixed transfer set; the fresh run draws this many new points for every epoch (transferSize x student epochs in all).'),
    })
    .prefault({}),
  teacher: RoleSchema.prefault({
    model: { type: 'mlp', width: 64, depth: 2 },
    train: { learningRate: 0.01, batchSize: 32, epochs: 200, evalEvery: 50 },
  }),
  student: RoleSchema.prefault({
    model: { type: 'mlp', width: 16, depth: 1, activation: 'tanh' },
    train: { learningRate: 0.01, batchSize: 32, epochs: 300, evalEvery: 20 },
  }),
});

const KIND_SCHEMAS = [WeakToStrongSchema, DistillationSchema, BootstrapSchema, LossStudySchema, KdVariantsSchema, RandomTeacherSchema, TeacherHackingSchema] as const;
type AnyKindConfig = z.infer<(typeof KIND_SCHEMAS)[number]>;

/** Training rows a config draws from its dataset, and how the UI names the sum; null for generated oracles. */
export function rowsNeeded(config: AnyKindConfig): { needed: number; parts: string } {
  switch (config.kind) {
    case 'weak-to-strong':
    case 'bootstrap':
    case 'loss-study':
      return { needed: config.data.supervisorSize + config.data.transferSize + config.data.validationSize, parts: 'supervisorSize + transferSize + validationSize' };
    case 'distillation':
    case 'kd-variants':
      return { needed: config.data.trainSize + config.data.validationSize, parts: 'trainSize + validationSize' };
    case 'random-teacher':
      return { needed: config.data.trainSize + config.data.probeSize + config.data.validationSize, parts: 'trainSize + probeSize + validationSize' };
    case 'teacher-hacking':
      return {
        needed: config.data.teacherSize + config.data.transferSize * config.student.train.epochs + config.data.validationSize,
        parts: 'teacherSize + transferSize x student epochs (the fresh points) + validationSize',
      };
  }
}

/** Every model spec of a config, with the path the UI names it by. */
export function modelsOf(config: AnyKindConfig): [string[], ModelSpec][] {
  switch (config.kind) {
    case 'weak-to-strong':
    case 'loss-study':
      return [[['supervisor', 'model'], config.supervisor.model], [['student', 'model'], config.student.model]];
    case 'bootstrap':
      return [
        [['supervisor', 'model'], config.supervisor.model],
        ...config.chain.map((link, i): [string[], ModelSpec] => [['chain', String(i), 'model'], link.model]),
        [['student', 'model'], config.student.model],
      ];
    case 'distillation':
    case 'kd-variants':
    case 'teacher-hacking':
      return [[['teacher', 'model'], config.teacher.model], [['student', 'model'], config.student.model]];
    case 'random-teacher':
      return [[['teacher', 'model'], config.teacher.model]];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Memory limits: sizes that each fit their range can still, together, ask a browser tab for gigabytes (a CNN
// with 64 filters on a batch of 1,024 images holds about 0.7 GB of activations). Such configs are refused before
// training, naming the limit and what would fit.

/** Most memory one model's activations may take at once: a training batch (with gradients) or an evaluation chunk. */
export const ACTIVATION_BUDGET_MB = 256;
/** Most rows a model is evaluated on at once (src/core/evaluate.ts; larger models take fewer). */
export const EVALUATION_CHUNK = 2048;

/** Floats one example leaves in memory on a forward pass: every layer's output. */
export function activationsPerExample(model: ModelSpec, featureShape: readonly number[], outputs: number): number {
  switch (model.type) {
    case 'linear':
      return outputs;
    case 'mlp':
      return model.depth * model.width + outputs;
    case 'cnn': {
      const [height = 1, width = 1] = featureShape;
      const half = Math.ceil(height / 2) * Math.ceil(width / 2);
      const quarter = Math.ceil(height / 4) * Math.ceil(width / 4);
      // conv1, its pooling, conv2 (twice the filters), its pooling, the dense layer, the output
      return height * width * model.filters + half * model.filters + half * 2 * model.filters + quarter * 2 * model.filters + model.denseWidth + outputs;
    }
    case 'pretrained':
      return 256 + 64 + (model.head === 'mlp' ? model.headWidth : 0) + outputs;
  }
}

function memoryLimitIssues(config: AnyKindConfig): { path: PropertyKey[]; message: string }[] {
  const info = datasetInfoOf(config.data);
  const outputs = config.kind === 'random-teacher' ? config.outputDim : config.kind === 'teacher-hacking' ? config.oracle.numClasses : info.numClasses;
  const evaluated = Math.min(EVALUATION_CHUNK, Math.max(config.data.testSize, rowsNeeded(config).needed));
  const megabytes = (floats: number) => (floats * 4) / 2 ** 20;
  const issues: { path: PropertyKey[]; message: string }[] = [];
  for (const [path, model] of modelsOf(config)) {
    const perExample = activationsPerExample(model, info.featureShape, outputs);
    const role = path.slice(0, -1);
    // The random teacher's architecture is trained as the student, with the student's settings.
    const train = config.kind === 'random-teacher' ? config.student.train : (getPath(config, [...role, 'train']) as { batchSize: number } | undefined);
    const trainingMb = train ? megabytes(2 * perExample * train.batchSize) : 0;
    if (train && trainingMb > ACTIVATION_BUDGET_MB) {
      const fits = Math.max(1, Math.floor((ACTIVATION_BUDGET_MB * 2 ** 20) / (4 * 2 * perExample)));
      issues.push({
        path: config.kind === 'random-teacher' ? ['student', 'train', 'batchSize'] : [...role, 'train', 'batchSize'],
        message: `a batch of ${train.batchSize} on this model needs about ${Math.round(trainingMb)} MB for activations and their gradients, over the limit of ${ACTIVATION_BUDGET_MB} MB; at most ${fits} fits`,
      });
      continue;
    }
    const evaluationMb = megabytes(perExample * evaluated);
    if (evaluationMb > ACTIVATION_BUDGET_MB) {
      issues.push({
        path,
        message: `evaluating this model on ${evaluated} examples at a time needs about ${Math.round(evaluationMb)} MB of activations, over the limit of ${ACTIVATION_BUDGET_MB} MB; choose a smaller model (fewer filters or units)`,
      });
    }
  }
  return issues;
}

function getPath(target: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), target);
}

export const ExperimentConfigSchema = z.discriminatedUnion('kind', KIND_SCHEMAS).superRefine((config, ctx) => {
  if (config.data.dataset === CUSTOM_DATASET && !config.data.custom) {
    ctx.addIssue({ code: 'custom', path: ['data', 'dataset'], message: '"custom" needs data.custom, the description of your file (load a CSV or draw points)' });
    return;
  }
  const info = datasetInfoOf(config.data);
  {
    const { needed, parts } = rowsNeeded(config);
    if (info.testCount > 0 && needed > info.trainCount) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: `${parts} = ${needed} exceeds the ${info.trainCount} training examples of ${info.name}` });
    }
    if (info.testCount === 0 && needed + config.data.testSize > info.trainCount) {
      ctx.addIssue({
        code: 'custom',
        path: ['data'],
        message: `${parts} + testSize = ${needed + config.data.testSize} exceeds the ${info.trainCount} examples of ${info.name} (its test set is carved from them)`,
      });
    }
  }
  if (info.testCount > 0 && config.data.testSize > info.testCount) {
    ctx.addIssue({ code: 'custom', path: ['data', 'testSize'], message: `${info.name} has ${info.testCount} test examples; testSize must be at most ${info.testCount}` });
  }
  if (config.kind === 'weak-to-strong') {
    const source = config.supervisor.source;
    const features = info.featureShape.reduce((a, b) => a * b, 1);
    if (source.type === 'region' && features !== 2) {
      ctx.addIssue({ code: 'custom', path: ['supervisor', 'source', 'type'], message: `a region of input space needs 2-D data; ${info.name} has ${features} features` });
    }
    if (source.type === 'systematic' && source.classes >= info.numClasses) {
      ctx.addIssue({ code: 'custom', path: ['supervisor', 'source', 'classes'], message: `must be below the ${info.numClasses} classes of ${info.name}` });
    }
  }
  if ((config.kind === 'distillation' || config.kind === 'kd-variants') && config.data.labelledSize > config.data.trainSize) {
    ctx.addIssue({ code: 'custom', path: ['data', 'labelledSize'], message: `must be at most trainSize (${config.data.trainSize})` });
  }
  for (const [path, model] of modelsOf(config)) {
    if (model.type === 'cnn' && info.kind !== 'image') {
      ctx.addIssue({ code: 'custom', path: [...path, 'type'], message: `a CNN needs an image dataset; ${info.name} is ${info.kind}` });
    }
    if (model.type === 'pretrained' && !(info.encoders as readonly string[]).includes(model.encoder)) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'encoder'],
        message: `no pretrained encoder ships for ${info.name}; pretrained students are available for MNIST and Fashion-MNIST`,
      });
    }
  }
  if (config.kind === 'weak-to-strong' || config.kind === 'distillation' || config.kind === 'bootstrap') {
    const allowed: readonly string[] = config.kind === 'distillation' ? [...KD_LOSSES, 'xent'] : W2S_LOSSES;
    if (!allowed.includes(config.student.loss.type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['student', 'loss', 'type'],
        message: `${config.kind} takes one of ${allowed.join(', ')}; got ${config.student.loss.type}`,
      });
    }
  }
  for (const { path, message } of memoryLimitIssues(config)) ctx.addIssue({ code: 'custom', path, message });
});

export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;
export type ExperimentConfigInput = z.input<typeof ExperimentConfigSchema>;
export type WeakToStrongConfig = Extract<ExperimentConfig, { kind: 'weak-to-strong' }>;
export type DistillationConfig = Extract<ExperimentConfig, { kind: 'distillation' }>;
export type BootstrapConfig = Extract<ExperimentConfig, { kind: 'bootstrap' }>;
export type LossStudyConfig = Extract<ExperimentConfig, { kind: 'loss-study' }>;
export type KdVariantsConfig = Extract<ExperimentConfig, { kind: 'kd-variants' }>;
export type RandomTeacherConfig = Extract<ExperimentConfig, { kind: 'random-teacher' }>;
export type TeacherHackingConfig = Extract<ExperimentConfig, { kind: 'teacher-hacking' }>;
export type ExperimentKind = ExperimentConfig['kind'];
export const EXPERIMENT_KINDS = KIND_SCHEMAS.map((schema) => schema.shape.kind.value) as ExperimentKind[];

/** Raised for a config that does not validate; `problems` has one readable line per problem. */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid experiment config:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * A value from a link or a file, as a message may quote it: short (a stranger's 1 MB string is not echoed back)
 * and never throwing (a deeply nested array cannot be stringified); infinities by name, not as JSON's null.
 */
function shownValue(input: unknown): string {
  let text: string;
  try {
    text = typeof input === 'number' ? String(input) : (JSON.stringify(input) ?? String(input));
  } catch {
    text = Array.isArray(input) ? 'an array' : typeof input;
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? issue.path.map(String).join('.') : '(config)';
  const received = 'input' in issue && issue.input !== undefined ? ` (got ${shownValue(issue.input)})` : '';
  if ((issue.code === 'too_big' || issue.code === 'too_small') && issue.origin === 'array') {
    const count = Array.isArray(issue.input) ? ` (got ${issue.input.length})` : '';
    const bound = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
    return `${field}: must have at ${issue.code === 'too_big' ? 'most' : 'least'} ${bound} ${bound === 1 ? 'entry' : 'entries'}${count}`;
  }
  switch (issue.code) {
    case 'too_big':
      return `${field}: must be at most ${String(issue.maximum)}${rangeHint(issue.path)}${received}`;
    case 'too_small':
      return `${field}: must be at least ${String(issue.minimum)}${rangeHint(issue.path)}${received}`;
    case 'invalid_value':
      return `${field}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${received}`;
    case 'invalid_union':
      return `${field}: ${issue.message}`;
    case 'invalid_type':
      return `${field}: expected ${issue.expected}${received}`;
    default:
      return `${field}: ${issue.message}`;
  }
}

/** "allowed range a to b" for numeric fields, read back from the schema itself. */
function rangeHint(path: PropertyKey[]): string {
  const range = numericRange(path);
  return range ? ` (allowed range ${range[0]} to ${range[1]})` : '';
}

/**
 * The schema of one field of a config of the given kind, for forms: `field` as declared (it carries the help
 * text), `inner` with defaults unwrapped (it carries ranges and options).
 */
export function schemaAt(kind: ExperimentKind, path: PropertyKey[]): { field: z.ZodType; inner: z.ZodType } | null {
  let current: z.ZodType | undefined = KIND_SCHEMAS.find((schema) => schema.shape.kind.value === kind);
  if (!current) return null;
  for (const key of path) {
    const container = unwrap(current);
    if (container instanceof z.ZodObject) current = (container.shape as Record<string, z.ZodType>)[String(key)];
    else if (container instanceof z.ZodArray && /^\d+$/.test(String(key))) current = container.element as z.ZodType;
    else return null;
    if (!current) return null;
  }
  return { field: current, inner: unwrap(current) };
}

/** Looks up a numeric field's [min, max] by path, for messages and forms. */
export function numericRange(path: PropertyKey[]): [number, number] | null {
  const schemas: z.ZodType[] = [...KIND_SCHEMAS];
  for (const root of schemas) {
    const found = walk(root, path);
    if (found) return found;
  }
  return null;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    const def = (current as unknown as { _zod: { def: { type: string; innerType?: z.ZodType } } })._zod.def;
    if ((def.type === 'default' || def.type === 'prefault' || def.type === 'optional') && def.innerType) current = def.innerType;
    else return current;
  }
}

function walk(schema: z.ZodType, path: PropertyKey[]): [number, number] | null {
  const current = unwrap(schema);
  if (path.length === 0) {
    return current instanceof z.ZodNumber && current.minValue !== null && current.maxValue !== null
      ? [current.minValue, current.maxValue]
      : null;
  }
  if (current instanceof z.ZodDiscriminatedUnion) {
    // The first option that has the field wins (options share ranges for fields of the same name).
    for (const option of current.options as z.ZodType[]) {
      const found = walk(option, path);
      if (found) return found;
    }
    return null;
  }
  if (current instanceof z.ZodObject) {
    const next = (current.shape as Record<string, z.ZodType>)[String(path[0])];
    return next ? walk(next, path.slice(1)) : null;
  }
  if (current instanceof z.ZodArray && /^\d+$/.test(String(path[0]))) return walk(current.element as z.ZodType, path.slice(1));
  return null;
}

/** Validates and fills defaults; throws ConfigError naming every bad field and its allowed range. */
export function parseConfig(input: unknown): ExperimentConfig {
  const result = ExperimentConfigSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw new ConfigError(result.error.issues.map(describeIssue));
  return result.data;
}

/**
 * Tolerant parsing for links and imported files: unknown keys are dropped (the schema strips them), and every
 * invalid value is replaced by its default. Returns the config and one line per replaced field.
 * Throws ConfigError only when not even the experiment kind can be read.
 */
export function repairConfig(input: unknown): { config: ExperimentConfig; replaced: string[] } {
  let candidate: unknown = input !== null && typeof input === 'object' && !Array.isArray(input) ? structuredClone(input) : {};
  const replaced: string[] = [];
  for (let attempt = 0; attempt < 64; attempt++) {
    const result = ExperimentConfigSchema.safeParse(candidate, { reportInput: true });
    if (result.success) return { config: result.data, replaced };
    let progressed = false;
    for (const issue of result.error.issues) {
      const path = issue.path.map(String);
      if (path.length === 0 || (path.length === 1 && path[0] === 'kind')) {
        throw new ConfigError([describeIssue(issue)]);
      }
      // A bad variant tag (a model or loss type) resets the whole variant to its defaults; a cross-field
      // problem named on a section (sizes that do not fit the dataset) resets that section.
      // A bad field of a custom-data descriptor drops the whole descriptor (half a description names no file).
      const target =
        path[0] === 'data' && path[1] === 'custom'
          ? path.slice(0, 2)
          : path[path.length - 1] === 'type' || issue.code === 'invalid_union'
            ? path.slice(0, -1)
            : path;
      const removed = target.length > 0 && deletePath(candidate, target);
      if (removed) {
        replaced.push(describeIssue(issue));
        progressed = true;
      }
    }
    if (!progressed) throw new ConfigError(result.error.issues.map(describeIssue));
  }
  throw new ConfigError(['the config could not be repaired']);
}

/** Deletes the value at `path` (so the schema's default applies); false when there was nothing to delete. */
function deletePath(target: unknown, path: string[]): boolean {
  let node = target as Record<string, unknown> | undefined;
  for (const key of path.slice(0, -1)) {
    const next = node?.[key];
    if (next === null || typeof next !== 'object') return false;
    node = next as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (!node || !(last in node)) return false;
  delete node[last];
  return true;
}

export function safeParseConfig(input: unknown): { ok: true; config: ExperimentConfig } | { ok: false; problems: string[] } {
  const result = ExperimentConfigSchema.safeParse(input, { reportInput: true });
  return result.success ? { ok: true, config: result.data } : { ok: false, problems: result.error.issues.map(describeIssue) };
}
