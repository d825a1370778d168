/**
 * Do models know what they know? (Kadavath et al. 2022; shared/METHODS.md section 5): a classifier, then a P(IK)
 * head on its frozen last hidden layer trained on held-out images to predict whether the classifier's answer is
 * right. How well P(IK) separates right from wrong answers (AUROC) and how calibrated it is (ECE, reliability
 * diagram), on the classifier's own kind of image and on images of another kind, where it has no right answer.
 * Everything about the kind but its tfjs runner (run.ts).
 */
import { z } from 'zod';
import { DATA_FIELDS, int, MlpSpecSchema, RoleSchema, seedField, TrainSpecSchema, versionField } from '../../config/blocks';
import { DATASETS } from '../../config/datasets';
import type { StageInfo } from '../figures';
import { defineKind, roleModel } from '../kind';
import { compare, fixed, pct, type Caption, type RunFacts } from '../narration';

/** 28 x 28 grey images: each can be the other's out-of-distribution inputs. */
const IMAGE_SETS = ['mnist', 'fashion-mnist'] as const;

const schema = z.object({
  version: versionField(),
  kind: z.literal('know-what-they-know'),
  seed: seedField(),
  data: z
    .object({
      ...DATA_FIELDS,
      dataset: z.enum(IMAGE_SETS).default('mnist').describe('In distribution: what the classifier learns, and the test images it answers.'),
      oodDataset: z
        .enum(IMAGE_SETS)
        .default('fashion-mnist')
        .describe('Out of distribution: images of another kind shown to the classifier at test time only; none of its answers on them is right.'),
      trainSize: int(100, 20000, 2000, 'Labelled images the classifier trains on.'),
      calibrationSize: int(100, 20000, 3000, 'Held-out labelled images the classifier answers; the P(IK) head learns from them which answers were right.'),
      validationSize: int(0, 5000, 0, 'Held-out images for checkpoint choice (ground truth for the classifier, its rightness for the head).'),
      oodSize: int(10, 2000, 2000, 'Out-of-distribution test images (the first of its test split).'),
    })
    .prefault({}),
  student: RoleSchema.prefault({ model: { type: 'mlp', width: 64, depth: 1 } }),
  pik: z
    .object({
      model: z
        .discriminatedUnion('type', [z.object({ type: z.literal('linear').describe('Logistic regression on the hidden layer.') }), MlpSpecSchema])
        .prefault({ type: 'mlp', width: 64 })
        .describe("The P(IK) head on the classifier's last hidden layer (standardised): two outputs, wrong and right."),
      train: TrainSpecSchema.prefault({ epochs: 20, evalEvery: 50 }),
    })
    .prefault({}),
});
export type KnowWhatTheyKnowConfig = z.output<typeof schema>;

function stages(config: KnowWhatTheyKnowConfig): StageInfo[] {
  const { trainSize, calibrationSize } = config.data;
  return [
    { name: 'student', label: 'Student', role: `a classifier trained on ${trainSize.toLocaleString('en')} labelled images; P(IK) judges its answers` },
    {
      name: 'pik',
      label: 'P(IK) head',
      role: `on the classifier's frozen last hidden layer, trained on ${calibrationSize.toLocaleString('en')} held-out images to predict whether its answer is right (its accuracy: at telling right answers from wrong ones)`,
    },
  ];
}

/** Names of a dataset for captions ("MNIST digits"). */
const nameOf = (id: (typeof IMAGE_SETS)[number]) => DATASETS[id].name;

/** The run's config: these captions belong to this kind's preset. */
const own = (facts: RunFacts) => facts.config as KnowWhatTheyKnowConfig;

/** A bar of the finished run's summary chart (AUROC or ECE of P(IK) or of the softmax, in or out of distribution). */
function summary(facts: RunFacts, series: 'auroc-in' | 'auroc-out' | 'ece-in' | 'ece-out', model: 'P(IK)' | 'softmax confidence'): number | undefined {
  const chart = facts.result?.charts.find((c) => c.info.id === 'pik-summary');
  return chart?.points[series]?.find((p) => p.label === model)?.y;
}

