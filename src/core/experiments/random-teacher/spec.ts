/**
 * Random teachers (Sarnthein et al. 2023; shared/METHODS.md section 3): a frozen random teacher; a student of
 * the same architecture trained without labels to match the teacher's output distribution; linear probes of
 * both on their last hidden layer. Everything about the kind but its tfjs runner (run.ts).
 */
import { z } from 'zod';
import { DATA_FIELDS, int, MlpSpecSchema, num, seedField, TrainSpecSchema, versionField } from '../../config/blocks';
import { defineKind, PAPERS } from '../kind';
import { RANDOM_TEACHER_CAPTIONS, randomTeacherTakeaway } from './captions';

const schema = z.object({
  version: versionField(),
  kind: z.literal('random-teacher'),
  seed: seedField(),
  data: z
    .object({
      ...DATA_FIELDS,
      validationSize: int(
        0,
        5000,
        0,
        'Held-out labelled examples: the student checkpoint whose probe does best on them is reported as best (0: the final checkpoint).',
      ),
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
  outputDim: int(2, 1024, 256, "Width of the teacher's (and student's) output, the distribution the student matches."),
  teacherTemperature: num(0.01, 10, 1, "Temperature of the teacher's softmax: below 1 sharpens the distribution the student matches."),
  initNearTeacher: num(
    0,
    1,
    0,
    'eps: the student starts at teacher + eps x random weights (0: an independent random start; a small eps amplifies the effect).',
  ),
  student: z.object({ train: TrainSpecSchema.omit({ evalEvery: true, patience: true }).prefault({}) }).prefault({}),
  probe: TrainSpecSchema.omit({ evalEvery: true, patience: true })
    .prefault({ epochs: 20, learningRate: 0.01 })
    .describe('How each linear probe is trained on the frozen (standardised) features.'),
  probeEvery: int(1, 100000, 100, 'Student steps between probe measurements (and loss read-backs).'),
});
export type RandomTeacherConfig = z.output<typeof schema>;

export const randomTeacher = defineKind({
  kind: 'random-teacher',
  schema,
  help: 'A teacher that was never trained, a student trained without labels to imitate it, and linear probes of both: does imitating noise teach the student useful features?',
  stages: () => [
    {
      name: 'teacher',
      label: 'Random teacher',
      role: 'a randomly initialised network, never trained; a linear probe on its last hidden layer measures its features',
    },
    {
      name: 'student',
      label: 'Student',
      role: "the same architecture trained without labels to match the teacher's output distribution; a linear probe measures its features",
    },
  ],
  roles: { supervisor: 'teacher', student: 'student', lower: 'teacher', upper: 'teacher', gapName: null },
  // The random teacher's architecture is trained as the student, with the student's settings.
  models: (config) => [{ path: ['teacher', 'model'], model: config.teacher.model, trainPath: ['student', 'train'], outputs: config.outputDim }],
  rowsNeeded: (config) => ({
    needed: config.data.trainSize + config.data.probeSize + config.data.validationSize,
    parts: 'trainSize + probeSize + validationSize',
  }),
  takeaway: randomTeacherTakeaway,
  gallery: 'Knowledge distillation',
  form: {
    dataExtras: [{ path: ['initNearTeacher'], label: 'start near teacher (eps)', control: 'slider' }],
    cards: [
      { type: 'role', role: 'teacher', title: 'Random teacher', blurb: 'Randomly initialised and frozen.', train: false },
      {
        type: 'fields',
        id: 'random-student',
        title: 'Student',
        blurb: "Same architecture, trained to match the teacher's outputs; no labels.",
        fields: [{ path: ['outputDim'] }, { path: ['teacherTemperature'] }, { path: ['probeEvery'] }, { path: ['student', 'train'], control: 'train' }],
      },
      {
        type: 'fields',
        id: 'probe',
        title: 'Linear probes',
        blurb: "Trained on labelled examples over each model's frozen features.",
        fields: [{ path: ['probe'], control: 'train' }],
      },
    ],
  },
  presets: [
    {
      id: 'random-teacher',
      title: 'Random teachers are good teachers',
      lesson:
        "A student that imitates a random, never-trained network, without a single label, ends with better features than the network it imitates: a linear probe on its hidden layer beats the same probe on the teacher's.",
      papers: [PAPERS.randomTeachers],
      narrative: RANDOM_TEACHER_CAPTIONS,
      config: {
        kind: 'random-teacher',
        seed: 1,
        data: { dataset: 'mnist', trainSize: 5000, probeSize: 500, validationSize: 0, testSize: 2000 },
        teacher: { model: { type: 'mlp', width: 128, depth: 1, activation: 'relu', dropout: 0 } },
        outputDim: 128,
        teacherTemperature: 0.05,
        initNearTeacher: 0.1,
        student: { train: { optimizer: 'adam', learningRate: 0.003, batchSize: 64, epochs: 3 } },
        probe: { optimizer: 'adam', learningRate: 0.01, batchSize: 100, epochs: 30 },
        probeEvery: 20,
      },
    },
  ],
});
