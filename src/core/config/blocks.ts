/**
 * The building blocks every experiment kind's schema is made of: models, optimizers and schedules, losses (each
 * loss's parameters defined once, here), roles, and the data section's common fields.
 */
import { z } from 'zod';
import { CUSTOM_DATASET, CustomDataSchema, DATASET_IDS, ENCODER_DESCRIPTIONS, ENCODER_KINDS } from './datasets';

/** Version of the config format; links and files from older versions are migrated (see migrations.ts). */
export const CONFIG_VERSION = 1;

export const int = (min: number, max: number, fallback: number, help: string) => z.number().int().min(min).max(max).default(fallback).describe(help);
export const num = (min: number, max: number, fallback: number, help: string) => z.number().min(min).max(max).default(fallback).describe(help);

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu'] as const;

export const MlpSpecSchema = z.object({
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

// Each loss's parameters, defined once: the loss specs below and the kinds that compare losses side by side
// (the loss study, the distillation variants) share them.
export const LOGCONF_PARAMS = {
  aMax: num(0, 1, 0.5, "Final weight of the student's own hardened predictions."),
  warmup: num(0, 1, 0.2, 'Fraction of training over which the weight ramps up.'),
  schedule: z
    .enum(['paper', 'released'])
    .default('paper')
    .describe("paper: linear ramp to aMax; released: the openai code's ramp to aMax*warmup, then a jump to aMax."),
};
export const PRODUCT_PARAMS = {
  a: num(0, 5, 1, "Exponent of the supervisor's labels."),
  b: num(0, 5, 1, "Exponent of the student's own predictions."),
};
export const KD_PARAMS = {
  temperature: num(0.1, 50, 4, 'Softmax temperature T for teacher and student.'),
  alpha: num(0, 1, 0.9, 'Weight of the teacher term on labelled examples (unlabelled ones use the teacher alone).'),
};
export const TAID_PARAMS = {
  tStart: num(0, 1, 0.4, 'Interpolation parameter t at the start.'),
  tEnd: num(0, 1, 1, 'Interpolation parameter t at the end.'),
  alphaT: num(0, 0.1, 5e-4, 'Step size of the adaptive update of t.'),
  beta: num(0, 0.9999, 0.99, 'Momentum of the relative loss change.'),
};

export const LossSpecSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('xent').describe('Cross-entropy with the (soft or hard) labels.') }),
  z.object({
    type: z.literal('logconf').describe("Auxiliary confidence loss (Burns et al.): mixes the student's own hardened predictions into the target."),
    ...LOGCONF_PARAMS,
  }),
  z.object({ type: z.literal('product').describe('Product loss: target proportional to p^b * y^a.'), ...PRODUCT_PARAMS }),
  z.object({
    type: z.literal('kd').describe('Hinton distillation: forward KL to the teacher at temperature T, mixed with cross-entropy on true labels.'),
    ...KD_PARAMS,
  }),
  z.object({ type: z.literal('reverse-kl').describe('Reverse KL(student || teacher): mode-seeking.'), ...KD_PARAMS }),
  z.object({
    type: z.literal('taid').describe('TAID: the target moves from the student towards the teacher during training.'),
    ...TAID_PARAMS,
    alpha: KD_PARAMS.alpha,
  }),
]);
export type LossSpec = z.infer<typeof LossSpecSchema>;
export type LossType = LossSpec['type'];
export const W2S_LOSSES = ['xent', 'logconf', 'product'] as const satisfies readonly LossType[];
export const KD_LOSSES = ['kd', 'reverse-kl', 'taid'] as const satisfies readonly LossType[];

/** A model and how it trains. */
export const RoleSchema = z.object({
  model: ModelSpecSchema.prefault({ type: 'linear' }),
  train: TrainSpecSchema.prefault({}),
});
export type Role = z.infer<typeof RoleSchema>;

export const StudentRoleSchema = RoleSchema.extend({
  loss: LossSpecSchema.prefault({ type: 'xent' }),
});

/** The data section's fields every kind has; kinds add their own split sizes. */
export const DATA_FIELDS = {
  dataset: z
    .enum([...DATASET_IDS, CUSTOM_DATASET])
    .default('mnist')
    .describe('The data every model trains and is scored on.'),
  custom: CustomDataSchema.optional().describe('Your own data (when dataset is "custom"): which file, and its shape.'),
  validationSize: int(0, 5000, 500, 'Held-out training examples for checkpoint choice and early stopping (labelled by the supervisor for the student).'),
  testSize: int(10, 20000, 2000, 'Test examples with ground truth that score every model (capped by the official test split).'),
  noise: num(0, 1, 0.2, 'Noise of generated 2-D data (ignored for real datasets).'),
};

export const seedField = () => int(0, 2 ** 31 - 1, 1, 'Seed for data, splits, initialisation and shuffling.');
export const versionField = () => z.literal(CONFIG_VERSION).default(CONFIG_VERSION);

/** The data fields of the weak-to-strong family: split A (the supervisor's ground truth), split B (the transfer set). */
export const TRANSFER_DATA_FIELDS = {
  ...DATA_FIELDS,
  supervisorSize: int(2, 20000, 100, 'Split A: examples with ground truth for the weak supervisor.'),
  transferSize: int(2, 20000, 5000, 'Split B: examples the supervisor labels for the student (the ceiling sees their ground truth).'),
};

/** The data of the weak-to-strong family (kinds with a split of their own extend TRANSFER_DATA_FIELDS). */
export const transferData = () => z.object(TRANSFER_DATA_FIELDS).prefault({});

/** How a supervisor's predictions become the labels a student learns from. */
export const weakLabelsField = () =>
  z
    .object({
      kind: z.enum(['soft', 'hard']).default('soft').describe("soft: the supervisor's probabilities; hard: its argmax."),
      temperature: num(0.1, 10, 1, "Temperature applied to the supervisor's logits before the softmax."),
    })
    .prefault({});

/** The data of the distillation family: training images (all seen by the teacher), of which some carry labels for the student. */
export const distillationData = () =>
  z
    .object({
      ...DATA_FIELDS,
      trainSize: int(2, 20000, 5000, 'Training images: the teacher learns them with ground truth, the student is distilled on all of them.'),
      labelledSize: int(1, 20000, 1000, 'Of those, how many carry ground truth for the student (its baseline trains on these alone).'),
    })
    .prefault({});
