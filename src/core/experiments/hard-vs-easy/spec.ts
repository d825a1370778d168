/**
 * What makes good supervision for a hard task (He et al. 2024, "Guiding Through Complexity: What Makes Good
 * Supervision for Hard Reasoning Tasks?"; shared/METHODS.md section 5): the same student learns the full
 * classification from labels with many errors of one kind (random, near-miss, systematic), from clean labels of an
 * easier task (coarse groups of classes), and from both at once. Everything about the kind but its runner (run.ts).
 */
import { z } from 'zod';
import { DATA_FIELDS, int, num, RoleSchema, seedField, versionField } from '../../config/blocks';
import type { StageInfo } from '../figures';
import { defineKind, roleModel } from '../kind';
import { W2S_MNIST } from '../weak-to-strong/spec';
import { HARD_VS_EASY_CAPTIONS } from './captions';
import { ERROR_KINDS, noisySettings } from './labels';

const schema = z.object({
  version: versionField(),
  kind: z.literal('hard-vs-easy'),
  seed: seedField(),
  data: z
    .object({
      ...DATA_FIELDS,
      trainSize: int(2, 20000, 2000, 'Training examples: every student learns from the same examples, each with its own labels.'),
      validationSize: int(
        0,
        5000,
        0,
        "Held-out examples labelled like each student's own training set (with the same errors), for its checkpoint; the easy-task student has none.",
      ),
    })
    .prefault({}),
  errorRates: z
    .array(num(0, 1, 0.7, 'A share of wrong hard-task labels.'))
    .min(1)
    .max(4)
    .default([0.5, 0.7, 0.9])
    .describe('Shares of wrong labels (1 to 4): one student per rate and kind of error.'),
  errorKinds: z
    .array(z.enum(ERROR_KINDS))
    .min(1)
    .max(3)
    .default([...ERROR_KINDS])
    .describe(
      'random: another class at random; near-miss: the class a model trained on the truth finds most likely after the true one; systematic: always the next class.',
    ),
  groups: int(
    1,
    999,
    5,
    'Coarse groups of classes for the easy task: consecutive classes, e.g. 5 groups of digits {0, 1}, {2, 3}, ... {8, 9} (1 group: the easy task says nothing).',
  ),
  combine: z.boolean().default(true).describe('Also train each noisy-label student with the clean coarse labels added.'),
  easyWeight: num(0.01, 0.99, 0.5, 'In the combination: the share of the target spread over the true group (the rest on the noisy hard label).'),
  student: RoleSchema.prefault({}).describe('Every student: the same model, the same start, the same data; only the labels differ.'),
});
export type HardVsEasyConfig = z.output<typeof schema>;
type Input = z.input<typeof schema>;

const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;

function hardVsEasyStages(config: HardVsEasyConfig): StageInfo[] {
  const stages: StageInfo[] = [
    { name: 'clean', label: 'Clean hard labels', role: 'the student on the true labels of the full task: the reference, and the source of near-miss errors' },
    {
      name: 'easy',
      label: 'Clean easy labels',
      role: `the student on the true coarse group only (${config.groups} groups): the target is spread evenly over the group's classes`,
    },
  ];
  for (const s of noisySettings(config)) {
    stages.push({
      name: s.name,
      label: `${percent(s.rate)} ${s.kind} errors`,
      role: `the student on full-task labels of which ${percent(s.rate)} are wrong (${s.kind})`,
    });
    if (config.combine)
      stages.push({
        name: s.combined,
        label: `${percent(s.rate)} ${s.kind} + easy`,
        role: `the same noisy labels combined with the clean coarse labels (weight ${config.easyWeight} on the group)`,
      });
  }
  return stages;
}

const HARD_VS_EASY = {
  kind: 'hard-vs-easy',
  seed: 1,
  data: { dataset: 'mnist', trainSize: 2000, validationSize: 0, testSize: 2000 },
  errorRates: [0.5, 0.7, 0.9],
  errorKinds: [...ERROR_KINDS],
  groups: 5,
  combine: true,
  easyWeight: 0.5,
  // A faster probe than w2s-mnist's, decayed to zero: at 0.001 for 5 epochs the clean-label student stopped at 85%,
  // and at a constant 0.01 the noisy-label students' final accuracies swung by up to 11 points from run to run.
  student: {
    model: W2S_MNIST.student.model,
    train: { optimizer: 'adam', learningRate: 0.01, schedule: 'cosine', batchSize: 128, epochs: 10, evalEvery: 40 },
  },
} satisfies Input;

export const hardVsEasy = defineKind({
  kind: 'hard-vs-easy',
  schema,
  help: 'The same student learns the full task from labels with many errors, from clean labels of an easier task (coarse groups of classes), or from both. Which supervision is better, and does the kind of error matter more than its rate?',
  stages: hardVsEasyStages,
  roles: { supervisor: 'clean', student: 'easy', lower: 'easy', upper: 'clean', gapName: null },
  models: (config, data) => [roleModel(config, 'student', data)],
  rowsNeeded: (config) => ({ needed: config.data.trainSize + config.data.validationSize, parts: 'trainSize + validationSize' }),
  check(config, data, issue) {
    if (config.groups >= data.numClasses)
      issue(
        ['groups'],
        `the easy task needs fewer groups than the ${data.numClasses} classes of ${data.name}: at most ${data.numClasses - 1}, got ${config.groups}`,
      );
    if (new Set(config.errorKinds).size !== config.errorKinds.length) issue(['errorKinds'], 'names a kind of error twice');
  },
  fitToData(config, data) {
    if (config.groups < data.numClasses) return [];
    const groups = Math.max(1, data.numClasses - 1);
    const change = `groups ${config.groups} -> ${groups} (the data has ${data.numClasses} classes)`;
    config.groups = groups;
    return [change];
  },
  gallery: 'Weak supervision',
  form: {
    dataExtras: [{ path: ['errorRates'], control: 'list' }, { path: ['groups'] }],
    cards: [
      {
        type: 'fields',
        id: 'supervision',
        title: 'Supervision',
        blurb: 'The errors of the hard-task labels, the easy task, and their combination.',
        fields: [{ path: ['combine'] }, { path: ['easyWeight'] }],
      },
      { type: 'role', role: 'student', title: 'Student', blurb: 'One model, one start, one data order: only its labels differ from stage to stage.' },
    ],
  },
  presets: [
    {
      id: 'hard-vs-easy',
      title: 'Noisy hard labels or clean easy ones?',
      lesson:
        'Full-task labels with half of them wrong at random still teach the task better than clean labels of an easier one (coarse groups of digits); the same rate of systematic errors teaches far less, so the kind of error matters more than its rate. Adding the clean coarse labels rescues the noisiest labels.',
      narrative: HARD_VS_EASY_CAPTIONS,
      config: HARD_VS_EASY,
    },
  ],
});
