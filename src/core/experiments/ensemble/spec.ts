/**
 * Ensembles of weak supervisors ("Debate Helps Weak-to-Strong Generalization", Lang et al. 2025, its ensemble
 * finding; shared/METHODS.md section 5): several weak supervisors, each on its own bootstrap of split A or its own
 * view of the input, average their probabilities into the labels a strong student learns from; a single
 * supervisor trained on more ground truth (split C) is the control of about the same accuracy. Everything about
 * the kind but its tfjs runner (run.ts).
 */
import { z } from 'zod';
import { int, num, RoleSchema, seedField, StudentRoleSchema, TRANSFER_DATA_FIELDS, versionField, weakLabelsField } from '../../config/blocks';
import type { StageInfo } from '../figures';
import { defineKind, roleModel } from '../kind';
import { checkTransferLoss, W2S_MNIST, WEAK_LABEL_FIELDS } from '../weak-to-strong/spec';
import { ENSEMBLE_CAPTIONS } from './captions';

const schema = z.object({
  version: versionField(),
  kind: z.literal('ensemble'),
  seed: seedField(),
  data: z
    .object({
      ...TRANSFER_DATA_FIELDS,
      controlSize: int(
        2,
        20000,
        100,
        "Split C: examples with ground truth for the single control supervisor (the same model as each member, on more data, so that its accuracy is about the ensemble's).",
      ),
    })
    .prefault({}),
  weakLabels: weakLabelsField(),
  members: z
    .object({
      count: int(2, 7, 5, 'Weak supervisors in the ensemble.'),
      diversity: z
        .enum(['pixels', 'bootstrap'])
        .default('pixels')
        .describe(
          'pixels: each supervisor sees only its own random share of the input features; bootstrap: each trains on its own resample of split A, drawn with replacement.',
        ),
      viewShare: num(0.05, 1, 0.5, 'pixels: the share of the input features each supervisor sees (chosen at random per supervisor).'),
    })
    .prefault({}),
  supervisor: RoleSchema.prefault({}).describe('Each member of the ensemble, and the control: the same model and training.'),
  student: StudentRoleSchema.prefault({}),
});
export type EnsembleConfig = z.output<typeof schema>;
type Input = z.input<typeof schema>;

export const memberName = (i: number) => `member-${i + 1}`;

function ensembleStages(config: EnsembleConfig): StageInfo[] {
  const { count, diversity } = config.members;
  const how = diversity === 'bootstrap' ? 'its own resample of split A (drawn with replacement)' : 'split A, seeing only its own random share of the input';
  return [
    ...Array.from({ length: count }, (_, i) => ({
      name: memberName(i),
      label: `Supervisor ${i + 1}`,
      role: `a weak supervisor trained with ground truth on ${how}`,
    })),
    { name: 'ensemble', label: 'Ensemble', role: `the average of the ${count} supervisors' probabilities: the labels on split B come from it` },
    {
      name: 'control',
      label: 'Single supervisor (control)',
      role: "one supervisor of the same kind trained on split C, more ground truth, to match the ensemble's accuracy",
    },
    { name: 'ceiling', label: 'Strong ceiling', role: 'the strong model trained with ground truth on split B: the best either student could do' },
    { name: 'student', label: 'Student of the ensemble', role: "the strong model trained on split B with the ensemble's averaged labels" },
    {
      name: 'control-student',
      label: 'Student of the control',
      role: "the same strong model (same start) trained on split B with the single control supervisor's labels",
    },
  ];
}

/**
 * The preset: w2s-mnist's data, supervisor and student, with five supervisors each seeing a random half of the
 * pixels of its 100 labelled digits. (Bootstraps of the 100 digits made each member worse, 58-65%, and their
 * ensemble, 68%, worse than one supervisor on all of them.) The control learns 100 other digits with every pixel.
 */
const W2S_ENSEMBLE = {
  kind: 'ensemble',
  seed: 1,
  data: { ...W2S_MNIST.data, controlSize: 100 },
  weakLabels: W2S_MNIST.weakLabels,
  members: { count: 5, diversity: 'pixels', viewShare: 0.5 },
  supervisor: W2S_MNIST.supervisor,
  student: W2S_MNIST.student,
} satisfies Input;

export const ensemble = defineKind({
  kind: 'ensemble',
  schema,
  help: "Several weak supervisors, each trained on its own bootstrap of the labels or its own view of the input, average their predictions into the student's labels. Does the ensemble teach better than one supervisor of the same accuracy, and which of its mistakes are still copied?",
  stages: ensembleStages,
  roles: { supervisor: 'ensemble', student: 'student', lower: 'ensemble', upper: 'ceiling', gapName: 'PGR' },
  models: (config, data) => [roleModel(config, 'supervisor', data), roleModel(config, 'student', data)],
  rowsNeeded: (config) => ({
    needed: config.data.supervisorSize + config.data.transferSize + config.data.validationSize + config.data.controlSize,
    parts: 'supervisorSize + transferSize + validationSize + controlSize',
  }),
  check: (config, _data, issue) => checkTransferLoss('ensemble', config.student.loss, issue),
  gallery: 'Weak-to-strong generalization',
  form: {
    dataExtras: WEAK_LABEL_FIELDS,
    cards: [
      { type: 'settings', path: ['members'], title: 'The ensemble', blurb: 'How many weak supervisors, and how each is made to differ.' },
      {
        type: 'role',
        role: 'supervisor',
        title: 'Each weak supervisor',
        blurb: 'Every member learns from split A with ground truth (its bootstrap or its view); the control learns from split C.',
      },
      {
        type: 'role',
        role: 'student',
        title: 'Strong student',
        blurb: "Trained on split B three times from the same start: with ground truth (the ceiling), with the ensemble's labels and with the control's.",
        loss: true,
      },
    ],
  },
  presets: [
    {
      id: 'w2s-ensemble',
      title: 'An ensemble of weak supervisors',
      lesson:
        "Five weak supervisors that each see half the pixels average into labels at least as good as one supervisor with every pixel; their student copies fewer of its supervisor's mistakes, but the mistakes most supervisors make together are copied about four times as often as the rest.",
      narrative: ENSEMBLE_CAPTIONS,
      config: W2S_ENSEMBLE,
    },
  ],
});