const NARRATIVE: Caption[] = [
  {
    stage: 'student',
    text: (facts) => {
      const c = facts.stages.student;
      return `The student, a small classifier, learns ${nameOf(own(facts).data.dataset)} from ${own(facts).data.trainSize.toLocaleString('en')} labelled images${c ? `: ${pct(c.accuracy)} right on test, so ${pct(1 - c.accuracy)} of its answers are wrong` : ''}.`;
    },
  },
  {
    stage: 'pik',
    text: (facts) =>
      `P(IK), "the probability that I know": a head on the classifier's hidden layer learns, from ${own(facts).data.calibrationSize.toLocaleString('en')} held-out images, whether its answer is right. The curve: how well it ranks right answers above wrong ones (AUROC; 0.5 is a coin).`,
  },
  {
    text: (facts) => {
      const inside = summary(facts, 'auroc-in', 'P(IK)');
      const outside = summary(facts, 'auroc-out', 'P(IK)');
      const ood = nameOf(own(facts).data.oodDataset);
      if (inside === undefined || outside === undefined)
        return `Out of distribution: ${ood} images, shown to the classifier only at test time. None of its answers on them is right: does P(IK) say so?`;
      return `On its own test images P(IK) tells right from wrong answers with AUROC ${fixed(inside)}. Against ${ood} images, where every answer is wrong, right answers outrank them with AUROC ${fixed(outside)}: ${compare(outside, inside, { above: 'it is better at spotting the foreign images than its own mistakes', below: 'worse than on its own mistakes', level: 'about as well as its own mistakes' }, 0.01)}.`;
    },
  },
  {
    text: (facts) => {
      const inside = summary(facts, 'ece-in', 'P(IK)');
      const outside = summary(facts, 'ece-out', 'P(IK)');
      const softIn = summary(facts, 'ece-in', 'softmax confidence');
      const softOut = summary(facts, 'ece-out', 'softmax confidence');
      if (inside === undefined || outside === undefined || softIn === undefined || softOut === undefined)
        return 'The reliability diagram: for each band of confidence, the share of answers that were right. On the diagonal, answers given with confidence p are right a share p of the time.';
      return `Calibration (ECE, 0 is perfect): P(IK) ${fixed(inside, 3)} in distribution, ${fixed(outside, 3)} out of it; the classifier's own softmax confidence ${fixed(softIn, 3)} and ${fixed(softOut, 3)}. ${compare(outside, inside, { above: 'Calibrated at home, overconfident abroad: out of distribution P(IK) still says "I know" where every answer is wrong.', below: 'Here P(IK) is no worse calibrated out of distribution.', level: 'Here P(IK) is as well calibrated out of distribution.' }, 0.02)}`;
    },
  },
];

export const knowWhatTheyKnow = defineKind({
  kind: 'know-what-they-know',
  schema,
  help: 'A classifier and a head on its hidden layer that predicts whether its answer is right (P(IK)). How well P(IK) separates right from wrong answers, and how calibrated it is, in distribution and on images of another kind.',
  stages,
  roles: { supervisor: 'student', student: 'student', lower: 'student', upper: 'student', gapName: null },
  models: (config, data) => [roleModel(config, 'student', data), { path: ['pik', 'model'], model: config.pik.model, trainPath: ['pik', 'train'], outputs: 2 }],
  rowsNeeded: (config) => ({
    needed: config.data.trainSize + config.data.calibrationSize + config.data.validationSize,
    parts: 'trainSize + calibrationSize + validationSize',
  }),
  check(config, _data, issue) {
    if (config.data.oodDataset === config.data.dataset)
      issue(['data', 'oodDataset'], `must differ from the dataset (${config.data.dataset}): out-of-distribution images are of another kind`);
    const model = config.student.model;
    if (model.type !== 'mlp')
      issue(['student', 'model', 'type'], `the P(IK) head reads the classifier's last hidden layer: it must be an MLP, not ${model.type}`);
  },
  gallery: 'Safety',
  form: {
    cards: [
      { type: 'role', role: 'student', title: 'Student', blurb: 'Trained with ground truth; its answers are what P(IK) judges.' },
      {
        type: 'role',
        role: 'pik',
        title: 'P(IK) head',
        blurb: "Reads the classifier's frozen last hidden layer; learns on held-out images whether its answer is right.",
      },
    ],
  },
  presets: [
    {
      id: 'know-what-they-know',
      title: 'Do models know what they know? (MNIST)',
      lesson:
        "A head on a digit classifier's hidden layer learns to predict whether its answer is right, and is well calibrated on digits; shown clothes, where no answer is right, it is far too sure of itself.",
      narrative: NARRATIVE,
      config: {
        kind: 'know-what-they-know',
        seed: 1,
        data: { dataset: 'mnist', oodDataset: 'fashion-mnist', trainSize: 2000, calibrationSize: 3000, validationSize: 0, testSize: 2000, oodSize: 2000 },
        student: {
          model: { type: 'mlp', width: 64, depth: 1, activation: 'relu', dropout: 0 },
          train: { optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 10, evalEvery: 50 },
        },
        pik: {
          // A linear head learned next to nothing here (README: what was changed after seeing results); one hidden layer can.
          model: { type: 'mlp', width: 64, depth: 1, activation: 'relu', dropout: 0 },
          train: { optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 20, evalEvery: 100 },
        },
      },
    },
  ],
});
