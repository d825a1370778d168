/**
 * Teacher hacking (Tiapkin et al. 2025; shared/METHODS.md section 3): oracle -> teacher -> student, with proxy
 * (student-teacher) and golden (student-oracle) distances. The defaults are the teacher-hacking preset's setting,
 * where the effect shows on seeds 1-3. Everything about the kind but its tfjs runner (run.ts).
 */
import { z } from 'zod';
import { DATA_FIELDS, int, num, RoleSchema, seedField, versionField } from '../../config/blocks';
import { DATASET_IDS } from '../../config/datasets';
import type { StageInfo } from '../figures';
import { defineKind, PAPERS } from '../kind';
import { TEACHER_HACKING_CAPTIONS, teacherHackingTakeaway } from './captions';

const schema = z.object({
  version: versionField(),
  kind: z.literal('teacher-hacking'),
  seed: seedField(),
  oracle: z
    .object({
      width: int(4, 256, 64, 'Hidden units in each layer of the random oracle network (tanh).'),
      depth: int(1, 4, 3, 'Hidden layers of the oracle network.'),
      numClasses: int(2, 10, 4, "Classes of the oracle's output distribution."),
      temperature: num(0.1, 10, 0.3, "Temperature of the oracle's softmax: lower gives a more certain oracle."),
    })
    .prefault({}),
  data: z
    .object({
      ...DATA_FIELDS,
      dataset: z.enum(DATASET_IDS).default('gaussians').describe('Where the inputs come from; the oracle network, not the dataset, gives every label.'),
      noise: num(0, 1, 0.5, 'Noise of generated 2-D data (ignored for real datasets).'),
      validationSize: int(0, 5000, 0, 'Held-out points for checkpoint choice (labelled by the oracle for the teacher, by the teacher for the students).'),
      testSize: int(10, 20000, 1000, "Held-out points on which accuracy (against the oracle's most likely class) and both distances are measured."),
      teacherSize: int(2, 20000, 100, 'Points the teacher is fit to, each with a label sampled from the oracle.'),
      transferSize: int(
        2,
        20000,
        64,
        'Size of the fixed transfer set; the fresh run draws this many new points for every epoch (transferSize x student epochs in all).',
      ),
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
export type TeacherHackingConfig = z.output<typeof schema>;

function teacherHackingStages(config: TeacherHackingConfig): StageInfo[] {
  const { teacherSize, transferSize } = config.data;
  const epochs = config.student.train.epochs;
  return [
    { name: 'teacher', label: 'Teacher', role: `fit to ${teacherSize} points whose labels are sampled from the oracle: an imperfect copy of it` },
    { name: 'fixed', label: 'Student, fixed set', role: `distilled from the teacher on one fixed set of ${transferSize} points, ${epochs} epochs` },
    {
      name: 'fresh',
      label: 'Student, fresh points',
      role: `distilled from the teacher on ${transferSize} new points every epoch (${epochs * transferSize} in all, the same number of steps)`,
    },
  ];
}

export const teacherHacking = defineKind({
  kind: 'teacher-hacking',
  schema,
  help: 'An oracle, a teacher fit to a few of its points, and a student distilled from the teacher: on a fixed transfer set the student keeps getting closer to the teacher while drifting from the oracle.',
  stages: teacherHackingStages,
  roles: { supervisor: 'teacher', student: 'fixed', lower: 'teacher', upper: 'teacher', gapName: null, students: ['fixed', 'fresh'] },
  models: (config) => [
    { path: ['teacher', 'model'], model: config.teacher.model, trainPath: ['teacher', 'train'], outputs: config.oracle.numClasses },
    { path: ['student', 'model'], model: config.student.model, trainPath: ['student', 'train'], outputs: config.oracle.numClasses },
  ],
  rowsNeeded: (config) => ({
    needed: config.data.teacherSize + config.data.transferSize * config.student.train.epochs + config.data.validationSize,
    parts: 'teacherSize + transferSize x student epochs (the fresh points) + validationSize',
  }),
  takeaway: teacherHackingTakeaway,
  gallery: 'Knowledge distillation',
  form: {
    cards: [
      { type: 'settings', path: ['oracle'], title: 'Oracle', blurb: 'The ground truth: a random network that gives every input a class distribution.' },
      { type: 'role', role: 'teacher', title: 'Teacher', blurb: 'Fit to a few points labelled by the oracle: an imperfect proxy.' },
      { type: 'role', role: 'student', title: 'Student', blurb: 'Distilled from the teacher on a fixed transfer set, and on fresh points every epoch.' },
    ],
  },
  presets: [
    {
      id: 'teacher-hacking',
      title: 'Teacher hacking (2-D)',
      lesson:
        'Distilled over and over on one small fixed set, a student keeps getting closer to its imperfect teacher while drifting away from the truth behind it; the same number of steps on fresh points ends about twice as close to the truth.',
      papers: [PAPERS.teacherHacking],
      narrative: TEACHER_HACKING_CAPTIONS,
      config: {
        kind: 'teacher-hacking',
        seed: 1,
        oracle: { width: 64, depth: 3, numClasses: 4, temperature: 0.3 },
        data: { dataset: 'gaussians', noise: 0.5, teacherSize: 100, transferSize: 64, validationSize: 0, testSize: 1000 },
        teacher: {
          model: { type: 'mlp', width: 64, depth: 2, activation: 'relu', dropout: 0 },
          train: { optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 200, evalEvery: 50 },
        },
        student: {
          model: { type: 'mlp', width: 16, depth: 1, activation: 'tanh', dropout: 0 },
          train: { optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 300, evalEvery: 20 },
        },
      },
    },
  ],
});
