/**
 * Weak labelling functions and the label models that combine them (after AutoWS-Bench-101 and Weaver, "Shrinking
 * the Generation-Verification Gap with Weak Verifiers"): 8-12 small models of mixed quality, each seeing its own
 * random share of the pixels, vote on every example; their votes are combined by a plain majority, by Dawid and
 * Skene's estimate from unlabelled votes alone, and by weights fitted on a few labels; a probe on the pretrained
 * encoder trained on those few labels alone is the question's other side. Everything about the kind but its
 * runner (run.ts).
 */
import { z } from 'zod';
import { DATA_FIELDS, int, num, RoleSchema, seedField, versionField } from '../../config/blocks';
import type { StageInfo } from '../figures';
import { defineKind, roleModel } from '../kind';
import { W2S_MNIST } from '../weak-to-strong/spec';
import { WEAK_LABELER_CAPTIONS } from './captions';

const schema = z.object({
  version: versionField(),
  kind: z.literal('weak-labelers'),
  seed: seedField(),
  data: z
    .object({
      ...DATA_FIELDS,
      validationSize: int(0, 5000, 0, "Held-out examples with ground truth for each labelling function's checkpoint (0: the final checkpoint)."),
      functionSize: int(
        2,
        20000,
        100,
        'Split A: examples with ground truth each labelling function learns from (through its own view); nothing else uses them.',
      ),
      unlabelledSize: int(2, 20000, 2000, 'Split U: examples without labels on which Dawid-Skene fits its estimate of each function.'),
      labelledSize: int(2, 5000, 100, 'Split L: the few labelled examples the weights are fitted on, and the probe learns from alone.'),
    })
    .prefault({}),
  functions: z
    .array(num(0.001, 1, 0.1, "A labelling function's share of the input features."))
    .min(2)
    .max(12)
    .default([0.5, 0.3, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01, 0.005, 0.005])
    .describe('One labelling function per share (2 to 12): a model that sees only that random share of the input features.'),
  iterations: int(1, 200, 50, 'EM iterations of the Dawid-Skene estimate.'),
  labeller: RoleSchema.prefault({}).describe('Each labelling function: the same model and training, on its own view of split A.'),
  student: RoleSchema.prefault({}).describe('The probe: trained with ground truth on split L alone.'),
});
export type WeakLabelersConfig = z.output<typeof schema>;
type Input = z.input<typeof schema>;

export const functionName = (i: number) => `lf-${i + 1}`;
const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

function weakLabelerStages(config: WeakLabelersConfig): StageInfo[] {
  const { labelledSize, unlabelledSize } = config.data;
  return [
    ...config.functions.map((share, i) => ({
      name: functionName(i),
      label: `Function ${i + 1} (${percent(share)} of the input)`,
      role: `a labelling function: trained with ground truth on split A, seeing only its own random ${percent(share)} of the input features`,
    })),
    { name: 'vote', label: 'Majority vote', role: 'every function one vote; the most voted class wins (ties: the lowest class)' },
    {
      name: 'dawid-skene',
      label: 'Dawid-Skene',
      role: `each function's confusion matrix estimated by EM from its votes on ${unlabelledSize} unlabelled examples; the most likely class given the votes`,
    },
    {
      name: 'weighted',
      label: `Weighted vote (${labelledSize} labels)`,
      role: `each function's vote weighted by the log odds of its accuracy on the ${labelledSize} labelled examples`,
    },
    {
      name: 'probe',
      label: `Probe on ${labelledSize} labels`,
      role: `the pretrained encoder with a probe trained on the ${labelledSize} labelled examples alone`,
    },
  ];
}

const WEAK_LABELERS = {
  kind: 'weak-labelers',
  seed: 1,
  data: { dataset: 'mnist', functionSize: 100, unlabelledSize: 2000, labelledSize: 100, validationSize: 0, testSize: 2000 },
  functions: [0.5, 0.3, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01, 0.005, 0.005],
  iterations: 50,
  labeller: W2S_MNIST.supervisor,
  // The probe: 100 labels in batches of 32, 4 steps an epoch, 40 epochs as for w2s-mnist's supervisor on its 100 labels.
  student: { model: W2S_MNIST.student.model, train: { optimizer: 'adam', learningRate: 0.003, batchSize: 32, epochs: 40, evalEvery: 10 } },
} satisfies Input;

export const weakLabelers = defineKind({
  kind: 'weak-labelers',
  schema,
  help: 'Weak labelling functions of mixed quality vote on every example. Does weighting them (by an estimate from unlabelled votes, or by a few labels) beat the plain vote, and does a probe trained on the few labels alone match them?',
  stages: weakLabelerStages,
  roles: { supervisor: 'vote', student: 'weighted', lower: 'vote', upper: 'probe', gapName: null },
  models: (config, data) => [roleModel(config, 'labeller', data), roleModel(config, 'student', data)],
  rowsNeeded: (config) => {
    const { functionSize, unlabelledSize, labelledSize, validationSize } = config.data;
    return { needed: functionSize + unlabelledSize + labelledSize + validationSize, parts: 'functionSize + unlabelledSize + labelledSize + validationSize' };
  },
  gallery: 'Weak supervision',
  form: {
    dataExtras: [{ path: ['functions'], control: 'list' }],
    cards: [
      { type: 'fields', id: 'label-model', title: 'Label models', blurb: 'How long Dawid-Skene refines its estimate.', fields: [{ path: ['iterations'] }] },
      { type: 'role', role: 'labeller', title: 'Labelling functions', blurb: 'The same model for each function, on its own view of the input.' },
      { type: 'role', role: 'student', title: 'Probe', blurb: 'Trained on the few labelled examples alone.' },
    ],
  },
  presets: [
    {
      id: 'weak-labelers',
      title: 'Ten weak labellers or a hundred labels?',
      lesson:
        'Ten labelling functions of mixed quality, some near chance, vote on every digit: weighting them, by Dawid-Skene from unlabelled votes or by a hundred labels, beats the plain vote (by 8-10 points on average), though no more than the best function alone; a probe on a pretrained encoder trained on those hundred labels alone beats them all by 15-22 points.',
      narrative: WEAK_LABELER_CAPTIONS,
      config: WEAK_LABELERS,
    },
  ],
});
