/**
 * The student's loss, side by side (Burns et al. 2023, section 4.3.2; shared/METHODS.md section 2): one weak
 * supervisor, one ceiling, and three students of the same strong model trained on the same weak labels with
 * cross-entropy, the auxiliary confidence loss and the product loss. Everything but the tfjs runner (run.ts).
 */
import { z } from 'zod';
import { LOGCONF_PARAMS, PRODUCT_PARAMS, RoleSchema, seedField, transferData, versionField, weakLabelsField, type LossSpec } from '../../config/blocks';
import { defineKind, roleModel, PAPERS } from '../kind';
import { transferRows, W2S_MNIST, WEAK_LABEL_FIELDS } from '../weak-to-strong/spec';
import { LOSS_STUDY_CAPTIONS, lossStudyTakeaway } from './captions';

const schema = z.object({
  version: versionField(),
  kind: z.literal('loss-study'),
  seed: seedField(),
  data: transferData(),
  weakLabels: weakLabelsField(),
  supervisor: RoleSchema.prefault({}),
  student: RoleSchema.prefault({}),
  logconf: z.object(LOGCONF_PARAMS).prefault({}),
  product: z.object(PRODUCT_PARAMS).prefault({}),
});
export type LossStudyConfig = z.output<typeof schema>;

/** The three losses the study compares, in the order they train. */
export function studyLosses(config: LossStudyConfig): { name: 'xent' | 'logconf' | 'product'; loss: LossSpec }[] {
  return [
    { name: 'xent', loss: { type: 'xent' } },
    { name: 'logconf', loss: { type: 'logconf', ...config.logconf } },
    { name: 'product', loss: { type: 'product', ...config.product } },
  ];
}

export const lossStudy = defineKind({
  kind: 'loss-study',
  schema,
  help: "The same weak supervisor and strong student, trained three ways: plain cross-entropy, the auxiliary confidence loss and the product loss. Which loss copies the supervisor's mistakes least?",
  stages: () => [
    { name: 'weak', label: 'Weak supervisor', role: 'trained with ground truth on split A; its predictions label split B' },
    { name: 'ceiling', label: 'Strong ceiling', role: 'the strong model trained with ground truth on split B: the best the students could do' },
    { name: 'xent', label: 'Student: xent', role: "the strong model trained with cross-entropy on the weak supervisor's labels" },
    {
      name: 'logconf',
      label: 'Student: logconf',
      role: "the same start, trained with the auxiliary confidence loss: the weak labels mixed with the student's own hardened predictions",
    },
    {
      name: 'product',
      label: 'Student: product',
      role: "the same start, trained with the product loss: target proportional to the student's predictions times the weak labels",
    },
  ],
  roles: { supervisor: 'weak', student: 'logconf', lower: 'weak', upper: 'ceiling', gapName: 'PGR', students: ['xent', 'logconf', 'product'] },
  models: (config, data) => [roleModel(config, 'supervisor', data), roleModel(config, 'student', data)],
  rowsNeeded: transferRows,
  takeaway: lossStudyTakeaway,
  gallery: 'Weak-to-strong generalization',
  form: {
    dataExtras: WEAK_LABEL_FIELDS,
    cards: [
      { type: 'role', role: 'supervisor', title: 'Weak supervisor', blurb: 'Learns from split A with ground truth, then labels split B.' },
      {
        type: 'role',
        role: 'student',
        title: 'Strong student',
        blurb: 'Trained on split B with ground truth (the ceiling), then with the weak labels under each loss.',
      },
      {
        type: 'settings',
        path: ['logconf'],
        title: 'Auxiliary confidence loss',
        blurb: "Mixes the student's own hardened predictions into the target, with a weight that ramps up.",
      },
      { type: 'settings', path: ['product'], title: 'Product loss', blurb: 'Target proportional to student^b x supervisor^a.' },
    ],
  },
  presets: [
    {
      id: 'w2s-losses',
      title: "The student's loss: xent, logconf, product",
      lesson:
        'Against a supervisor that is confident in its mistakes, the auxiliary confidence loss (trust your own hardened predictions) copies fewer of them and recovers more of the gap than plain cross-entropy.',
      papers: [PAPERS.burns],
      narrative: LOSS_STUDY_CAPTIONS,
      config: {
        kind: 'loss-study',
        seed: 1,
        data: W2S_MNIST.data,
        weakLabels: { kind: 'soft', temperature: 0.5 },
        supervisor: W2S_MNIST.supervisor,
        student: { model: W2S_MNIST.student.model, train: W2S_MNIST.student.train },
        logconf: { aMax: 0.5, warmup: 0.2, schedule: 'paper' },
        product: { a: 1, b: 1 },
      },
    },
  ],
});
