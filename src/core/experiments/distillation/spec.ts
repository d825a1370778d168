/**
 * Knowledge distillation (Hinton et al.; shared/METHODS.md section 3): a teacher trained on ground truth, a
 * student trained on its labelled subset alone (the baseline), and the same student distilled from the teacher
 * over every training image. Everything about the kind but its tfjs runner (run.ts).
 */
import { z } from 'zod';
import { distillationData, KD_LOSSES, RoleSchema, seedField, StudentRoleSchema, versionField } from '../../config/blocks';
import type { StageInfo } from '../figures';
import { defineKind, roleModel, type IssueSink, PAPERS } from '../kind';
import { distillationTakeaway, KD_MNIST_CAPTIONS } from './captions';

const schema = z.object({
  version: versionField(),
  kind: z.literal('distillation'),
  seed: seedField(),
  data: distillationData(),
  teacher: RoleSchema.prefault({}),
  student: StudentRoleSchema.prefault({ loss: { type: 'kd' } }),
});
export type DistillationConfig = z.output<typeof schema>;

/** The distillation family's data rows: the training images and the validation split. */
export function distillationRows(config: { data: { trainSize: number; validationSize: number } }) {
  return { needed: config.data.trainSize + config.data.validationSize, parts: 'trainSize + validationSize' };
}

export function checkLabelledSize(config: { data: { trainSize: number; labelledSize: number } }, issue: IssueSink): void {
  if (config.data.labelledSize > config.data.trainSize) issue(['data', 'labelledSize'], `must be at most trainSize (${config.data.trainSize})`);
}

/** The distillation family's teacher and student alone, then the distilled student. */
export const KD_STAGES: StageInfo[] = [
  { name: 'teacher', label: 'Teacher', role: 'trained with ground truth on every training image' },
  { name: 'baseline', label: 'Student alone', role: 'the student trained on its labelled images only' },
  { name: 'student', label: 'Distilled student', role: 'the same student distilled from the teacher on every training image' },
];

/** Teacher, student and data of kd-mnist, which kd-variants distils in several ways. */
export const KD_MNIST = {
  seed: 1,
  data: { dataset: 'mnist', trainSize: 10000, labelledSize: 1000, validationSize: 0, testSize: 2000 },
  // 784-256-256-10 for 4 epochs (628 steps): until round two a 784-512-512-10 teacher for 8 epochs, four times the
  // arithmetic, which made kd-mnist take 35-45 s on a 2-core laptop; the student's gain is the same (README).
  teacher: {
    model: { type: 'mlp', width: 256, depth: 2, activation: 'relu', dropout: 0.2 },
    train: { optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 4, evalEvery: 50 },
  },
  student: {
    model: { type: 'mlp', width: 32, depth: 1, activation: 'relu', dropout: 0 },
    train: { optimizer: 'adam', learningRate: 0.003, batchSize: 64, epochs: 10, evalEvery: 50 },
  },
} as const;

export const distillation = defineKind({
  kind: 'distillation',
  schema,
  help: 'A teacher trained on every label passes its knowledge to a small student, including on images the student has no labels for.',
  stages: () => [...KD_STAGES],
  roles: { supervisor: 'teacher', student: 'student', lower: 'baseline', upper: 'teacher', gapName: 'gap closed' },
  models: (config, data) => [roleModel(config, 'teacher', data), roleModel(config, 'student', data)],
  rowsNeeded: distillationRows,
  check(config, _data, issue) {
    checkLabelledSize(config, issue);
    const allowed: readonly string[] = [...KD_LOSSES, 'xent'];
    if (!allowed.includes(config.student.loss.type))
      issue(['student', 'loss', 'type'], `distillation takes one of ${allowed.join(', ')}; got ${config.student.loss.type}`);
  },
  takeaway: distillationTakeaway,
  gallery: 'Knowledge distillation',
  form: {
    cards: [
      { type: 'role', role: 'teacher', title: 'Teacher', blurb: 'Trained with ground truth on every training image.' },
      {
        type: 'role',
        role: 'student',
        title: 'Student',
        blurb: 'Trained on its labelled images alone (baseline), then distilled from the teacher.',
        loss: true,
      },
    ],
  },
  presets: [
    {
      id: 'kd-mnist',
      featured: true,
      title: 'Distillation (MNIST)',
      lesson:
        'With ground truth for only 1,000 images, a small student distilled from a teacher over all 10,000 clearly beats the same student trained on its 1,000 labels; given the same labels as the teacher, distillation adds nothing at this scale.',
      papers: [PAPERS.hinton],
      narrative: KD_MNIST_CAPTIONS,
      config: { kind: 'distillation', ...KD_MNIST, student: { ...KD_MNIST.student, loss: { type: 'kd', temperature: 4, alpha: 0.9 } } },
    },
  ],
});
